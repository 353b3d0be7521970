// Package leaktest gives the tests of this module one independent way to
// echo a secret as hostile servers do, and to find it in what came out.
// It uses only the standard library's encoders and decoders, never package
// secret, so that a test cannot pass by sharing the code it checks.
package leaktest

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Tokens are secrets of the shapes a test should try: opaque, with the
// characters that every escaping changes, non-ASCII, and as short as a
// credential may be (secret.MinLen).
var Tokens = []string{
	"tok-LEAK-5e3f9a1b7c0d2e4f",
	`k&y<v>"q'/+=%20;x`,
	"schlüssel-ÄÖÜ-€-9d8c7b",
	"Zq9/",
}

// Echo is one way a server may send a secret back.
type Echo struct {
	Name string
	Form func(tok string) string
}

// Echoes lists the forms a server or proxy echoes a secret in: as sent,
// URL query and path escaping (also lower-case hex, also every byte),
// HTML entities (named, decimal, hex), JSON escapes (also every
// character), base64 in both alphabets with and without padding, whole and
// inside a longer encoded text at each alignment, and one encoding inside
// another.
var Echoes = []Echo{
	{"raw", func(t string) string { return t }},
	{"query", url.QueryEscape},
	{"path", url.PathEscape},
	{"query lower hex", func(t string) string { return lowerHex(url.QueryEscape(t)) }},
	{"every byte percent", func(t string) string { return everyByte(t, "%%%02X") }},
	{"every byte percent lower", func(t string) string { return everyByte(t, "%%%02x") }},
	{"html", html.EscapeString},
	{"html decimal", func(t string) string { return everyRune(t, "&#%d;") }},
	{"html hex", func(t string) string { return everyRune(t, "&#x%x;") }},
	{"html amp in token", func(t string) string { return strings.ReplaceAll(html.EscapeString(t), "-", "&#45;") }},
	{"json", jsonText},
	{"json every char", func(t string) string { return everyRune(t, `\u%04x`) }},
	{"base64 std", func(t string) string { return base64.StdEncoding.EncodeToString([]byte(t)) }},
	{"base64 url", func(t string) string { return base64.URLEncoding.EncodeToString([]byte(t)) }},
	{"base64 raw std", func(t string) string { return base64.RawStdEncoding.EncodeToString([]byte(t)) }},
	{"base64 raw url", func(t string) string { return base64.RawURLEncoding.EncodeToString([]byte(t)) }},
	{"base64 inside, offset 1", func(t string) string { return base64.StdEncoding.EncodeToString([]byte("u:" + t + "!")) }},
	{"base64 inside, offset 2", func(t string) string { return base64.URLEncoding.EncodeToString([]byte("ab" + t + "??")) }},
	{"base64 inside, offset 3", func(t string) string { return base64.RawStdEncoding.EncodeToString([]byte("abc" + t)) }},
	{"html of query", func(t string) string { return html.EscapeString(url.QueryEscape(t)) }},
	{"json of html", func(t string) string { return everyRune(html.EscapeString(t), `\u%04x`) }},
	{"every byte percent mixed case", func(t string) string { return mixedCase(everyByte(t, "%%%02x")) }},
	{"query of query", func(t string) string { return url.QueryEscape(url.QueryEscape(t)) }},
	{"json slash escaped", func(t string) string { return strings.ReplaceAll(jsonText(t), "/", `\/`) }},
	{"json every char upper", func(t string) string { return everyRune(t, `\u%04X`) }},
	{"html decimal no semicolon", func(t string) string { return everyRune(t, "&#%d") }},
	{"html hex upper no semicolon", func(t string) string { return everyRune(t, "&#X%X") }},
	{"js hex", func(t string) string { return everyByte(t, `\x%02x`) }},
	{"upper case", strings.ToUpper},
	{"hex", func(t string) string { return hex.EncodeToString([]byte(t)) }},
	{"hex upper", func(t string) string { return strings.ToUpper(hex.EncodeToString([]byte(t))) }},
	{"base64 of header", func(t string) string { return base64.StdEncoding.EncodeToString([]byte("Authorization: aivenv1 " + t)) }},
	{"base64 of JSON", func(t string) string {
		return base64.RawURLEncoding.EncodeToString([]byte(`{"authorization":"` + jsonText("aivenv1 "+t) + `"}`))
	}},
	{"base64 of query", func(t string) string {
		return base64.StdEncoding.EncodeToString([]byte("x=1&token=" + url.QueryEscape(t)))
	}},
	{"base64 of base64", func(t string) string {
		return base64.StdEncoding.EncodeToString([]byte(base64.StdEncoding.EncodeToString([]byte(t))))
	}},
}

// jsonText is t as encoding/json writes it inside a string (with <, >
// and & as \u003c, \u003e, \u0026).
func jsonText(t string) string { b, _ := json.Marshal(t); return string(b[1 : len(b)-1]) }

func mixedCase(s string) string {
	b := []byte(s)
	for i := range b {
		if i%3 == 0 {
			b[i] = byte(unicode.ToUpper(rune(b[i])))
		}
	}
	return string(b)
}

func lowerHex(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			b.WriteString("%" + strings.ToLower(s[i+1:i+3]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func everyByte(s, format string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, format, s[i])
	}
	return b.String()
}

func everyRune(s, format string) string {
	var b strings.Builder
	for _, r := range s {
		if r > 0xFFFF && strings.HasPrefix(format, `\u`) {
			b.WriteRune(r)
			continue
		}
		fmt.Fprintf(&b, format, r)
	}
	return b.String()
}

// Exposed reports whether out reveals tok: as it is, in any case (a hex
// token upper-cased is the same token); after undoing HTML,
// URL, JSON or Go escaping, hex, or base64 of either alphabet at any
// offset, up to three layers in any order; or a stretch of 12 bytes or
// more of it as it is (a secret cut off).
func Exposed(out, tok string) bool {
	seen := map[string]bool{out: true}
	views := []string{out}
	for layer := 0; layer < 3; layer++ {
		for _, v := range views {
			for _, d := range decodings(v, len(tok)) {
				if !seen[d] {
					seen[d] = true
					views = append(views, d)
				}
			}
		}
	}
	for _, v := range views {
		if strings.Contains(v, tok) || cutOff(v, tok) || strings.Contains(strings.ToUpper(v), strings.ToUpper(tok)) {
			return true
		}
	}
	return false
}

// decodings returns what s becomes once decoded in each way; decoded runs
// of base64 or hex only when they are long enough to show a secret of n
// bytes or a part of it that cutOff finds.
func decodings(s string, n int) []string {
	out := []string{html.UnescapeString(s), strings.ReplaceAll(s, `\/`, "/"), jsonStrings(s)}
	if u, err := url.PathUnescape(s); err == nil {
		out = append(out, u)
	}
	if u, err := url.QueryUnescape(s); err == nil {
		out = append(out, u)
	}
	if u, err := strconv.Unquote(`"` + strings.ReplaceAll(s, `"`, `\"`) + `"`); err == nil {
		out = append(out, u)
	}
	if u, err := strconv.Unquote(`"` + s + `"`); err == nil {
		out = append(out, u)
	}
	return append(out, runs(s, min(n, 12))...)
}

// cutOff reports whether out holds a stretch of 12 bytes or more of tok
// (its start, as a cut leaves it, or any other part).
func cutOff(out, tok string) bool {
	const n = 12
	for i := 0; i+n <= len(tok); i++ {
		if strings.Contains(out, tok[i:i+n]) {
			return true
		}
	}
	return false
}

// jsonStrings replaces each JSON string literal of s, quotes included, by
// its value.
func jsonStrings(s string) string {
	return jsonString.ReplaceAllStringFunc(s, func(lit string) string {
		var v string
		if json.Unmarshal([]byte(lit), &v) != nil {
			return lit
		}
		return v
	})
}

var jsonString = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

var toStd = strings.NewReplacer("-", "+", "_", "/")

// runs decodes each run of base64 characters of s from each of its first
// four offsets, in both alphabets, and each run of hex digits from its
// first two offsets, where the run is long enough to decode to n bytes.
func runs(s string, n int) []string {
	isB64 := func(c byte) bool {
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("+/-_", c) >= 0
	}
	isHex := func(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
	var out []string
	for _, f := range []struct {
		in        func(byte) bool
		step, per int // characters per group, bytes per group
		dec       func(string) ([]byte, error)
	}{
		{isB64, 4, 3, func(r string) ([]byte, error) {
			if len(r)%4 == 1 {
				r = r[:len(r)-1] // a single character encodes no byte
			}
			return base64.RawStdEncoding.DecodeString(toStd.Replace(r))
		}},
		{isHex, 2, 1, hex.DecodeString},
	} {
		for i := 0; i < len(s); {
			if !f.in(s[i]) {
				i++
				continue
			}
			j := i
			for j < len(s) && f.in(s[j]) {
				j++
			}
			for off := 0; off < f.step && (j-i-off)*f.per >= n*f.step; off++ {
				r := s[i+off : j]
				if f.step == 2 {
					r = r[:len(r)/2*2]
				}
				if b, err := f.dec(r); err == nil {
					out = append(out, string(b))
				}
			}
			i = j
		}
	}
	return out
}
