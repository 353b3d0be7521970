package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// redacted stands for a secret in every message and every fmt or slog form.
const redacted = "****"

// maxExcerpt is how many characters of a response an error quotes.
const maxExcerpt = 160

// redactURL returns u without user information, query or fragment: what
// of a URL may appear in a message.
func redactURL(u *url.URL) string {
	c := *u
	c.User = nil
	c.RawQuery, c.ForceQuery = "", false
	c.Fragment, c.RawFragment = "", ""
	return c.String()
}

// redactString is redactURL for a URL given as text.
func redactString(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return "(invalid URL)"
	}
	return redactURL(u)
}

// redactErr strips the query and user information from the URL of any
// *url.Error in err's chain: its message prints the URL in full.
func redactErr(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	clean := *ue
	clean.URL = redactString(ue.URL)
	clean.Err = redactErr(ue.Err)
	return &clean
}

// mask replaces every occurrence of each secret in s. It repeats until
// none is left, so that a replacement cannot complete a secret.
func mask(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		with := redacted
		if strings.Contains(sec, "*") {
			with = "" // "****" could rebuild a secret made of stars
		}
		for strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, with)
		}
	}
	return s
}

// sanitize makes server-provided text fit for a message: valid UTF-8, no
// control characters, runs of white space collapsed, anything that looks
// like a credential and every secret masked.
func sanitize(s string, secrets []string) string {
	s = strings.ToValidUTF8(s, "?")
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError
	}), " ")
	s = mask(s, secrets)
	return maskOpaque(s)
}

// maskOpaque masks each run of 24 or more characters from the alphabets of
// tokens and keys (base64, base64url, hex) that holds both a digit and a
// letter: it is more likely a credential than a word.
func maskOpaque(s string) string {
	isTok := func(c byte) bool {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '+' || c == '/' || c == '=' || c == '~'
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if !isTok(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		digit, letter := false, false
		for ; j < len(s) && isTok(s[j]); j++ {
			c := s[j]
			digit = digit || c >= '0' && c <= '9'
			letter = letter || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		}
		if j-i >= 24 && digit && letter {
			b.WriteString(redacted)
		} else {
			b.WriteString(s[i:j])
		}
		i = j
	}
	return b.String()
}

// excerpt returns a short, quoted, sanitized extract of an error response:
// the message of a JSON error, the title or text of an HTML page, or the
// start of any other text. It is "" for an empty body.
func excerpt(body []byte, contentType string, secrets []string) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	text := string(body)
	if msg, ok := jsonMessage(body); ok {
		text = msg
	} else if body[0] == '<' || strings.Contains(strings.ToLower(contentType), "html") {
		text = htmlText(text)
	}
	text = sanitize(text, secrets)
	if text == "" {
		return ""
	}
	n := 0
	for i := range text {
		if n == maxExcerpt {
			text = maskTail(text[:i], secrets) + "…"
			break
		}
		n++
	}
	return strconv.Quote(mask(text, secrets))
}

// maskTail masks the start of a secret that a cut left at the end of s.
func maskTail(s string, secrets []string) string {
	for _, sec := range secrets {
		for k := min(len(sec)-1, len(s)); k >= 3; k-- {
			if strings.HasSuffix(s, sec[:k]) {
				return s[:len(s)-k] + redacted
			}
		}
	}
	return s
}

// jsonMessage returns the human-readable message of a JSON error body:
// Aiven's and IBM's "message", or an OAuth-style "error_description" or
// "error".
func jsonMessage(body []byte) (string, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return "", false
	}
	for _, k := range []string{"message", "errorMessage", "error_description", "error", "msg"} {
		var s string
		if json.Unmarshal(m[k], &s) == nil && strings.TrimSpace(s) != "" {
			return s, true
		}
	}
	return "", false
}

// htmlText returns the title of an HTML page, or its text without tags.
func htmlText(s string) string {
	l := lowerASCII(s)
	if i := strings.Index(l, "<title"); i >= 0 {
		if j := strings.IndexByte(l[i:], '>'); j >= 0 {
			start := i + j + 1
			if end := strings.Index(l[start:], "</title"); end >= 0 {
				if t := strings.TrimSpace(s[start : start+end]); t != "" {
					return t
				}
			}
		}
	}
	var b strings.Builder
	inTag := false
	for _, r := range s {
		switch {
		case r == '<':
			inTag = true
			b.WriteByte(' ')
		case r == '>':
			inTag = false
		case !inTag:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lowerASCII lower-cases the ASCII letters of s and leaves every other byte
// as it is, so an offset found in the result is the same offset in s.
// strings.ToLower cannot be used for that: it turns invalid UTF-8 into
// three-byte U+FFFD and changes the length of some letters, such as 'İ'.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// parseTokenResponse reads a successful token endpoint body. reason
// explains why it is unusable, naming fields and positions but never
// quoting the body; access is set whenever the body holds one, so that
// the caller can mask it.
func parseTokenResponse(body []byte, contentType string) (access, userID, reason string) {
	trimmed := bytes.TrimSpace(body)
	ct := strconv.Quote(sanitize(contentType, nil))
	if len(trimmed) == 0 {
		return "", "", "empty response body"
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &m); err != nil {
		if trimmed[0] == '<' || strings.Contains(strings.ToLower(contentType), "html") {
			return "", "", "response is an HTML page, not JSON (content type " + ct + ")"
		}
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return "", "", fmt.Sprintf("response is not valid JSON (syntax error at byte %d; content type %s)", se.Offset, ct)
		case errors.As(err, &te):
			return "", "", "response is JSON but not an object"
		}
		return "", "", "response is not valid JSON"
	}
	if m == nil {
		return "", "", "response is JSON but not an object"
	}
	raw, ok := m["access_token"]
	if !ok || string(raw) == "null" {
		return "", "", "response has no access_token"
	}
	if json.Unmarshal(raw, &access) != nil {
		return "", "", "access_token is not a string"
	}
	switch u := m["user_id"]; {
	case len(u) == 0 || string(u) == "null":
	case u[0] == '"':
		if json.Unmarshal(u, &userID) != nil {
			return access, "", "user_id is not a valid string"
		}
	case u[0] == '-' || u[0] >= '0' && u[0] <= '9':
		userID = string(u)
	default:
		return access, "", "user_id is neither a string nor a number"
	}
	return access, userID, ""
}
