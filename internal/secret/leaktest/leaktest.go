// Package leaktest gives the tests of this module one independent way to
// echo a secret as hostile servers do, and to find it in what came out.
// It uses only the standard library's encoders and decoders, never package
// secret, so that a test cannot pass by sharing the code it checks.
package leaktest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
)

// Tokens are secrets of the shapes a test should try: opaque, with the
// characters that every escaping changes, and non-ASCII.
var Tokens = []string{
	"tok-LEAK-5e3f9a1b7c0d2e4f",
	`k&y<v>"q'/+=%20;x`,
	"schlüssel-ÄÖÜ-€-9d8c7b",
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
	{"json", func(t string) string { b, _ := json.Marshal(t); return string(b[1 : len(b)-1]) }},
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

// Exposed reports whether out reveals tok: as it is; after undoing HTML,
// URL or JSON escaping (one or two layers); in base64 of either alphabet at
// any offset; or a stretch of 12 bytes or more of it as it is (a secret
// cut off).
func Exposed(out, tok string) bool {
	seen := map[string]bool{}
	views := []string{out}
	for layer := 0; layer < 3; layer++ {
		for _, v := range views {
			for _, d := range decodings(v) {
				if !seen[d] {
					seen[d] = true
					views = append(views, d)
				}
			}
		}
	}
	for _, v := range views {
		if strings.Contains(v, tok) || cutOff(v, tok) {
			return true
		}
		for _, d := range base64Runs(v) {
			if strings.Contains(d, tok) {
				return true
			}
		}
	}
	return false
}

func decodings(s string) []string {
	out := []string{html.UnescapeString(s)}
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
	return out
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

var toStd = strings.NewReplacer("-", "+", "_", "/")

// base64Runs decodes each run of base64 characters of s from each of its
// first four offsets, in both alphabets.
func base64Runs(s string) []string {
	isB64 := func(c byte) bool {
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("+/-_", c) >= 0
	}
	var out []string
	for i := 0; i < len(s); {
		if !isB64(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isB64(s[j]) {
			j++
		}
		run := toStd.Replace(s[i:j])
		for off := 0; off < 4 && off < len(run); off++ {
			r := run[off:]
			r = r[:len(r)/4*4]
			if b, err := base64.StdEncoding.DecodeString(r); err == nil {
				out = append(out, string(b))
			}
		}
		i = j
	}
	return out
}
