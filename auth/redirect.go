package auth

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// maxRedirects is how many redirects CheckRedirect follows, as net/http
// does by default.
const maxRedirects = 10

// CheckRedirect is a redirect policy for http.Client.CheckRedirect that
// keeps credentials from following a redirect where they do not belong.
// api.New's default HTTP client uses it; set it on any client that carries
// this package's credentials:
//
//	hc := &http.Client{CheckRedirect: auth.CheckRedirect}
//
// net/http itself drops Authorization, Cookie and a few other standard
// headers on a redirect to another host, but keeps custom headers such as
// x-auth-token or api_key, and puts the previous URL, query and all, into
// Referer. CheckRedirect therefore, on every redirect:
//   - removes Referer, which may carry a query token;
//   - on a redirect to another host (or port), removes every header that
//     may hold a credential (Authorization, and any header whose name
//     mentions auth, token, key, secret, session, password or cookie);
//   - refuses a redirect from https to plain http, unless to loopback;
//   - stops after 10 redirects.
func CheckRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("auth: stopped after %d redirects", maxRedirects)
	}
	if len(via) == 0 {
		return nil
	}
	for name := range req.Header {
		if strings.EqualFold(name, "Referer") {
			delete(req.Header, name)
		}
	}
	prev := via[len(via)-1].URL
	if strings.EqualFold(prev.Scheme, "https") && !strings.EqualFold(req.URL.Scheme, "https") && !IsLoopback(req.URL.Hostname()) {
		return errors.New("auth: refusing a redirect from https to plain http")
	}
	if !sameHost(via[0].URL.Host, req.URL.Host) {
		for name := range req.Header {
			if isCredentialHeader(name) {
				// delete, not Del: Del canonicalizes the name and would
				// miss a key set directly, such as "api_key".
				delete(req.Header, name)
			}
		}
	}
	return nil
}

func sameHost(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}

// isCredentialHeader reports whether a header of this name may carry a
// credential.
func isCredentialHeader(name string) bool {
	l := strings.ToLower(name)
	for _, w := range []string{"auth", "token", "key", "secret", "session", "password", "cookie"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}
