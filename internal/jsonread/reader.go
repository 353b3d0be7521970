// Package jsonread is the type-independent JSON reader that the generated
// decoders of package api (api/decode.gen.go, written by tools/gendecode)
// are made of.
//
// A Reader decodes JSON in one pass that also checks the syntax: no
// separate validation pass, no reflection, strings copied once. Its
// results follow encoding/json.Unmarshal exactly (reader_test.go and
// package api's tests prove it on fuzzed input): the same strings, the
// same numbers, the same inputs rejected, including nesting deeper than
// encoding/json allows (MaxDepth). Errors are sticky: after the first one
// every read returns a zero value and every loop ends, and Err reports it.
//
// A Reader reads a byte slice (Reset) or an io.Reader (ResetReader). From
// an io.Reader it holds only a window of the input: a caller decodes one
// unit at a time (one element of a long list, say) between Mark and
// Retry, and when the window ends inside the unit Retry moves the unit's
// start to the front of the window, reads more, and asks for the unit to
// be decoded again. Nothing decoded points into the window.
package jsonread

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// MaxDepth is how deeply arrays and objects may nest: encoding/json's limit.
// A deeper value is an error that names its offset; no read recurses
// deeper than this.
const MaxDepth = 10000

// Reader decodes JSON; see the package documentation. The zero Reader
// reads an empty input.
type Reader struct {
	data  []byte
	pos   int
	err   *Error
	depth int
	// base is the offset in the whole input of data[0].
	base int

	// src is the input when reading from an io.Reader; eof is set once it
	// has ended, and more when the last error was only the window ending.
	src       io.Reader
	eof, more bool
	srcErr    error

	// scratch holds an escaped object key while it is matched; buf an
	// escaped string while it is unescaped.
	scratch, buf []byte
	// text holds the bytes of the strings decoded so far, and strs and
	// floats the values that *string and *float64 fields point to: one
	// allocation for many small values (see NewString).
	text   []byte
	strs   []string
	floats []float64
}

// Sizes of the blocks that decoded values are allocated in. A value kept
// on its own keeps its block alive: at most textBlock bytes of text, or
// ptrBlock values.
const (
	textBlock = 8 << 10
	ptrBlock  = 32
)

// Reset makes r read data, keeping nothing of what it read before but
// its scratch space.
func (r *Reader) Reset(data []byte) {
	*r = Reader{data: data, scratch: r.scratch[:0], buf: r.buf[:0]}
}

// ResetReader makes r read src, through a window of at least size bytes
// (more when a unit of input does not fit in it).
func (r *Reader) ResetReader(src io.Reader, size int) {
	r.Reset(make([]byte, 0, max(size, 512)))
	r.src = src
}

// Error is what is wrong with the input, and where.
type Error struct {
	// Offset is the byte of the input the problem is at.
	Offset int
	// Msg says what the problem is, without quoting the input.
	Msg string
}

func (e *Error) Error() string {
	return fmt.Sprintf("at byte %d: %s", e.Offset, e.Msg)
}

// Err returns the first error, or nil. An error of the io.Reader is
// returned as it is (wrapped); any other is an *Error.
func (r *Reader) Err() error {
	if r.srcErr != nil {
		return r.srcErr
	}
	if r.err == nil {
		return nil
	}
	return r.err
}

// Failed reports whether there has been an error.
func (r *Reader) Failed() bool { return r.err != nil }

// Offset returns the offset in the input of the next byte to read.
func (r *Reader) Offset() int { return r.base + r.pos }

// Fail records the first error, at the current offset.
func (r *Reader) Fail(format string, args ...any) {
	if r.err == nil {
		if r.pos >= len(r.data) && r.src != nil && !r.eof {
			// Only the window ended: Retry reads more.
			r.more = true
			r.err = &Error{Offset: r.base + r.pos, Msg: "unexpected end of JSON input"}
		} else {
			r.err = &Error{Offset: r.base + r.pos, Msg: fmt.Sprintf(format, args...)}
		}
	}
	r.pos = len(r.data) // every later read sees the end and stops
}

// syntax records a syntax error at the current byte.
func (r *Reader) syntax(context string) {
	if r.pos >= len(r.data) {
		r.Fail("unexpected end of JSON input %s (cut short?)", context)
		return
	}
	r.Fail("invalid character %s %s", quoteByte(r.data[r.pos]), context)
}

func quoteByte(c byte) string {
	switch {
	case c == '\'':
		return `'\''`
	case c == '"':
		return `'"'`
	case c < ' ' || c >= utf8.RuneSelf:
		return fmt.Sprintf("byte 0x%02x", c)
	}
	return "'" + string(c) + "'"
}

// Mismatch records a value of the wrong kind for what is being decoded,
// which wants the kind named.
func (r *Reader) Mismatch(want string) {
	r.Fail("want %s, got %s", want, kindName(r.Peek()))
}

func kindName(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	case 0:
		return "nothing"
	}
	return "a number"
}

// Mark is a place in the input to decode again from; see Retry.
type Mark struct{ pos, depth int }

// Mark returns the place of the next byte to read.
func (r *Reader) Mark() Mark { return Mark{r.pos, r.depth} }

// Retry is for reading from an io.Reader: it reports whether what was
// decoded since m must be decoded again because the window ended inside
// it. Then it has dropped the window's bytes before m, read more input
// and gone back to m. It reports false when reading a byte slice, after
// success, and after any other error.
func (r *Reader) Retry(m Mark) bool {
	if !r.more {
		return false
	}
	r.more, r.err = false, nil
	// Keep the unit: move it to the front, then fill the rest.
	keep := r.data[m.pos:]
	buf := r.data[:cap(r.data)]
	if len(keep) > cap(r.data)/2 {
		buf = make([]byte, 2*cap(r.data))
	}
	n := copy(buf, keep)
	r.base += m.pos
	r.pos, r.depth = 0, m.depth
	for zero := 0; n < len(buf) && !r.eof; {
		k, err := r.src.Read(buf[n:])
		n += k
		if err == nil && k == 0 {
			if zero++; zero < 100 {
				continue
			}
			err = io.ErrNoProgress
		}
		zero = 0
		if err != nil {
			r.eof = true
			if err != io.EOF {
				r.srcErr = err
				r.err = &Error{Offset: r.base + n, Msg: err.Error()}
			}
		}
		// The window is filled whole, so that a unit is decoded again
		// at most about once per window's worth of input.
	}
	r.data = buf[:n]
	if r.srcErr != nil {
		r.pos = len(r.data)
	}
	return true
}

// Peek skips white space and returns the next byte, or 0 at the end.
func (r *Reader) Peek() byte {
	if r.pos < len(r.data) && r.data[r.pos] > ' ' {
		return r.data[r.pos]
	}
	for r.pos < len(r.data) {
		switch c := r.data[r.pos]; c {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return c
		}
	}
	return 0
}

// End checks that nothing but white space follows the top-level value.
// From an io.Reader it reads the input to its end (see Retry).
func (r *Reader) End() {
	if r.Peek(); r.err != nil {
		return
	}
	if r.pos < len(r.data) {
		r.syntax("after top-level value")
		return
	}
	if r.src != nil && !r.eof {
		r.Fail("")
	}
}

// Null consumes a null if one is next, and reports whether it did.
func (r *Reader) Null() bool {
	if r.Peek() != 'n' {
		return false
	}
	r.literal("null")
	return true
}

func (r *Reader) literal(word string) {
	if len(r.data)-r.pos >= len(word) && string(r.data[r.pos:r.pos+len(word)]) == word {
		r.pos += len(word)
		return
	}
	// Point at the first byte that differs, as encoding/json does.
	for i := 0; i < len(word) && r.pos < len(r.data) && r.data[r.pos] == word[i]; i++ {
		r.pos++
	}
	r.syntax("in literal " + word)
}

// open counts one more level of nesting at the bracket at r.pos, which
// it consumes.
func (r *Reader) open() bool {
	if r.depth >= MaxDepth {
		r.Fail("exceeded max depth %d", MaxDepth)
		return false
	}
	r.depth++
	r.pos++
	return true
}

// Object starts an object: it consumes "{" and reports true, or consumes
// a null and reports false (null leaves a value as it is), or records a
// mismatch and reports false.
func (r *Reader) Object() bool {
	switch r.Peek() {
	case '{':
		return r.open()
	case 'n':
		r.literal("null")
	default:
		r.value(false, "an object")
	}
	return false
}

// Field reads the next key of an object started with Object and the
// colon after it; it reports false at the closing brace, which it
// consumes, and on an error. The key is valid until the next call.
func (r *Reader) Field(first *bool) ([]byte, bool) {
	c := r.Peek()
	if *first {
		*first = false
		if c == '}' {
			r.pos++
			r.depth--
			return nil, false
		}
	} else {
		switch c {
		case '}':
			r.pos++
			r.depth--
			return nil, false
		case ',':
			r.pos++
			c = r.Peek()
		default:
			r.syntax("after object key:value pair")
			return nil, false
		}
	}
	if c != '"' {
		r.syntax("looking for beginning of object key string")
		return nil, false
	}
	key, ok := r.rawString()
	if !ok {
		return nil, false
	}
	if key.escaped {
		r.scratch = unquote(r.scratch[:0], key.text)
		key.text = r.scratch
	}
	if r.Peek() != ':' {
		r.syntax("after object key")
		return nil, false
	}
	r.pos++
	return key.text, true
}

// Array starts an array as Object starts an object.
func (r *Reader) Array() bool {
	switch r.Peek() {
	case '[':
		return r.open()
	case 'n':
		r.literal("null")
	default:
		r.value(false, "an array")
	}
	return false
}

// Item reports whether another element of an array started with Array
// follows, consuming the comma before it or the closing bracket.
func (r *Reader) Item(first *bool) bool {
	c := r.Peek()
	if *first {
		*first = false
		if c == ']' {
			r.pos++
			r.depth--
			return false
		}
		return r.err == nil
	}
	switch c {
	case ']':
		r.pos++
		r.depth--
		return false
	case ',':
		r.pos++
		return true
	}
	r.syntax("after array element")
	return false
}

type rawString struct {
	text    []byte // between the quotes, as written
	escaped bool   // text holds escapes or bytes that are not UTF-8
}

// rawString reads a string and returns its text between the quotes.
func (r *Reader) rawString() (rawString, bool) {
	r.pos++ // the opening quote
	start := r.pos
	escaped, multibyte := false, false
	data := r.data
	for i := start; i < len(data); i++ {
		// Plain text goes eight bytes at a time, up to the first byte
		// that is not plain.
		for i+8 <= len(data) {
			x := binary.LittleEndian.Uint64(data[i:])
			if m := special(x); m != 0 {
				k := bits.TrailingZeros64(m) / 8
				multibyte = multibyte || x&highs&(1<<(8*k)-1) != 0
				i += k
				break
			}
			multibyte = multibyte || x&highs != 0
			i += 8
		}
		if i >= len(data) {
			break
		}
		switch c := data[i]; {
		case c == '"':
			r.pos = i + 1
			text := data[start:i]
			// Invalid UTF-8 becomes U+FFFD, as encoding/json does.
			if multibyte && !escaped && !utf8.Valid(text) {
				escaped = true
			}
			return rawString{text, escaped}, true
		case c == '\\':
			escaped = true
			i++
			if i >= len(data) {
				r.pos = i
				r.syntax("in string literal")
				return rawString{}, false
			}
			switch data[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				for k := 1; k <= 4; k++ {
					if i+k >= len(data) || !isHex(data[i+k]) {
						r.pos = i + k
						r.syntax("in \\u hexadecimal character escape")
						return rawString{}, false
					}
				}
				i += 4
			default:
				r.pos = i
				r.syntax("in string escape code")
				return rawString{}, false
			}
		case c < ' ':
			r.pos = i
			r.syntax("in string literal")
			return rawString{}, false
		case c >= utf8.RuneSelf:
			multibyte = true
		}
	}
	r.pos = len(data)
	r.syntax("in string literal")
	return rawString{}, false
}

// highs is the top bit of each of eight bytes.
const highs = 0x8080808080808080

// special marks, with its top bit, each of the eight bytes of x (the
// first in the lowest byte) that may end plain string text: a quote, a
// backslash or a control character. A borrow may also mark a byte above
// one of those, never one below: the lowest mark is exact.
func special(x uint64) uint64 {
	const ones = 0x0101010101010101
	quote := x ^ (ones * '"')
	backslash := x ^ (ones * '\\')
	control := (x - ones*' ') &^ x
	return (control | (quote-ones)&^quote | (backslash-ones)&^backslash) & highs
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// unquote appends the text of an escaped string to buf. The text has been
// checked by rawString.
func unquote(buf, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			switch s[i+1] {
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				rn := hex4(s[i+2:])
				i += 6
				if utf16.IsSurrogate(rn) {
					// A pair of escapes makes one character; a lone half
					// is U+FFFD.
					if len(s)-i >= 6 && s[i] == '\\' && s[i+1] == 'u' {
						if pair := utf16.DecodeRune(rn, hex4(s[i+2:])); pair != utf8.RuneError {
							buf = utf8.AppendRune(buf, pair)
							i += 6
							continue
						}
					}
					rn = utf8.RuneError
				}
				buf = utf8.AppendRune(buf, rn)
				continue
			default: // '"', '\\', '/'
				buf = append(buf, s[i+1])
			}
			i += 2
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			i++
		default:
			rn, size := utf8.DecodeRune(s[i:])
			if rn == utf8.RuneError && size == 1 {
				buf = utf8.AppendRune(buf, utf8.RuneError)
			} else {
				buf = append(buf, s[i:i+size]...)
			}
			i += size
		}
	}
	return buf
}

func hex4(s []byte) rune {
	var r rune
	for _, c := range s[:4] {
		switch {
		case c <= '9':
			c -= '0'
		case c <= 'F':
			c -= 'A' - 10
		default:
			c -= 'a' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// NewString returns b as a string. Short strings are copied into a block
// of text shared with the strings decoded before them: the reader never
// writes to the part of a block a string points to, so the string stays
// immutable, as Go requires.
func (r *Reader) NewString(b []byte) string {
	switch {
	case len(b) == 0:
		return ""
	case len(b) > textBlock/8:
		return string(b)
	}
	if cap(r.text)-len(r.text) < len(b) {
		// A small input needs no more than its own size.
		r.text = make([]byte, 0, max(len(b), min(textBlock, len(r.data))))
	}
	start := len(r.text)
	r.text = append(r.text, b...)
	return unsafe.String(&r.text[start], len(b))
}

// Str reads a string value. ok is false for null (the value is left as
// it is) and on an error.
func (r *Reader) Str() (s string, ok bool) {
	switch r.Peek() {
	case '"':
		raw, ok := r.rawString()
		if !ok {
			return "", false
		}
		if raw.escaped {
			r.buf = unquote(r.buf[:0], raw.text)
			return r.NewString(r.buf), true
		}
		return r.NewString(raw.text), true
	case 'n':
		r.literal("null")
	default:
		r.value(false, "a string")
	}
	return "", false
}

// SetString sets *p to a string value; null leaves it.
func (r *Reader) SetString(p *string) {
	if s, ok := r.Str(); ok {
		*p = s
	}
}

// SetStringPtr sets *p to a string value, reusing the string it points
// to as encoding/json does; null sets it to nil.
func (r *Reader) SetStringPtr(p **string) {
	if r.Null() {
		*p = nil
		return
	}
	if s, ok := r.Str(); ok {
		if *p == nil {
			if len(r.strs) == 0 {
				r.strs = make([]string, ptrBlock)
			}
			*p = &r.strs[0]
			r.strs = r.strs[1:]
		}
		**p = s
	}
}

// number reads a number and returns its text.
func (r *Reader) number() ([]byte, bool) {
	data, start := r.data, r.pos
	i := start
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && '1' <= data[i] && data[i] <= '9':
		for i++; i < len(data) && isDigit(data[i]); i++ {
		}
	default:
		r.pos = i
		r.syntax("in numeric literal")
		return nil, false
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) || !isDigit(data[i]) {
			r.pos = i
			r.syntax("after decimal point in numeric literal")
			return nil, false
		}
		for i++; i < len(data) && isDigit(data[i]); i++ {
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || !isDigit(data[i]) {
			r.pos = i
			r.syntax("in exponent of numeric literal")
			return nil, false
		}
		for i++; i < len(data) && isDigit(data[i]); i++ {
		}
	}
	if i == len(data) && r.src != nil && !r.eof {
		// The number may go on past the window.
		r.pos = i
		r.Fail("")
		return nil, false
	}
	r.pos = i
	return data[start:i], true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isNumberStart reports whether c begins a number.
func isNumberStart(c byte) bool { return c == '-' || isDigit(c) }

// integer reads an integer of bitSize bits. A fraction, an exponent or a
// value out of range is a mismatch, as for encoding/json. ok is false for
// null and on an error.
func (r *Reader) integer(bitSize int) (n int64, ok bool) {
	c := r.Peek()
	if c == 'n' {
		r.literal("null")
		return 0, false
	}
	if !isNumberStart(c) {
		r.value(false, "an integer")
		return 0, false
	}
	start := r.pos
	text, ok := r.number()
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(string(text), 10, bitSize)
	if err != nil {
		r.pos = start
		r.Fail("want an integer, got %.40s", text)
		return 0, false
	}
	return n, true
}

// SetInt sets *p to an integer value; null leaves it.
func (r *Reader) SetInt(p *int) {
	if n, ok := r.integer(strconv.IntSize); ok {
		*p = int(n)
	}
}

// SetInt64 sets *p to an integer value; null leaves it.
func (r *Reader) SetInt64(p *int64) {
	if n, ok := r.integer(64); ok {
		*p = n
	}
}

// SetInt32 sets *p to an integer value; null leaves it.
func (r *Reader) SetInt32(p *int32) {
	if n, ok := r.integer(32); ok {
		*p = int32(n)
	}
}

// float reads a number of bitSize bits; ok is false for null and on an
// error.
func (r *Reader) float(bitSize int) (float64, bool) {
	c := r.Peek()
	if c == 'n' {
		r.literal("null")
		return 0, false
	}
	if !isNumberStart(c) {
		r.value(false, "a number")
		return 0, false
	}
	return r.parseFloat(bitSize)
}

func (r *Reader) parseFloat(bitSize int) (float64, bool) {
	start := r.pos
	text, ok := r.number()
	if !ok {
		return 0, false
	}
	if bitSize == 64 {
		if f, ok := shortDecimal(text); ok {
			return f, true
		}
	}
	f, err := strconv.ParseFloat(string(text), bitSize)
	if err != nil {
		r.pos = start
		r.Fail("number %.40s out of range", text)
		return 0, false
	}
	return f, true
}

// SetFloat64 sets *p to a number value; null leaves it.
func (r *Reader) SetFloat64(p *float64) {
	if f, ok := r.float(64); ok {
		*p = f
	}
}

// SetFloat32 sets *p to a number value; null leaves it.
func (r *Reader) SetFloat32(p *float32) {
	if f, ok := r.float(32); ok {
		*p = float32(f)
	}
}

// SetFloat64Ptr sets *p to a number value, reusing the float it points
// to; null sets it to nil.
func (r *Reader) SetFloat64Ptr(p **float64) {
	if r.Null() {
		*p = nil
		return
	}
	if f, ok := r.float(64); ok {
		if *p == nil {
			if len(r.floats) == 0 {
				r.floats = make([]float64, ptrBlock)
			}
			*p = &r.floats[0]
			r.floats = r.floats[1:]
		}
		**p = f
	}
}

// exactPow10 are the powers of ten a float64 holds exactly.
var exactPow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// shortDecimal converts a number of at most 15 digits and no exponent,
// such as a latitude, without strconv. Its digits make an integer that a
// float64 holds exactly, and so does the power of ten it is divided by:
// the one rounding of the division gives the same float64 as
// strconv.ParseFloat. ok is false for any other number.
func shortDecimal(text []byte) (f float64, ok bool) {
	neg := len(text) > 0 && text[0] == '-'
	if neg {
		text = text[1:]
	}
	var m uint64
	digits, fraction := 0, -1
	for _, c := range text {
		switch {
		case isDigit(c):
			m = m*10 + uint64(c-'0')
			digits++
			if fraction >= 0 {
				fraction++
			}
		case c == '.':
			fraction = 0
		default: // an exponent
			return 0, false
		}
	}
	if digits > 15 {
		return 0, false
	}
	f = float64(m) / exactPow10[max(fraction, 0)]
	if neg {
		f = -f
	}
	return f, true
}

// SetBool sets *p to a boolean value; null leaves it.
func (r *Reader) SetBool(p *bool) {
	switch r.Peek() {
	case 'n':
		r.literal("null")
	case 't':
		r.literal("true")
		if r.err == nil {
			*p = true
		}
	case 'f':
		r.literal("false")
		if r.err == nil {
			*p = false
		}
	default:
		r.value(false, "a boolean")
	}
}

// SkipMismatch reads a value of any kind and, once its syntax is checked,
// records it as a mismatch for what wants the kind named.
func (r *Reader) SkipMismatch(want string) { r.value(false, want) }

// Skip reads a value of any kind and drops it.
func (r *Reader) Skip() { r.value(false, "") }

// Any reads a value of any kind into what encoding/json decodes into an
// interface{}: map[string]any, []any, string, float64, bool or nil.
func (r *Reader) Any() any { return r.value(true, "") }

// value reads a value of any kind; with keep it builds and returns what
// Any does. When mismatch names a kind, the value (once its syntax is
// checked) is a mismatch for it. It recurses once per level of nesting,
// which open bounds.
func (r *Reader) value(keep bool, mismatch string) any {
	start := r.pos
	var out any
	switch c := r.Peek(); {
	case c == '{':
		if !r.open() {
			return nil
		}
		var m map[string]any
		if keep {
			m = map[string]any{}
		}
		for first := true; ; {
			key, ok := r.Field(&first)
			if !ok {
				break
			}
			if !keep {
				r.value(false, "")
				continue
			}
			k := r.NewString(key)
			m[k] = r.value(true, "")
		}
		if keep {
			out = m
		}
	case c == '[':
		if !r.open() {
			return nil
		}
		var a []any
		if keep {
			a = []any{}
		}
		for first := true; r.Item(&first); {
			v := r.value(keep, "")
			if keep {
				a = append(a, v)
			}
		}
		if keep {
			out = a
		}
	case c == '"':
		if !keep {
			r.rawString()
			break
		}
		if s, ok := r.Str(); ok {
			out = s
		}
	case c == 't':
		r.literal("true")
		out = true
	case c == 'f':
		r.literal("false")
		out = false
	case c == 'n':
		r.literal("null")
	case isNumberStart(c):
		if !keep {
			r.number()
			break
		}
		if f, ok := r.parseFloat(64); ok {
			out = f
		}
	default:
		r.syntax("looking for beginning of value")
	}
	if mismatch != "" && r.err == nil {
		r.pos = start
		r.Mismatch(mismatch)
	}
	if !keep || r.err != nil {
		return nil
	}
	return out
}

// Raw reads a value of any kind and returns its text as written, valid
// until the next read, and the offset in the input where it starts.
func (r *Reader) Raw() ([]byte, int) {
	r.Peek()
	start := r.pos
	r.Skip()
	if r.err != nil {
		return nil, 0
	}
	return r.data[start:r.pos], r.base + start
}

// Unmarshal reads a value of any kind and hands its text to u, as
// encoding/json hands a value to a json.Unmarshaler; an error of u is an
// error at the value's offset. From an io.Reader the text is only valid
// during the call.
func (r *Reader) Unmarshal(u interface{ UnmarshalJSON([]byte) error }) {
	r.Peek()
	start := r.pos
	raw, _ := r.Raw()
	if r.err != nil {
		return
	}
	if err := u.UnmarshalJSON(raw); err != nil {
		r.pos = start
		r.Fail("%v", err)
	}
}

// Part returns a Reader of raw, a value Raw returned at offset: its
// errors name offsets in r's input, and it nests no deeper than r may
// from where raw was. Adopt takes its error back.
func (r *Reader) Part(raw []byte, offset int) Reader {
	return Reader{data: raw, base: offset, depth: r.depth}
}

// Adopt takes the error of a Reader made by Part, if r has none.
func (r *Reader) Adopt(part *Reader) {
	if part.err != nil && r.err == nil {
		r.err = part.err
		r.pos = len(r.data)
	}
}

// Names are the JSON field names of a type, for keys that match none
// exactly: encoding/json then takes the first field whose name equals the
// key under Unicode case folding (bytes.EqualFold, by which the Kelvin
// sign is a K and ſ an s).
type Names [][]byte

// NewNames returns the Names of a type's fields, in the order of the
// fields.
func NewNames(list ...string) Names {
	n := make(Names, len(list))
	for i, s := range list {
		n[i] = []byte(s)
	}
	return n
}

// Fold returns the first name that key matches case-insensitively, or nil.
func (n Names) Fold(key []byte) []byte {
	for _, name := range n {
		if bytes.EqualFold(key, name) {
			return name
		}
	}
	return nil
}

// SetAny sets *p to a value of any kind, as Any reads it.
func (r *Reader) SetAny(p *any) { *p = r.Any() }

// Len returns how many bytes of input r has read so far: all of a byte
// slice, and as much of an io.Reader as has been read from it.
func (r *Reader) Len() int { return r.base + len(r.data) }
