package shapes

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aivenapi/aivenapi/internal/jsonread"
)

// Word is handwritten: a string kept upper-case.
type Word string

// UnmarshalJSON decodes a string.
func (w *Word) UnmarshalJSON(b []byte) error {
	var s string
	if string(b) == "null" {
		return nil
	}
	if len(b) == 0 || b[0] != '"' {
		return errors.New("want a string")
	}
	s = strings.ToUpper(strings.Trim(string(b), `"`))
	*w = Word(s)
	return nil
}

func (w *Word) decodeJSON(r *jsonread.Reader) {
	if r.Peek() != '"' && r.Peek() != 'n' {
		r.SkipMismatch("a string")
		return
	}
	raw, _ := r.Raw()
	if err := w.UnmarshalJSON(raw); err != nil {
		r.Fail("%v", err)
	}
}

func bodyError(op string, size int, err error) error {
	return fmt.Errorf("%s (%d bytes): %w", op, size, err)
}

func missing(op string, size int, field string) error {
	return fmt.Errorf("%s (%d bytes): no %s", op, size, field)
}

func decodeWhole[T any](data []byte, v *T, decode func(*jsonread.Reader, *T)) error {
	var r jsonread.Reader
	r.Reset(data)
	decode(&r, v)
	r.End()
	return r.Err()
}
