package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"

	"github.com/aivenapi/aivenapi/internal/secret"
)

// Option changes how an editor attaches its credential. Options are plain
// values, safe to share.
type Option func(*options)

type options struct {
	plainHTTP bool
}

// AllowPlainHTTP lets an editor attach its credential to a plain http://
// URL whose host is not loopback. Anyone on the path can then read the
// credential: use it only for a trusted network, such as a test cluster
// behind a TLS-terminating sidecar.
func AllowPlainHTTP() Option { return func(o *options) { o.plainHTTP = true } }

func collect(opts []Option) options {
	var o options
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	return o
}

// Aiven returns an editor that sets "Authorization: aivenv1 <token>", the
// scheme of the Aiven API and of Managed Service for TimescaleDB.
func Aiven(token string, opts ...Option) func(context.Context, *http.Request) error {
	return scheme("Aiven", "aivenv1", token, opts)
}

// Bearer returns an editor that sets "Authorization: Bearer <token>".
func Bearer(token string, opts ...Option) func(context.Context, *http.Request) error {
	return scheme("Bearer", "Bearer", token, opts)
}

// APIToken returns an editor that sets "Authorization: apiToken <token>",
// the header form of Versio.io's API tokens.
func APIToken(token string, opts ...Option) func(context.Context, *http.Request) error {
	return scheme("APIToken", "apiToken", token, opts)
}

// Scheme returns an editor that sets "Authorization: <name> <token>" for an
// authorization scheme that has no function of its own.
func Scheme(name, token string, opts ...Option) func(context.Context, *http.Request) error {
	if name == "" || strings.ContainsAny(name, " \t\r\n") {
		// The name is not quoted: swapped arguments would make it a token.
		return failing(fmt.Errorf("auth: Scheme: invalid scheme name: %s", whyInvalid(name)))
	}
	return scheme("Scheme", name, token, opts)
}

func scheme(fn, name, token string, opts []Option) func(context.Context, *http.Request) error {
	if err := checkSecret(fn, "token", token); err != nil {
		return failing(err)
	}
	vals := headerValue(name + " " + token)
	o := collect(opts)
	return func(_ context.Context, req *http.Request) error {
		if err := checkTransport(fn, req, o); err != nil {
			return err
		}
		setHeader(req, "Authorization", vals)
		secret.Attach(req, secret.Header, "Authorization", token)
		return nil
	}
}

// headerValue returns the value list that setHeader installs. Its capacity
// is its length, so that an Add on a request appends to a copy, never to
// the list that every request shares.
func headerValue(v string) []string { return []string{v}[:1:1] }

// setHeader replaces every value of the canonical header key with vals, as
// Header.Set does, without allocating a list per request.
func setHeader(req *http.Request, key string, vals []string) {
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	req.Header[key] = vals
}

// Header returns an editor that sets header name to token as it is, for
// APIs that take a credential in a header of their own, such as
// "x-auth-token".
func Header(name, token string, opts ...Option) func(context.Context, *http.Request) error {
	if name == "" || !validHeaderName(name) {
		// The name is not quoted: swapped arguments would make it a token.
		return failing(fmt.Errorf("auth: Header: invalid header name: %s", whyInvalid(name)))
	}
	if err := checkSecret("Header", "token", token); err != nil {
		return failing(err)
	}
	key := textproto.CanonicalMIMEHeaderKey(name)
	vals := headerValue(token)
	o := collect(opts)
	return func(_ context.Context, req *http.Request) error {
		if err := checkTransport("Header", req, o); err != nil {
			return err
		}
		setHeader(req, key, vals)
		secret.Attach(req, secret.Header, key, token)
		return nil
	}
}

// Query returns an editor that sets the query parameter param to token,
// replacing any value it had, as Versio.io accepts. The other parameters
// keep their order and encoding. A query travels in logs and Referer
// headers more easily than a header does: prefer APIToken where the server
// takes both.
func Query(param, token string, opts ...Option) func(context.Context, *http.Request) error {
	if param == "" {
		return failing(errors.New("auth: Query: empty parameter name"))
	}
	if err := checkSecret("Query", "token", token); err != nil {
		return failing(err)
	}
	pair := url.QueryEscape(param) + "=" + url.QueryEscape(token)
	o := collect(opts)
	return func(_ context.Context, req *http.Request) error {
		if err := checkTransport("Query", req, o); err != nil {
			return err
		}
		req.URL.RawQuery = setQuery(req.URL.RawQuery, param, pair)
		secret.Attach(req, secret.Query, param, token)
		return nil
	}
}

// setQuery returns the raw query q with every parameter named param
// removed and pair appended. It does not reorder or re-encode the rest, and
// allocates nothing when q is empty or holds only pair.
func setQuery(q, param, pair string) string {
	if q == "" || q == pair {
		return pair
	}
	var b strings.Builder
	b.Grow(len(q) + 1 + len(pair))
	for rest := q; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, "&")
		if part == "" || queryKey(part) == param {
			continue
		}
		b.WriteString(part)
		b.WriteByte('&')
	}
	b.WriteString(pair)
	return b.String()
}

// queryKey returns the unescaped name of one key=value part of a query.
func queryKey(part string) string {
	k, _, _ := strings.Cut(part, "=")
	if !strings.ContainsAny(k, "%+") {
		return k
	}
	u, err := url.QueryUnescape(k)
	if err != nil {
		return k
	}
	return u
}

// failing returns an editor that fails every request with err, so that a
// misconfigured editor is reported where it is used, by a client call.
func failing(err error) func(context.Context, *http.Request) error {
	return func(context.Context, *http.Request) error { return err }
}

// checkSecret rejects a credential that is empty, too short to be masked
// in messages (secret.MinLen), or that could split a header. The message
// names what is wrong, never the value.
func checkSecret(fn, what, s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return fmt.Errorf("auth: %s: empty %s", fn, what)
	case len(s) < secret.MinLen:
		return fmt.Errorf("auth: %s: %s shorter than %d bytes, too short to be a credential", fn, what, secret.MinLen)
	case strings.ContainsAny(s, "\r\n\x00"):
		return fmt.Errorf("auth: %s: %s contains a line break or NUL", fn, what)
	case s != strings.TrimSpace(s):
		return fmt.Errorf("auth: %s: %s has leading or trailing space", fn, what)
	}
	return nil
}

// checkTransport refuses to put a credential on a request that would carry
// it in clear text to a host other than loopback.
func checkTransport(fn string, req *http.Request, o options) error {
	if req == nil || req.URL == nil {
		return fmt.Errorf("auth: %s: request has no URL", fn)
	}
	switch strings.ToLower(req.URL.Scheme) {
	case "https", "wss":
		return nil
	case "http", "ws":
		if o.plainHTTP || secret.IsLoopback(req.URL.Hostname()) {
			return nil
		}
		return fmt.Errorf("auth: %s: refusing to send a credential over plain http to %s; use https (or auth.AllowPlainHTTP)", fn, req.URL.Host)
	}
	return fmt.Errorf("auth: %s: refusing to send a credential with URL scheme %q", fn, req.URL.Scheme)
}

// IsLoopback reports whether host (without a port) is one that editors
// send a credential to over plain HTTP: a literal loopback address
// (127.0.0.0/8, ::1, also IPv4-mapped) or "localhost", which the default
// HTTP client of this module dials on loopback and never through a proxy.
// A name under ".localhost" is not: net/http may resolve it elsewhere and
// send it through HTTP_PROXY.
func IsLoopback(host string) bool { return secret.IsLoopback(host) }

func validHeaderName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// whyInvalid says what makes name unfit for a header or scheme name,
// without repeating it.
func whyInvalid(name string) string {
	if name == "" {
		return "empty"
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == ' ' || c == '\t':
			return "contains white space"
		case c < ' ' || c == 0x7f:
			return "contains a control character"
		case c >= 0x80:
			return "contains a non-ASCII character"
		case strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0:
			return fmt.Sprintf("contains %q", c)
		}
	}
	return "not a valid name"
}
