package secret

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
)

// MaxRedirects is how many redirects CheckRedirect follows, as net/http
// does by default.
const MaxRedirects = 10

// IsLoopback reports whether host (without a port) is a literal loopback
// address (127.0.0.0/8, ::1, also IPv4-mapped) or "localhost", the names
// that may be sent a credential over plain HTTP. A name under
// ".localhost" is not: net/http neither resolves it on loopback nor
// exempts it from HTTP_PROXY, so its traffic may leave the machine.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	return err == nil && ip.Unmap().IsLoopback()
}

// SameOrigin reports whether a and b have the same scheme, host and port
// (the scheme's default port when none is given).
func SameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(strings.TrimSuffix(a.Hostname(), "."), strings.TrimSuffix(b.Hostname(), ".")) &&
		port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https", "wss":
		return "443"
	}
	return "80"
}

// CheckRedirect is the redirect policy of every client of this module. On
// each redirect it removes Referer (which repeats the previous URL, query
// and all) and refuses https to plain http but to loopback. Once the chain
// has left the origin of the first request (scheme, host or port), every
// header the request's ledger recorded, whatever its name, and every
// credential-named one, is removed; so is every query parameter the ledger
// recorded, credential-named or holding a secret, also when the Location
// repeats it; a URL or header that still holds a secret in any form stops
// the redirect. It stops after MaxRedirects.
func CheckRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= MaxRedirects {
		return errors.New("stopped after 10 redirects")
	}
	if len(via) == 0 {
		return nil
	}
	req.Header.Del("Referer") // net/http sets it, canonical
	if strings.EqualFold(via[len(via)-1].URL.Scheme, "https") && !strings.EqualFold(req.URL.Scheme, "https") && !IsLoopback(req.URL.Hostname()) {
		return errors.New("refusing a redirect from https to plain http")
	}
	left := !SameOrigin(via[0].URL, req.URL)
	for _, r := range via[1:] {
		left = left || !SameOrigin(via[0].URL, r.URL)
	}
	if !left {
		return nil
	}
	l := LedgerOf(req.Context())
	headers, values := l.names(Header)
	params, _ := l.names(Query)
	set := New(values...)
	for name, vs := range req.Header {
		if CredentialName(name) || slices.ContainsFunc(headers, func(h string) bool { return strings.EqualFold(h, name) }) ||
			slices.ContainsFunc(vs, set.Contains) {
			delete(req.Header, name) // not Del: a key set as "api_key" is not canonical
		}
	}
	req.URL.RawQuery = dropParams(req.URL.RawQuery, func(name, value string) bool {
		return CredentialName(name) || slices.Contains(params, name) || set.Contains(value)
	})
	if set.Contains(req.URL.String()) {
		return errors.New("refusing a redirect to another origin whose URL holds a credential")
	}
	return nil
}

// dropParams returns the raw query q without the parameters for which drop
// is true, keeping the order and encoding of the others.
func dropParams(q string, drop func(name, value string) bool) string {
	if q == "" {
		return q
	}
	var kept []string
	for _, part := range strings.Split(q, "&") {
		k, v, _ := strings.Cut(part, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if uv, err := url.QueryUnescape(v); err == nil {
			v = uv
		}
		if part != "" && !drop(k, v) {
			kept = append(kept, part)
		}
	}
	return strings.Join(kept, "&")
}

// NewHTTPClient returns the HTTP client this module uses when given none:
// the default transport's connection reuse and proxies from the
// environment, bounds on dialling, the TLS handshake and the response
// headers, CheckRedirect as its redirect policy, and "localhost" always
// dialled on loopback and never through a proxy, so that a credential sent
// to it in plain HTTP stays on this machine. tlsConfig, when not nil,
// replaces the TLS configuration (such as extra root CAs).
func NewHTTPClient(tlsConfig *tls.Config) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if host, p, err := net.SplitHostPort(addr); err == nil && IsLoopback(host) && net.ParseIP(host) == nil {
			c, err := dialer.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", p))
			if err != nil {
				c, err = dialer.DialContext(ctx, network, net.JoinHostPort("::1", p))
			}
			return c, err
		}
		return dialer.DialContext(ctx, network, addr)
	}
	proxy := t.Proxy
	t.Proxy = func(req *http.Request) (*url.URL, error) {
		if IsLoopback(req.URL.Hostname()) || proxy == nil {
			return nil, nil
		}
		return proxy(req)
	}
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 30 * time.Second
	t.ExpectContinueTimeout = time.Second
	t.IdleConnTimeout = 90 * time.Second
	t.MaxIdleConnsPerHost = 16
	if tlsConfig != nil {
		t.TLSClientConfig = tlsConfig
	}
	return &http.Client{Transport: t, CheckRedirect: CheckRedirect}
}
