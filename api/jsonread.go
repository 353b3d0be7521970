package api

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// reader decodes JSON from memory in one pass that also checks the syntax,
// for the decoders of decode.go. It is what makes decoding fast: no
// separate validation pass, no reflection, strings copied once.
//
// Its results follow encoding/json.Unmarshal exactly (decode_test.go
// proves it on fuzzed input): the same strings, the same numbers, the same
// inputs rejected. Errors are sticky: after the first one every read
// returns a zero value and every loop ends, and fail reports it.
type reader struct {
	data []byte
	pos  int
	err  *decodeError
	// scratch holds an escaped object key while it is matched; buf an
	// escaped string while it is unescaped.
	scratch, buf []byte
	// text holds the bytes of the strings decoded so far, and strs and
	// floats the values that *string and *float64 fields point to: one
	// allocation for many small values (see newString).
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

// newString returns b as a string. Short strings are copied into a block
// of text shared with the strings decoded before them: the decoder never
// writes to the part of a block a string points to, so the string stays
// immutable, as Go requires.
func (r *reader) newString(b []byte) string {
	switch {
	case len(b) == 0:
		return ""
	case len(b) > textBlock/8:
		return string(b)
	}
	if cap(r.text)-len(r.text) < len(b) {
		// A small body needs no more than its own size.
		r.text = make([]byte, 0, max(len(b), min(textBlock, len(r.data))))
	}
	start := len(r.text)
	r.text = append(r.text, b...)
	return unsafe.String(&r.text[start], len(b))
}

// newStringPtr returns a pointer to an empty string of a shared block.
func (r *reader) newStringPtr() *string {
	if len(r.strs) == 0 {
		r.strs = make([]string, ptrBlock)
	}
	p := &r.strs[0]
	r.strs = r.strs[1:]
	return p
}

// newFloatPtr returns a pointer to a zero float64 of a shared block.
func (r *reader) newFloatPtr() *float64 {
	if len(r.floats) == 0 {
		r.floats = make([]float64, ptrBlock)
	}
	p := &r.floats[0]
	r.floats = r.floats[1:]
	return p
}

// decodeError is what is wrong with a body, and where.
type decodeError struct {
	offset int
	msg    string
}

func (e *decodeError) Error() string {
	return fmt.Sprintf("at byte %d: %s", e.offset, e.msg)
}

// fail records the first error at the current offset.
func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = &decodeError{offset: r.pos, msg: fmt.Sprintf(format, args...)}
	}
	r.pos = len(r.data) // every later read sees the end and stops
}

// syntax records a syntax error at the current byte.
func (r *reader) syntax(context string) {
	if r.pos >= len(r.data) {
		r.fail("unexpected end of JSON input %s (cut short?)", context)
		return
	}
	r.fail("invalid character %s %s", quoteByte(r.data[r.pos]), context)
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

// mismatch records a value of the wrong kind for what is being decoded.
func (r *reader) mismatch(want string) {
	r.fail("want %s, got %s", want, kindName(r.peek()))
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

// peek skips white space and returns the next byte, or 0 at the end.
func (r *reader) peek() byte {
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

// end checks that nothing but white space follows the top-level value.
func (r *reader) end() {
	if r.peek(); r.pos < len(r.data) && r.err == nil {
		r.syntax("after top-level value")
	}
}

// null consumes a null if one is next, and reports whether it did.
func (r *reader) null() bool {
	if r.peek() != 'n' {
		return false
	}
	r.literal("null")
	return true
}

func (r *reader) literal(word string) {
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

// object starts an object: it consumes "{" and reports true, or consumes a
// null and reports false (null leaves a value as it is), or records a
// mismatch and reports false.
func (r *reader) object() bool {
	switch r.peek() {
	case '{':
		r.pos++
		r.scratch = r.scratch[:0]
		return true
	case 'n':
		r.literal("null")
	default:
		r.value(false, "an object")
	}
	return false
}

// field reads the next key of an object started with object and the colon
// after it; it reports false at the closing brace, which it consumes. The
// key is valid until the next call.
func (r *reader) field(first *bool) ([]byte, bool) {
	c := r.peek()
	if *first {
		*first = false
		if c == '}' {
			r.pos++
			return nil, false
		}
	} else {
		switch c {
		case '}':
			r.pos++
			return nil, false
		case ',':
			r.pos++
			c = r.peek()
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
	if r.peek() != ':' {
		r.syntax("after object key")
		return nil, false
	}
	r.pos++
	return key.text, true
}

// array starts an array like object starts an object.
func (r *reader) array() bool {
	switch r.peek() {
	case '[':
		r.pos++
		return true
	case 'n':
		r.literal("null")
	default:
		r.value(false, "an array")
	}
	return false
}

// item reports whether another element of an array follows, consuming
// the comma before it or the closing bracket.
func (r *reader) item(first *bool) bool {
	c := r.peek()
	if *first {
		*first = false
		if c == ']' {
			r.pos++
			return false
		}
		return r.err == nil
	}
	switch c {
	case ']':
		r.pos++
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
func (r *reader) rawString() (rawString, bool) {
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

// str reads a string value. ok is false for null (the value is left as
// it is) and on an error.
func (r *reader) str() (s string, ok bool) {
	switch r.peek() {
	case '"':
		raw, ok := r.rawString()
		if !ok {
			return "", false
		}
		if raw.escaped {
			r.buf = unquote(r.buf[:0], raw.text)
			return r.newString(r.buf), true
		}
		return r.newString(raw.text), true
	case 'n':
		r.literal("null")
	default:
		r.value(false, "a string")
	}
	return "", false
}

// setString sets *p to a string value; null leaves it.
func (r *reader) setString(p *string) {
	if s, ok := r.str(); ok {
		*p = s
	}
}

// setStringPtr sets *p to a string value, reusing the string it points to
// as encoding/json does; null sets it to nil.
func (r *reader) setStringPtr(p **string) {
	if r.null() {
		*p = nil
		return
	}
	if s, ok := r.str(); ok {
		if *p == nil {
			*p = r.newStringPtr()
		}
		**p = s
	}
}

// number reads a number and returns its text.
func (r *reader) number() ([]byte, bool) {
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
	r.pos = i
	return data[start:i], true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isNumberStart reports whether c begins a number.
func isNumberStart(c byte) bool { return c == '-' || isDigit(c) }

// setInt sets *p to an integer value; null leaves it. A fraction, an
// exponent or a value out of range is a mismatch, as for encoding/json.
func (r *reader) setInt(p *int) {
	c := r.peek()
	if c == 'n' {
		r.literal("null")
		return
	}
	if !isNumberStart(c) {
		r.value(false, "an integer")
		return
	}
	start := r.pos
	text, ok := r.number()
	if !ok {
		return
	}
	n, err := strconv.ParseInt(string(text), 10, strconv.IntSize)
	if err != nil {
		r.pos = start
		r.fail("want an integer, got %.40s", text)
		return
	}
	*p = int(n)
}

// setFloatPtr sets *p to a number value, reusing the float it points to;
// null sets it to nil.
func (r *reader) setFloatPtr(p **float64) {
	c := r.peek()
	if c == 'n' {
		r.literal("null")
		*p = nil
		return
	}
	if !isNumberStart(c) {
		r.value(false, "a number")
		return
	}
	f, ok := r.float()
	if !ok {
		return
	}
	if *p == nil {
		*p = r.newFloatPtr()
	}
	**p = f
}

func (r *reader) float() (float64, bool) {
	start := r.pos
	text, ok := r.number()
	if !ok {
		return 0, false
	}
	if f, ok := shortDecimal(text); ok {
		return f, true
	}
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil {
		r.pos = start
		r.fail("number %.40s out of range", text)
		return 0, false
	}
	return f, true
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

// setIntPtr sets *p to an integer value, reusing the int it points to;
// null sets it to nil.
func (r *reader) setIntPtr(p **int) {
	if r.null() {
		*p = nil
		return
	}
	if *p != nil {
		r.setInt(*p)
		return
	}
	var n int
	if r.setInt(&n); r.err == nil {
		*p = &n
	}
}

// setBoolPtr sets *p to a boolean value, reusing the bool it points to;
// null sets it to nil.
func (r *reader) setBoolPtr(p **bool) {
	var b bool
	switch r.peek() {
	case 'n':
		r.literal("null")
		*p = nil
		return
	case 't':
		r.literal("true")
		b = true
	case 'f':
		r.literal("false")
	default:
		r.value(false, "a boolean")
		return
	}
	if r.err != nil {
		return
	}
	if *p == nil {
		*p = new(bool)
	}
	**p = b
}

// skip reads a value of any kind and drops it.
func (r *reader) skip() { r.value(false, "") }

// anyValue reads a value of any kind into what encoding/json decodes into
// an interface{}: map[string]any, []any, string, float64, bool or nil.
func (r *reader) anyValue() any { return r.value(true, "") }

// value reads a value of any kind; with keep it builds and returns what
// anyValue does. When mismatch names a kind, the value (once its syntax is
// checked) is a mismatch for it.
func (r *reader) value(keep bool, mismatch string) any {
	start := r.pos
	var out any
	switch c := r.peek(); {
	case c == '{':
		r.pos++
		var m map[string]any
		if keep {
			m = map[string]any{}
		}
		for first := true; ; {
			key, ok := r.field(&first)
			if !ok {
				break
			}
			if !keep {
				r.value(false, "")
				continue
			}
			k := r.newString(key)
			m[k] = r.value(true, "")
		}
		if keep {
			out = m
		}
	case c == '[':
		r.pos++
		var a []any
		if keep {
			a = []any{}
		}
		for first := true; r.item(&first); {
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
		if s, ok := r.str(); ok {
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
		if f, ok := r.float(); ok {
			out = f
		}
	default:
		r.syntax("looking for beginning of value")
	}
	if mismatch != "" && r.err == nil {
		r.pos = start
		r.mismatch(mismatch)
	}
	if !keep || r.err != nil {
		return nil
	}
	return out
}

// raw reads a value of any kind and returns its text as written.
func (r *reader) raw() []byte {
	r.peek()
	start := r.pos
	r.skip()
	if r.err != nil {
		return nil
	}
	return r.data[start:r.pos]
}

// names are the JSON field names of a type, for keys that match none
// exactly: encoding/json then takes the field whose name equals the key
// under Unicode case folding (bytes.EqualFold, by which the Kelvin sign
// is a K and ſ an s).
type names [][]byte

func fieldNames(list ...string) names {
	n := make(names, len(list))
	for i, s := range list {
		n[i] = []byte(s)
	}
	return n
}

// fold returns the name key matches case-insensitively, or nil.
func (n names) fold(key []byte) []byte {
	for _, name := range n {
		if bytes.EqualFold(key, name) {
			return name
		}
	}
	return nil
}
