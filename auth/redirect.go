package auth

import (
	"net/http"

	"github.com/aivenapi/aivenapi/internal/secret"
)

// CheckRedirect is a redirect policy for http.Client.CheckRedirect that
// keeps credentials from following a redirect where they do not belong.
// api.New's default HTTP client uses it; set it on any client that carries
// this package's credentials:
//
//	hc := &http.Client{CheckRedirect: auth.CheckRedirect}
//
// Every editor of this package records, in the request's context, which
// header or query parameter it set. net/http itself drops only
// Authorization, Cookie and a few other standard headers on a redirect to
// another host, keeps custom ones and every query parameter, and puts the
// previous URL, query and all, into Referer. CheckRedirect therefore, on
// every redirect:
//   - removes Referer;
//   - refuses a redirect from https to plain http, unless to loopback;
//   - once the redirects have left the first request's origin (scheme,
//     host or port), removes every header and query parameter an editor
//     set, whatever its name, also when the Location repeats the query,
//     and any other whose name suggests a credential; it stops the
//     redirect if the URL still holds a credential in any encoding;
//   - stops after 10 redirects.
func CheckRedirect(req *http.Request, via []*http.Request) error {
	return secret.CheckRedirect(req, via)
}
