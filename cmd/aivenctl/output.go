package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/aivenapi/aivenapi/internal/secret"
)

// writeJSON prints v as JSON indented by two spaces, in one write.
// Characters that could drive a terminal and that encoding/json leaves as
// they are (DEL, C1 controls, bidirectional overrides) are written as \u
// escapes, which every JSON reader decodes to the same text.
func (c *cli) writeJSON(v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // for jq and people: "<" stays "<"
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode JSON: %w", err)
	}
	return c.writeRawJSON(buf.Bytes())
}

// writeRawJSON prints the valid JSON value v as writeJSON prints a value
// it encoded, keeping v's fields, their order and its numbers as written.
func (c *cli) writeRawJSON(v []byte) error {
	_, err := c.stdout.Write(indentJSON(make([]byte, 0, 2*len(v)), v))
	return err
}

// indentJSON appends to dst the JSON value src, laid out as json.Indent
// with an indent of two spaces lays it out, and escapes in its strings the
// characters escapeText escapes and encoding/json does not. src must be
// valid JSON, as encoding/json writes it.
//
// It does in one pass over the bytes what json.Indent and a search for
// those characters did in two state-machine passes: that was a third of
// the time of "cloud list --json" once the response was decoded.
func indentJSON(dst, src []byte) []byte {
	depth := 0
	newline := func() {
		dst = append(dst, '\n')
		for range depth {
			dst = append(dst, ' ', ' ')
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"':
			dst, i = appendString(dst, src, i)
		case '{', '[':
			dst = append(dst, c)
			if j := skipSpace(src, i+1); j < len(src) && (src[j] == '}' || src[j] == ']') {
				dst = append(dst, src[j]) // {} and [] stay on one line
				i = j
				continue
			}
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, ':', ' ')
		case ' ', '\t', '\n', '\r':
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '\n')
}

// appendString appends the JSON string that starts at src[i] and returns
// the index of its closing quote.
func appendString(dst, src []byte, i int) ([]byte, int) {
	dst = append(dst, '"')
	for i++; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '"':
			return append(dst, c), i
		case c == '\\' && i+1 < len(src):
			dst = append(dst, c, src[i+1])
			i++
		case c < 0x7f:
			dst = append(dst, c)
		default:
			r, size := utf8.DecodeRune(src[i:])
			if unsafeRune(r) {
				dst = fmt.Appendf(dst, `\u%04x`, r)
			} else {
				dst = append(dst, src[i:i+size]...)
			}
			i += size - 1
		}
	}
	return dst, i
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// writeTable prints an aligned table, in one write. Cells are escaped (see
// escapeText), which also keeps a tab or a line break in API text from
// breaking the columns. Columns are aligned on the width the text takes on
// a terminal (text/tabwriter counts runes, so 東京 would shift the columns
// after it).
func (c *cli) writeTable(header []string, rows [][]string) error {
	all := append([][]string{header}, rows...)
	var widths []int
	for _, r := range all {
		for i := range r {
			r[i] = escapeText(r[i])
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(r[i]))
		}
	}
	var out, line strings.Builder
	for _, r := range all {
		line.Reset()
		for i, cell := range r {
			line.WriteString(cell)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
			}
		}
		// An empty last cell leaves the padding of the cells before it.
		out.WriteString(strings.TrimRight(line.String(), " "))
		out.WriteByte('\n')
	}
	_, err := io.WriteString(c.stdout, out.String())
	return err
}

// displayWidth is how many terminal columns s takes: two for East Asian
// wide and fullwidth characters and most emoji, none for combining marks
// and zero-width characters, one for the rest.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case r < 0x300:
			w++
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		case wide(r):
			w += 2
		default:
			w++
		}
	}
	return w
}

// wideRanges are the blocks of East Asian wide and fullwidth characters
// (Unicode Standard Annex #11) and of emoji shown two columns wide.
var wideRanges = [][2]rune{
	{0x1100, 0x115f},   // Hangul Jamo initial consonants
	{0x2e80, 0x303e},   // CJK radicals, Kangxi, ideographic description, CJK symbols
	{0x3041, 0x33ff},   // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, CJK compatibility
	{0x3400, 0x4dbf},   // CJK extension A
	{0x4e00, 0x9fff},   // CJK unified ideographs
	{0xa000, 0xa4cf},   // Yi
	{0xa960, 0xa97f},   // Hangul Jamo extended A
	{0xac00, 0xd7a3},   // Hangul syllables
	{0xf900, 0xfaff},   // CJK compatibility ideographs
	{0xfe10, 0xfe19},   // vertical forms
	{0xfe30, 0xfe6f},   // CJK compatibility forms, small form variants
	{0xff00, 0xff60},   // fullwidth forms
	{0xffe0, 0xffe6},   // fullwidth signs
	{0x1f300, 0x1f64f}, // pictographs, emoticons
	{0x1f900, 0x1f9ff}, // supplemental symbols and pictographs
	{0x20000, 0x3fffd}, // CJK extensions B and beyond
}

func wide(r rune) bool {
	for _, rg := range wideRanges {
		if r < rg[0] {
			return false
		}
		if r <= rg[1] {
			return true
		}
	}
	return false
}

// escapeText makes API text safe to print on a terminal: control
// characters (escape sequences, tabs, line breaks, C1 codes), bidirectional
// overrides, line and paragraph separators and invalid UTF-8 are written
// as Go escapes (\x1b, \u202e); everything else, unicode included, as is.
func escapeText(s string) string {
	clean := true
	for _, r := range s {
		if unsafeRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	if r < 0x80 {
		return r < 0x20 || r == 0x7f
	}
	return r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) ||
		r == '\u2028' || r == '\u2029'
}

// masker hides the token in everything the command prints, as a last
// guard: even a server that echoes the token back, in any encoding, gets
// "****" printed. Each output is written in one Write, so a token is never
// split between two writes.
type masker struct {
	secrets atomic.Pointer[secret.Set]
}

// set makes the writers mask tok from now on.
func (m *masker) set(tok string) { m.secrets.Store(secret.New(tok)) }

func (m *masker) wrap(w io.Writer) io.Writer { return &maskWriter{w: w, m: m} }

type maskWriter struct {
	w io.Writer
	m *masker
}

func (mw *maskWriter) Write(p []byte) (int, error) {
	s := mw.m.secrets.Load()
	if s.Empty() {
		return mw.w.Write(p)
	}
	if masked := s.Mask(string(p)); masked != string(p) {
		p0 := len(p)
		if _, err := io.WriteString(mw.w, masked); err != nil {
			return 0, err
		}
		return p0, nil
	}
	return mw.w.Write(p)
}
