package bodyio

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// announced is a reader that says it holds n bytes, whatever it holds.
type announced struct {
	io.Reader
	n int
}

func (a *announced) Len() int { return a.n }

// TestReadAll: whatever the announced length, ReadAll returns what
// io.ReadAll returns, bytes and error.
func TestReadAll(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 1000) // 16,000 bytes
	errBroken := errors.New("connection reset")
	tests := []struct {
		name string
		r    func() io.Reader
	}{
		{"unsized", func() io.Reader { return iotest.OneByteReader(bytes.NewReader(body)) }},
		{"bytes.Reader", func() io.Reader { return bytes.NewReader(body) }},
		{"strings.Reader", func() io.Reader { return strings.NewReader(string(body)) }},
		{"exact", func() io.Reader { return &announced{bytes.NewReader(body), len(body)} }},
		{"exact, one byte a read", func() io.Reader { return &announced{iotest.OneByteReader(bytes.NewReader(body)), len(body)} }},
		{"exact, end with the data", func() io.Reader { return &announced{iotest.DataErrReader(bytes.NewReader(body)), len(body)} }},
		{"fewer than announced", func() io.Reader { return &announced{bytes.NewReader(body[:100]), len(body)} }},
		{"more than announced", func() io.Reader { return &announced{bytes.NewReader(body), 100} }},
		{"far more than announced", func() io.Reader { return &announced{iotest.HalfReader(bytes.NewReader(body)), 1} }},
		{"unknown length", func() io.Reader { return &announced{bytes.NewReader(body), -1} }},
		{"empty", func() io.Reader { return &announced{bytes.NewReader(nil), 0} }},
		{"error midway", func() io.Reader {
			return &announced{io.MultiReader(bytes.NewReader(body[:5000]), iotest.ErrReader(errBroken)), len(body)}
		}},
		{"timeout", func() io.Reader { return &announced{iotest.TimeoutReader(bytes.NewReader(body)), len(body)} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, wantErr := io.ReadAll(tt.r())
			got, err := ReadAll(tt.r())
			// On an error, each returns what it had read: a prefix of the
			// input that depends on the sizes of the reads.
			same := bytes.Equal(got, want) || wantErr != nil && bytes.HasPrefix(body, got)
			if !same || !errors.Is(err, wantErr) {
				t.Errorf("ReadAll = %d bytes, %v; io.ReadAll = %d bytes, %v", len(got), err, len(want), wantErr)
			}
			if got == nil {
				t.Error("ReadAll returned nil; io.ReadAll returns an empty slice")
			}
		})
	}
}

// TestReadAllAllocatesOnce: a body of announced length costs one
// allocation of its size.
func TestReadAllAllocatesOnce(t *testing.T) {
	body := bytes.Repeat([]byte("x"), 38<<10)
	var r announced
	var got []byte
	allocs := testing.AllocsPerRun(20, func() {
		br := bytes.NewReader(body)
		r = announced{br, len(body)}
		got, _ = ReadAll(&r)
	})
	if allocs > 2 { // the buffer, and perhaps the bytes.Reader
		t.Errorf("ReadAll of a sized body: %v allocations, want at most 2", allocs)
	}
	if cap(got) > len(body)+1 {
		t.Errorf("ReadAll kept %d bytes of capacity for a %d-byte body", cap(got), len(body))
	}
}

// TestReadAllEagerLimit: an announced length past EagerLimit is allocated
// only as the bytes arrive.
func TestReadAllEagerLimit(t *testing.T) {
	// Announces 64 MiB, sends 10 bytes.
	r := &announced{strings.NewReader("0123456789"), 64 << 20}
	var got []byte
	allocated := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			r.Reader = strings.NewReader("0123456789")
			got, _ = ReadAll(r)
		}
	}).AllocedBytesPerOp()
	if string(got) != "0123456789" {
		t.Fatalf("got %q", got)
	}
	if allocated > EagerLimit+64<<10 {
		t.Errorf("a 10-byte body announced as 64 MiB allocated %d bytes, want at most about EagerLimit (%d)", allocated, EagerLimit)
	}
	// A body longer than EagerLimit that does arrive is read whole.
	big := bytes.Repeat([]byte("y"), EagerLimit+12345)
	got, err := ReadAll(&announced{bytes.NewReader(big), len(big)})
	if err != nil || !bytes.Equal(got, big) {
		t.Errorf("body past EagerLimit: %d bytes, %v; want %d bytes", len(got), err, len(big))
	}
}

func BenchmarkReadAll(b *testing.B) {
	for _, size := range []int{4900, 38 << 10, 1400 << 10} {
		body := bytes.Repeat([]byte("z"), size)
		b.Run("io.ReadAll/"+strconv.Itoa(size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = io.ReadAll(&announced{bytes.NewReader(body), size})
			}
		})
		b.Run("bodyio.ReadAll/"+strconv.Itoa(size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = ReadAll(&announced{bytes.NewReader(body), size})
			}
		})
	}
}
