package api

import (
	"errors"
	"fmt"

	"github.com/aivenapi/aivenapi/internal/json"
	"github.com/aivenapi/aivenapi/internal/jsonread"
)

// Response bodies decode in one pass over the bytes with the decoders of
// decode.gen.go, which tools/gendecode writes from the generated types
// when `go generate` runs (after oapi-codegen): field by field into the
// generated types, with no reflection, no separate syntax check, and an
// error that names the operation and the byte. They are built from the
// reader of internal/jsonread. The result is the one encoding/json would
// give (with the UnmarshalJSON methods of Time, Tags, nullable.Nullable
// and the types with AdditionalProperties); decode_test.go proves it on
// fuzzed input for every decoded type.
//
// What is handwritten here: the errors, and the decoders of the
// handwritten types, which tools/gendecode finds by their method
// decodeJSON(*jsonread.Reader).
//
// A body without its result ("clouds", "projects", "user": see
// tools/gendecode for the rule) is an error too, so that after a nil
// error JSON200 holds it.

func init() { json.SetDecoder(decodeResponse) }

// BodyError is the error of a successful response whose body is not the
// operation's result: not JSON, cut short, of the wrong shape, nested too
// deeply, or without the field the result is about. It matches
// ErrInvalidResponse with errors.Is.
type BodyError struct {
	// Operation is the operation ID, such as "ListClouds".
	Operation string
	// Size is the length of the body in bytes.
	Size int
	// Offset is where in the body the problem is, or -1 when the body
	// as a whole lacks something.
	Offset int
	// Reason says what is wrong, without quoting the body.
	Reason string
}

func (e *BodyError) Error() string {
	if e.Offset < 0 {
		return fmt.Sprintf("api: %s: response body %s", e.Operation, e.Reason)
	}
	return fmt.Sprintf("api: %s: decode response body (%d bytes): at byte %d: %s", e.Operation, e.Size, e.Offset, e.Reason)
}

// Is reports whether target is ErrInvalidResponse.
func (e *BodyError) Is(target error) bool { return target == ErrInvalidResponse }

// bodyError returns the error of a body of size bytes that err, from a
// jsonread.Reader, says is not the result of op.
func bodyError(op string, size int, err error) error {
	var je *jsonread.Error
	if errors.As(err, &je) {
		return &BodyError{Operation: op, Size: size, Offset: je.Offset, Reason: je.Msg}
	}
	return err // from reading the body: it says what and where
}

// missing returns the error of a body of op, of size bytes, without its
// result field.
func missing(op string, size int, field string) error {
	return &BodyError{Operation: op, Size: size, Offset: -1, Reason: fmt.Sprintf("has no %q", field)}
}

// decodeWhole decodes data, one value and nothing after it, into v with
// decode.
func decodeWhole[T any](data []byte, v *T, decode func(*jsonread.Reader, *T)) error {
	var r jsonread.Reader
	r.Reset(data)
	decode(&r, v)
	r.End()
	return r.Err()
}

// decodeJSON reads a time as Time.UnmarshalJSON does: null is the zero
// Time, and any string is kept.
func (t *Time) decodeJSON(r *jsonread.Reader) {
	switch r.Peek() {
	case 'n':
		r.Null()
		*t = Time{}
	case '"':
		if s, ok := r.Str(); ok {
			t.Raw = s
			t.Time, _ = parseTime(s)
		}
	default:
		r.SkipMismatch("a string (a time)")
	}
}

// decodeJSON reads tags as Tags.UnmarshalJSON does: the object replaces
// the tags there are, and a value that is not a string is kept as its
// text.
func (t *Tags) decodeJSON(r *jsonread.Reader) {
	if r.Null() {
		*t = nil
		return
	}
	if !r.Object() {
		return
	}
	tags := Tags{}
	for first := true; ; {
		key, ok := r.Field(&first)
		if !ok {
			break
		}
		k := r.NewString(key)
		if r.Peek() == '"' {
			s, _ := r.Str()
			tags[k] = s
			continue
		}
		raw, _ := r.Raw()
		tags[k] = string(raw)
	}
	if !r.Failed() {
		*t = tags
	}
}
