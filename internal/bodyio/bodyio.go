// Package bodyio is the io package that api/api.gen.go imports in place of
// io (templates/imports.tmpl makes oapi-codegen write that import, as it
// writes internal/json in place of encoding/json). It is io, except that
// ReadAll reads a body whose size is known into one buffer of that size.
//
// io.ReadAll cannot know the size: it reads into a chain of growing
// buffers (eight of them for a 4.9 kB body, fourteen for 38 kB), most of
// them a few hundred bytes long so that each Read goes through the HTTP
// connection's 4 KiB buffer, and then copies them all into the result.
// The response bodies of package api know their Content-Length (Len), so
// the generated Parse functions read them with one allocation of the
// right size, in reads as large as the bytes that have arrived.
package bodyio

import "io"

// Reader is io.Reader.
type Reader = io.Reader

// ReadCloser is io.ReadCloser.
type ReadCloser = io.ReadCloser

// EOF is io.EOF.
var EOF = io.EOF

// Copy is io.Copy.
func Copy(dst io.Writer, src io.Reader) (int64, error) { return io.Copy(dst, src) }

// EagerLimit bounds the buffer that ReadAll allocates on the word of Len
// alone, before the bytes have arrived: a server that announces a large
// body and sends little makes ReadAll allocate no more than this. Past it
// the buffer grows to the announced size once this much has arrived.
const EagerLimit = 4 << 20

// ReadAll reads r to its end as io.ReadAll does, and returns the same
// bytes and error. When r has a method Len() int reporting the bytes
// left (bytes.Reader, strings.Reader, api's response bodies), it reads
// into one buffer of that size (up to EagerLimit at first); more bytes
// than announced are read too, into a grown buffer.
func ReadAll(r io.Reader) ([]byte, error) {
	sized, ok := r.(interface{ Len() int })
	if !ok {
		return io.ReadAll(r)
	}
	n := sized.Len()
	if n <= 0 {
		return io.ReadAll(r)
	}
	// One byte more than announced, so that the read which finds the
	// end needs no buffer of its own.
	b := make([]byte, 0, min(n, EagerLimit)+1)
	for {
		if len(b) == cap(b) {
			if len(b) < n+1 {
				b = append(make([]byte, 0, n+1), b...) // the announced size
			} else {
				b = append(b, 0)[:len(b)] // more than announced: grow as append does
			}
		}
		k, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+k]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
	}
}
