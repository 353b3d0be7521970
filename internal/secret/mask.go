package secret

import (
	"encoding/base64"
	"encoding/hex"
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

// forms returns the forms in which v may come back: as sent, in upper
// and in lower case (a hex token so echoed is the same token); URL query
// and path escaping; JSON and HTML escaping; decoded once too often; hex;
// and base64 in both alphabets, padded and not, whole and at each of the
// three alignments it may have inside a longer encoded text. Other
// escapes (in lower-case hex, of only some characters, in layers, inside
// base64) are undone by Mask's decoding instead.
func forms(v string) []string {
	j, _ := json.Marshal(v)
	h := hex.EncodeToString([]byte(v))
	out := []string{v, strings.ToUpper(v), strings.ToLower(v), url.QueryEscape(v), url.PathEscape(v), string(j[1 : len(j)-1]), html.EscapeString(v), h, strings.ToUpper(h)}
	// A server may also decode what it was sent once too often.
	for _, dec := range decoders {
		if d := dec(v); d != v && len(d) >= MinLen {
			out = append(out, d)
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		out = append(out, enc.EncodeToString([]byte(v)))
		raw := enc.WithPadding(base64.NoPadding)
		for k := range 3 {
			// Encoded after k other bytes, the characters that depend on
			// v's bytes alone run from ceil(8k/6) to floor(8(k+n)/6).
			e := raw.EncodeToString(append(make([]byte, k), v...))
			if from, to := (8*k+5)/6, 8*(k+len(v))/6; to-from >= MinLen {
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
	if depth > 4 {
		text = s.maskBase64(text, 4)
	}
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

// maskBase64 replaces by one Redacted each run of base64 characters of
// text that, decoded at one of its four alignments, holds a secret of s
// in any form Mask finds to depth: such as a JSON document, a header or an
// escaped secret a server encoded.
func (s *Set) maskBase64(text string, depth int) string {
	var spans [][2]int
	for i := 0; i < len(text); {
		j, upper := i, false
		for ; j < len(text) && isBase64(text[j]); j++ {
			upper = upper || 'A' <= text[j] && text[j] <= 'Z'
		}
		if j-i >= 8 && upper && s.inBase64(text[i:j], depth) {
			spans = append(spans, [2]int{i, j})
		}
		i = j + 1
	}
	return s.replace(text, spans)
}

var toStd = strings.NewReplacer("-", "+", "_", "/")

func isBase64(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_'
}

// inBase64 reports whether a run of base64 characters holds, decoded, a
// secret of s in any form Mask finds to depth.
func (s *Set) inBase64(run string, depth int) bool {
	return slices.ContainsFunc(base64Views(run), func(d string) bool { return s.mask(d, depth) != d })
}

// base64Views returns run decoded, in either alphabet, from each of its
// first four characters. Only a decoding with MinLen printable ASCII
// characters in a row can hold the escaped or encoded form of a secret
// (a raw one is among a Set's forms): the others, decodings of ordinary
// words, are left out.
func base64Views(run string) []string {
	run = toStd.Replace(run)
	buf := make([]byte, len(run))
	var views []string
	for k := range min(4, len(run)) {
		r := run[k:]
		if len(r)%4 == 1 {
			r = r[:len(r)-1] // one character encodes no byte
		}
		if n, err := base64.RawStdEncoding.Decode(buf, []byte(r)); err == nil && printable(buf[:n]) {
			views = append(views, string(buf[:n]))
		}
	}
	return views
}

// printable reports whether b holds MinLen printable ASCII bytes in a row.
func printable(b []byte) bool {
	n := 0
	for _, c := range b {
		if n++; c < ' ' || c > '~' {
			n = 0
		}
		if n >= MinLen {
			return true
		}
	}
	return false
}

// decodings returns text and what it becomes once one, two or three of
// the decoders are applied, in any order; two at most for a text of more
// than 64 KiB (such as a command's output), to bound the cost.
func decodings(text string) []string {
	n := len(decoders)
	views, most := []string{text}, 1+n+n*n+n*n*n
	if len(text) > 64<<10 {
		most = 1 + n + n*n
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
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	return s.replace(text, spans)
}

// replace returns text with each of spans (sorted by start, overlapping
// ones joined) replaced by one Redacted.
func (s *Set) replace(text string, spans [][2]int) string {
	if len(spans) == 0 {
		return text
	}
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

// maskCuts masks, before each "…" of text (the mark of a cut, as OneLine
// and other excerpts leave it), the start of a secret that the cut left.
func (s *Set) maskCuts(text string) string {
	parts := strings.Split(text, "…")
	for i, p := range parts[:len(parts)-1] {
		parts[i] = s.maskCut(p)
	}
	return strings.Join(parts, "…")
}

// maskCut replaces the last word of text (a quote after it aside) by
// Redacted if, as it is or decoded, it ends with the first 3 bytes or
// more of a secret in any form, followed by at most 12 bytes (such as an
// escape that the cut left incomplete, which no decoder undoes).
func (s *Set) maskCut(text string) string {
	if s.Empty() {
		return text
	}
	end := len(strings.TrimRight(text, `"'`))
	start := strings.LastIndexAny(text[:end], " \t\r\n") + 1
	word := text[start:end]
	run := word[strings.LastIndexFunc(word, func(r rune) bool { return r > 0x7f || !isBase64(byte(r)) })+1:]
	for _, v := range append(decodings(word), base64Views(run)...) {
		for _, f := range s.forms {
			for i := max(0, len(v)-len(f)-12); i < len(v); i++ {
				j := strings.Index(v[i:], f[:3])
				if j < 0 {
					break
				}
				i += j
				if m := commonPrefix(v[i:], f); len(v)-(i+m) <= 12 {
					return text[:start] + s.with + text[end:]
				}
			}
		}
	}
	return text
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// decoders undo the encodings a server may apply to any part of a text.
var decoders = []func(string) string{unescapeHTML, unescapePercent, unescapeJSON, unescapeQuery}

// unescapeHTML decodes HTML entities as html.UnescapeString does, but for
// a numeric entity without its ';' whose digits run on past an ASCII
// character into the text after it, which it ends there ("&#X39" + "0"
// for the "&#X390" that html.UnescapeString reads as U+0390): a server
// that leaves out the ';' writes one entity per character of what it
// echoes, and the text after the last one may start with a digit.
func unescapeHTML(s string) string {
	return html.UnescapeString(unescape(s, '&', func(rest string) (string, int) {
		if len(rest) < 3 || rest[1] != '#' {
			return "", 0
		}
		digits, base, at := "0123456789", 10, 2
		if rest[2] == 'x' || rest[2] == 'X' {
			digits, base, at = "0123456789abcdefABCDEF", 16, 3
		}
		end := at
		for end < len(rest) && strings.IndexByte(digits, rest[end]) >= 0 {
			end++
		}
		if n, err := strconv.ParseUint(rest[at:end], base, 8); err == nil && n < 0x80 || end < len(rest) && strings.IndexByte(";&", rest[end]) >= 0 {
			return "", 0 // a plain entity, or one followed by the next
		}
		for end--; end > at; end-- {
			if n, err := strconv.ParseUint(rest[at:end], base, 8); err == nil && n < 0x80 {
				return rest[:end] + ";", end // the ';' that ends it
			}
		}
		return "", 0
	}))
}

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
	var b strings.Builder
	done := 0 // s[:done] is in b
	for i := strings.IndexByte(s, mark); i >= 0; {
		if d, n := decode(s[i:]); n > 0 {
			b.Grow(len(s))
			b.WriteString(s[done:i])
			b.WriteString(d)
			done = i + n
			i += n
		} else {
			i++
		}
		if j := strings.IndexByte(s[i:], mark); j >= 0 {
			i += j
		} else {
			i = -1
		}
	}
	if done == 0 {
		return s // nothing decoded: the same string, not a copy
	}
	b.WriteString(s[done:])
	return b.String()
}

// unescapeQuery is unescapePercent with '+' read as a space.
func unescapeQuery(s string) string {
	if !strings.Contains(s, "+") {
		return s
	}
	return unescapePercent(strings.ReplaceAll(s, "+", " "))
}

// unescapeJSON decodes every valid JSON string escape (\n, \", \/,
// \uXXXX, surrogate pairs) and JavaScript's \xXX, and leaves the rest.
func unescapeJSON(s string) string {
	hex := func(s string, at, n int) (rune, bool) {
		if len(s) < at+n {
			return 0, false
		}
		r, err := strconv.ParseUint(s[at:at+n], 16, 16)
		return rune(r), err == nil
	}
	return unescape(s, '\\', func(rest string) (string, int) {
		if len(rest) < 2 {
			return "", 0
		}
		switch rest[1] {
		case 'u':
			if r, ok := hex(rest, 2, 4); ok {
				if lo, ok := hex(rest, 8, 4); ok && rest[6:8] == `\u` && utf16.IsSurrogate(r) {
					return string(utf16.DecodeRune(r, lo)), 12
				}
				return string(r), 6
			}
		case 'x':
			if b, ok := hex(rest, 2, 2); ok {
				return string([]byte{byte(b)}), 4
			}
		}
		if i := strings.IndexByte(`"\/bfnrt`, rest[1]); i >= 0 {
			return "\"\\/\b\f\n\r\t"[i : i+1], 2
		}
		return "", 0
	})
}
