package auth

import (
	"io"
	"net/http"
	"strings"

	"github.com/aivenapi/aivenapi/internal/secret"
)

// Doer sends an HTTP request and returns its response, as *http.Client
// does. It is the HttpRequestDoer of every oapi-codegen client, so a Doer
// returned by Exchange.Doer goes straight into api.WithHTTPClient.
// Implementations used by several goroutines must be safe for concurrent
// use, as *http.Client and the Doer of Exchange.Doer are.
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

// Doer returns a Doer that sends requests through next (the exchange's
// HTTP client when next is nil) and, when the API answers 401 (or 403,
// with ExchangeConfig.RetryForbidden) to a request that carries a token of
// this exchange, drops that token and sends the request once more with a
// fresh one. The second answer is returned as it is, whatever it is.
//
// The token is attached by Edit, not by the Doer: wire both into the
// generated client,
//
//	c, err := api.New(
//		api.WithBaseURL("https://dbaas900.hyperp-dbaas.cloud.ibm.com:20000"),
//		api.WithRequestEditorFn(ex.Edit),
//		api.WithHTTPClient(ex.Doer(nil)),
//	)
//
// A request with a body is sent again only if it has GetBody, as requests
// made by http.NewRequest from a bytes or strings reader do; otherwise the
// 401 is returned. The retry replaces the token in req's own header, so
// that the caller sees, and any later attempt sends, the fresh token. If
// the fresh token cannot be had, the exchange's error is returned and the
// 401 response is closed.
//
// The Doer is safe for concurrent use.
func (e *Exchange) Doer(next Doer) Doer {
	if next == nil {
		next = e.client
	}
	return &retryDoer{e: e, next: next}
}

type retryDoer struct {
	e    *Exchange
	next Doer
}

func (d *retryDoer) Do(req *http.Request) (*http.Response, error) {
	return d.e.resend(req, d.next.Do, false)
}

// Transport returns an http.RoundTripper that does what Doer does, one
// layer lower: it sends requests through base (the exchange's client's
// transport, or http.DefaultTransport, when nil), and answers a 401 to a
// request carrying this exchange's token by sending a copy of the request
// once more with a fresh token. Use it to give an existing *http.Client
// the retry:
//
//	hc := &http.Client{Transport: ex.Transport(nil), CheckRedirect: auth.CheckRedirect}
//	c, err := api.New(api.WithRequestEditorFn(ex.Edit), api.WithHTTPClient(hc))
//
// As a RoundTripper must, it leaves the request it is given unchanged. It
// retries a redirected request only on the host of the original request,
// so a redirect policy that forwards the token header to another host
// (net/http's own does, for custom headers) never earns that host a fresh
// token too.
//
// The RoundTripper is safe for concurrent use if base is.
func (e *Exchange) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = e.client.Transport
	}
	if base == nil {
		base = http.DefaultTransport
	}
	return &retryTransport{e: e, base: base}
}

type retryTransport struct {
	e    *Exchange
	base http.RoundTripper
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.e.resend(req, t.base.RoundTrip, true)
}

// resend sends req with send and, if the answer rejects a token of this
// exchange, sends it once more with a fresh token. With clone, req is left
// as it is and the second attempt goes out as a copy.
func (e *Exchange) resend(req *http.Request, send func(*http.Request) (*http.Response, error), clone bool) (*http.Response, error) {
	sent, carried := e.carried(req)
	resp, err := send(req)
	if err != nil || resp == nil || !carried || !e.rejects(resp.StatusCode) || !sameOrigin(req) {
		return resp, err
	}
	if resp.Request != nil && resp.Request.URL != nil && !secret.SameOrigin(resp.Request.URL, req.URL) {
		return resp, nil // a redirect's target refused: it never had the token
	}
	var body io.ReadCloser
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody == nil {
			return resp, nil // the body is gone: the 401 is the answer
		}
		if body, err = req.GetBody(); err != nil {
			return resp, nil
		}
	}
	ctx := req.Context()
	e.Invalidate(sent)
	c, err := e.get(ctx)
	if err != nil {
		drain(resp.Body)
		if body != nil {
			body.Close()
		}
		return nil, err
	}
	drain(resp.Body)
	var again *http.Request
	if clone {
		again = req.Clone(ctx)
	} else {
		again = req.WithContext(ctx) // shares req.Header, on purpose
	}
	if body != nil {
		again.Body = body
	}
	setHeader(again, e.key, c.hdr)
	secret.Attach(again, secret.Header, e.key, c.tok.AccessToken)
	return send(again)
}

// carried returns the access token that req carries in the exchange's
// header, if any.
func (e *Exchange) carried(req *http.Request) (string, bool) {
	vals := req.Header[e.key]
	if len(vals) != 1 {
		return "", false
	}
	tok := vals[0]
	if e.bearer {
		var ok bool
		if tok, ok = strings.CutPrefix(tok, "Bearer "); !ok {
			return "", false
		}
	}
	return tok, tok != ""
}

func (e *Exchange) rejects(status int) bool {
	return status == http.StatusUnauthorized || status == http.StatusForbidden && e.retry403
}

// sameOrigin reports whether a request made by following redirects goes
// to the host of the request it started from. net/http links a
// redirected request to the response that caused it.
func sameOrigin(req *http.Request) bool {
	first := req
	for first.Response != nil && first.Response.Request != nil {
		first = first.Response.Request
	}
	return first == req || secret.SameOrigin(first.URL, req.URL)
}

// drain reads a little of a body, so that its connection can be reused,
// and closes it.
func drain(rc io.ReadCloser) {
	if rc == nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(rc, 64<<10))
	_ = rc.Close()
}
