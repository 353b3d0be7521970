package bench

import (
	"testing"

	"github.com/go-faster/jx"

	"github.com/aivenapi/aivenapi/internal/jsonread"
)

// BenchmarkReader compares the JSON reader the generated decoders of this
// client are built from (internal/jsonread) with jx, the reader ogen's
// generated decoders are built from, on the same bodies and the same work:
// reading every value of the body, checking its syntax, keeping nothing
// (jx.Decoder.Skip against jsonread.Reader.Skip). The typed decoding each
// builds on its reader is what DecodeUser, DecodeProjects and DecodeClouds
// compare.
func BenchmarkReader(b *testing.B) {
	for _, body := range []struct {
		name string
		data func() []byte
	}{{"user", func() []byte { return bodies.User }}, {"projects", func() []byte { return bodies.Projects }}, {"clouds", func() []byte { return bodies.Clouds }}} {
		data := body.data()
		b.Run("body="+body.name+"/reader=jsonread", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			var r jsonread.Reader
			cpu := cpuTime()
			for b.Loop() {
				r.Reset(data)
				r.Skip()
				r.End()
				if err := r.Err(); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
		})
		b.Run("body="+body.name+"/reader=jx", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			d := jx.DecodeBytes(data)
			cpu := cpuTime()
			for b.Loop() {
				d.ResetBytes(data)
				if err := d.Skip(); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
		})
	}
}
