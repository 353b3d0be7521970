package secret

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Redacted stands for a secret in every message and every printed form.
const Redacted = "****"

// MinLen is the length under which a value is not masked: shorter ones
// cannot be real credentials and would garble ordinary text.
const MinLen = 4

// Set is a set of secret values and of the forms a server may echo them
// in. A nil or empty Set masks nothing but still strips URLs. It is
// immutable and safe for concurrent use.
type Set struct {
	values []string
	forms  []string // every encoded form, longest first
	with   string   // what a secret becomes: Redacted, or "" if a form holds a '*'
}

// New returns the set of the given values; those shorter than MinLen and
// duplicates are dropped.
func New(values ...string) *Set {
	s := &Set{}
	for _, v := range values {
		if len(v) >= MinLen && !slices.Contains(s.values, v) {
			s.values = append(s.values, v)
			s.forms = append(s.forms, forms(v)...)
		}
	}
	slices.SortFunc(s.forms, func(a, b string) int { return len(b) - len(a) })
	s.forms = slices.Compact(s.forms)
	s.with = Redacted
	if slices.ContainsFunc(s.forms, func(f string) bool { return strings.Contains(f, "*") }) {
		s.with = "" // "****" next to a star could rebuild such a secret
	}
	return s
}

// Empty reports whether s masks nothing.
func (s *Set) Empty() bool { return s == nil || len(s.values) == 0 }

// forms returns the forms in which v may come back: as sent; URL query
// and path escaping; JSON and HTML escaping; decoded once too often; and
// base64 in both alphabets, padded and not, whole and at each of the three
// alignments it may have inside a longer encoded text. Other escapes (in
// lower-case hex, of only some characters, in layers) are undone by Mask's
// decoding instead.
func forms(v string) []string {
	out := []string{v}
	out = append(out, url.QueryEscape(v), url.PathEscape(v))
	if j, err := json.Marshal(v); err == nil {
		out = append(out, string(j[1:len(j)-1]))
	}
	out = append(out, html.EscapeString(v))
	// A server may also decode what it was sent once too often.
	for _, dec := range decoders {
		if d := dec(v); d != v && len(d) >= MinLen {
			out = append(out, d)
		}
	}
	n := len(v)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		out = append(out, enc.EncodeToString([]byte(v)))
		raw := enc.WithPadding(base64.NoPadding)
		for k := range 3 {
			// Encoded after k other bytes, the characters that depend on
			// v's bytes alone run from ceil(8k/6) to floor(8(k+n)/6).
			e := raw.EncodeToString(append(make([]byte, k), v...))
			from, to := (8*k+5)/6, 8*(k+n)/6
			if to-from >= MinLen {
				out = append(out, e[from:to])
			}
		}
	}
	return out
}

// Mask replaces every secret of s in text by Redacted, in each of its
// forms. Where text holds a secret only once decoded (HTML entities, URL
// escapes, JSON escapes, applied to all or only some characters, up to
// three layers in any order), Mask returns the decoded text with the
// secret masked: decode, then mask.
func (s *Set) Mask(text string) string {
	if s.Empty() {
		return text
	}
	return s.mask(text, 8)
}

func (s *Set) mask(text string, depth int) string {
	text = s.maskForms(text)
	for _, v := range decodings(text)[1:] {
		if s.contains(v) {
			if depth == 0 {
				return Redacted // layer upon layer: give up the text
			}
			return s.mask(v, depth-1)
		}
	}
	return text
}

// decodings returns text and what it becomes once one, two or three of
// the decoders are applied, in any order; two at most for a text of more
// than 64 KiB (such as a command's output), to bound the cost.
func decodings(text string) []string {
	views, most := []string{text}, 1+4+16+64
	if len(text) > 64<<10 {
		most = 1 + 4 + 16
	}
	for from := 0; from < len(views) && len(views) < most; from++ {
		for _, dec := range decoders {
			if d := dec(views[from]); !slices.Contains(views, d) {
				views = append(views, d)
			}
		}
	}
	return views
}

// Contains reports whether text holds a secret of s, in any form Mask
// masks.
func (s *Set) Contains(text string) bool {
	return !s.Empty() && s.Mask(text) != text
}

func (s *Set) contains(text string) bool {
	for _, f := range s.forms {
		if strings.Contains(text, f) {
			return true
		}
	}
	return false
}

// maskForms replaces every stretch of text covered by an occurrence of a
// form (overlapping occurrences joined) by one Redacted, so that no
// replacement can leave part of a secret; where secrets hold stars, they
// are cut out instead, until none is left.
func (s *Set) maskForms(text string) string {
	text = s.maskOnce(text)
	for s.with == "" && s.contains(text) {
		text = s.maskOnce(text) // each pass makes text shorter
	}
	return text
}

func (s *Set) maskOnce(text string) string {
	var spans [][2]int
	for _, f := range s.forms {
		for i := 0; i <= len(text)-len(f); {
			j := strings.Index(text[i:], f)
			if j < 0 {
				break
			}
			spans = append(spans, [2]int{i + j, i + j + len(f)})
			i += j + 1
		}
	}
	if len(spans) == 0 {
		return text
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	var b strings.Builder
	at := 0
	for i := 0; i < len(spans); {
		start, end := spans[i][0], spans[i][1]
		for i++; i < len(spans) && spans[i][0] <= end; i++ {
			end = max(end, spans[i][1])
		}
		b.WriteString(text[at:start])
		b.WriteString(s.with)
		at = end
	}
	b.WriteString(text[at:])
	return b.String()
}

// MaskTail masks text that was cut short: the secrets in it, and the
// start of a secret left at its end (see maskCut).
func (s *Set) MaskTail(text string) string {
	text = s.Mask(text)
	return s.maskCut(text, len(text))
}

// maskCuts masks, before each "…" of text (the mark of a cut, as OneLine
// and other excerpts leave it), the start of a secret that the cut left.
func (s *Set) maskCuts(text string) string {
	for from := 0; ; {
		i := strings.Index(text[from:], "…")
		if i < 0 {
			return text
		}
		before := len(text)
		text = s.maskCut(text, from+i)
		from += i + len("…") + len(text) - before
	}
}

// maskCut replaces the word that ends at text[end] (a quote before it
// aside) by Redacted if, as it is or decoded, it ends with the first 3
// bytes or more of a secret in any form.
func (s *Set) maskCut(text string, end int) string {
	if s.Empty() {
		return text
	}
	end = len(strings.TrimRight(text[:end], `"'`))
	start := strings.LastIndexAny(text[:end], " \t\r\n") + 1
	word := text[start:end]
	for _, v := range decodings(word) {
		for _, f := range s.forms {
			for k := min(len(f)-1, len(v)); k >= 3; k-- {
				if strings.HasSuffix(v, f[:k]) {
					return text[:start] + s.with + text[end:]
				}
			}
		}
	}
	return text
}

// decoders undo the encodings a server may apply to any part of a text.
var decoders = []func(string) string{html.UnescapeString, unescapePercent, unescapeJSON, unescapeQuery}

// unescapePercent decodes every valid %XX escape and leaves the rest.
func unescapePercent(s string) string {
	return unescape(s, '%', func(rest string) (string, int) {
		if n, err := strconv.ParseUint(rest[1:min(3, len(rest))], 16, 8); err == nil && len(rest) >= 3 {
			return string([]byte{byte(n)}), 3
		}
		return "", 0
	})
}

// unescape copies s, replacing each escape that starts with the byte
// mark by what decode returns for it (decode reads the rest of s from the
// mark and says how many bytes it took; 0 leaves the mark as it is).
func unescape(s string, mark byte, decode func(rest string) (string, int)) string {
	i := strings.IndexByte(s, mark)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for ; i >= 0; i = strings.IndexByte(s, mark) {
		b.WriteString(s[:i])
		d, n := decode(s[i:])
		if n == 0 {
			d, n = s[i:i+1], 1
		}
		b.WriteString(d)
		s = s[i+n:]
	}
	b.WriteString(s)
	return b.String()
}

// unescapeQuery is unescapePercent with '+' read as a space.
func unescapeQuery(s string) string {
	if !strings.Contains(s, "+") {
		return s
	}
	return unescapePercent(strings.ReplaceAll(s, "+", " "))
}

// unescapeJSON decodes every valid JSON string escape (\n, \", \/, \uXXXX,
// surrogate pairs) and leaves the rest.
func unescapeJSON(s string) string {
	hex := func(s string) (rune, bool) {
		if len(s) < 6 || s[1] != 'u' {
			return 0, false
		}
		n, err := strconv.ParseUint(s[2:6], 16, 16)
		return rune(n), err == nil
	}
	return unescape(s, '\\', func(rest string) (string, int) {
		if r, ok := hex(rest); ok {
			if lo, ok := hex(rest[6:]); ok && utf16.IsSurrogate(r) {
				return string(utf16.DecodeRune(r, lo)), 12
			}
			return string(r), 6
		}
		if len(rest) < 2 {
			return "", 0
		}
		if i := strings.IndexByte("\"\\/bfnrt", rest[1]); i >= 0 {
			return "\"\\/\b\f\n\r\t"[i : i+1], 2
		}
		return "", 0
	})
}
