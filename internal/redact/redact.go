// Package redact finds the credentials a request carries and masks them in
// text taken from a response, which may echo them. It is shared by package
// api (errors) and package validate (mismatch reports).
package redact

import (
	"net/http"
	"strings"
)

// Secrets returns what in req may be a secret: the values of credential-like
// headers (Authorization, and any header whose name mentions auth, token,
// key, secret or cookie), the token part of such a value ("aivenv1 <token>"),
// and every query value.
func Secrets(req *http.Request) []string {
	var out []string
	for name, vals := range req.Header {
		if !credentialHeader(name) {
			continue
		}
		for _, v := range vals {
			out = append(out, v)
			if _, tok, ok := strings.Cut(v, " "); ok {
				out = append(out, strings.TrimSpace(tok))
			}
		}
	}
	if req.URL != nil {
		for _, vals := range req.URL.Query() {
			out = append(out, vals...)
		}
	}
	return out
}

func credentialHeader(name string) bool {
	l := strings.ToLower(name)
	for _, w := range []string{"auth", "token", "key", "secret", "cookie"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// Mask replaces every secret of at least 4 bytes in s by "****"; shorter
// values are too likely to be ordinary text.
func Mask(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 && strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, "****")
		}
	}
	return s
}
