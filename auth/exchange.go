package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aivenapi/aivenapi/internal/secret"
)

// Defaults of an Exchange, used where ExchangeConfig leaves a field zero.
const (
	// DefaultTokenHeader is the header that carries the access token on
	// API calls unless ExchangeConfig.Header names another.
	DefaultTokenHeader = "x-auth-token"
	// DefaultRefreshMargin is how long before its expiry a token is
	// replaced; a short-lived token is replaced after three quarters of its
	// lifetime at the latest.
	DefaultRefreshMargin = time.Minute
	// DefaultLifetime is the lifetime assumed for an access token that
	// carries no exp claim. IBM's tokens live at most an hour; ten minutes
	// keeps a token whose real lifetime is unknown from being used stale.
	DefaultLifetime = 10 * time.Minute
)

const (
	// fetchTimeout bounds one token request, whatever the HTTP client's
	// own timeouts.
	fetchTimeout = 30 * time.Second
	// refreshBackoff is how long a failed early refresh is not tried again
	// while the current token stays valid.
	refreshBackoff = 5 * time.Second
	// maxTokenBody caps the token endpoint's response; a JWT is a few KiB.
	maxTokenBody = 64 << 10
)

// ExchangeConfig configures an Exchange. NewExchange copies what it needs:
// changing the config afterwards changes nothing. Its fmt and slog forms
// hide the API key.
type ExchangeConfig struct {
	// TokenURL is the token endpoint, such as
	// "https://dbaas900.hyperp-dbaas.cloud.ibm.com:20000/api/v3/auth/token"
	// (the version in the path changed over time: v1, v2, v3). Required.
	// The API key is sent to this URL and nowhere else: the exchange
	// follows no redirect.
	TokenURL string
	// APIKey is the IBM Cloud API key, sent in the "api_key" header of the
	// token request. Required. Some proxies (nginx by default) drop
	// headers with an underscore in their name: a 401 from a key known to
	// be good may mean that.
	APIKey string
	// Header names the header that carries the access token on API calls:
	// DefaultTokenHeader ("x-auth-token", IBM's v1 and v2 APIs) when empty.
	// "Authorization" sends "Authorization: Bearer <token>", as IBM's v3
	// SDK does.
	Header string
	// HTTPClient sends the token requests (without following redirects,
	// whatever its CheckRedirect says) and is the client that Doer(nil)
	// sends API requests with. Give one whose transport trusts the CA file
	// of the DBaaS dashboard. When nil, a client with dial, TLS-handshake
	// and response-header timeouts and CheckRedirect as its redirect
	// policy is used.
	HTTPClient *http.Client
	// AllowPlainHTTP lets the API key go to a plain http:// TokenURL whose
	// host is not loopback, and Edit attach the token to such requests.
	// Anyone on the path can then read both.
	AllowPlainHTTP bool
	// RefreshMargin is how long before its expiry a token is replaced:
	// DefaultRefreshMargin when zero, and at most a quarter of the token's
	// lifetime.
	RefreshMargin time.Duration
	// DefaultLifetime is the lifetime assumed for an access token without
	// an exp claim: DefaultLifetime when zero.
	DefaultLifetime time.Duration
	// RetryForbidden makes Doer and Transport treat a 403 answer like a
	// 401: as a rejected token, to be replaced before sending the request
	// once more. Some deployments answer 403 to an expired token.
	RetryForbidden bool
}

// Token is an access token obtained from the token endpoint. It is a plain
// value, safe to copy and to share between goroutines. Its fmt, slog and
// JSON forms show "****" instead of the access token.
type Token struct {
	// AccessToken is the token itself, a JWT.
	AccessToken string
	// UserID is the user the token belongs to; IBM's API puts it in the
	// paths of later calls (/api/v3/{user_id}/...). It is empty when the
	// endpoint sent none.
	UserID string
	// Expiry is when the token stops being valid: its exp claim, or
	// DefaultLifetime after it was obtained when it has none.
	Expiry time.Time
}

// Exchange trades an API key for short-lived access tokens at an IBM Hyper
// Protect DBaaS token endpoint, and attaches them to API requests as a
// request editor (Edit).
//
// It caches the token and replaces it shortly before it expires (see
// ExchangeConfig.RefreshMargin). Any number of goroutines may call its
// methods concurrently: callers that need a token while none is valid
// share one request to the token endpoint. While an early refresh fails,
// the current token is served until it expires.
//
// An API answers 401 to a token it no longer accepts (revoked, or expired
// earlier than its exp claim says). An editor cannot see responses: wrap
// the HTTP client with Doer or Transport to have such a request sent once
// more with a fresh token. Invalidate drops a rejected token by hand.
//
// Its fmt and slog forms show neither the API key nor the token.
type Exchange struct {
	// The fields below are set by NewExchange and never change. Secrets
	// sit in a closure: fmt prints a func as an address whatever the verb,
	// so even a copy of an Exchange printed field by field (%s of a
	// struct prints what a pointer field points to) shows no secret.
	secret      func() *exchangeSecret
	tokenURL    string // redacted form for messages: no query, no user info
	key         string // canonical header key carrying the token
	bearer      bool
	client      *http.Client // for API requests (Doer(nil))
	tokenClient *http.Client // for token requests: follows no redirect
	plainHTTP   bool
	margin      time.Duration
	lifetime    time.Duration
	retry403    bool
	now         func() time.Time

	// cur is the current token, read without locking on every request.
	cur atomic.Pointer[cached]

	mu      sync.Mutex // guards call and retryAt, and orders stores to cur
	call    *flight    // the token request in progress, or nil
	retryAt time.Time  // no early refresh before this, after one failed
}

type exchangeSecret struct {
	rawURL string   // TokenURL as given
	apiKey []string // the api_key header's value list
}

// cached is a token with what Edit needs, computed once.
type cached struct {
	tok       Token
	refreshAt time.Time
	hdr       []string // the value list of the token header
}

// flight is one request to the token endpoint, shared by every caller
// that waits for a token while it runs.
type flight struct {
	done    chan struct{} // closed when c and err are set
	c       *cached
	err     error
	waiters int // callers waiting; guarded by Exchange.mu
	cancel  context.CancelFunc
}

// NewExchange checks cfg and returns an Exchange. It sends no request: the
// first token is fetched when first needed (Edit, Token).
func NewExchange(cfg ExchangeConfig) (*Exchange, error) {
	var missing []string
	if strings.TrimSpace(cfg.TokenURL) == "" {
		missing = append(missing, "TokenURL")
	}
	if strings.TrimSpace(cfg.APIKey) == "" {
		missing = append(missing, "APIKey")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("auth: NewExchange: empty %s", strings.Join(missing, " and "))
	}
	if err := checkSecret("NewExchange", "APIKey", cfg.APIKey); err != nil {
		return nil, err
	}
	u, err := url.Parse(cfg.TokenURL)
	if err != nil {
		// url.Parse's error repeats the URL, which may hold a secret.
		return nil, errors.New("auth: NewExchange: TokenURL is not a valid URL")
	}
	shown := secret.New(cfg.APIKey).Mask(secret.StripURL(cfg.TokenURL))
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("auth: NewExchange: TokenURL %q: want an https URL", shown)
	case u.Host == "":
		return nil, fmt.Errorf("auth: NewExchange: TokenURL %q has no host", shown)
	case u.User != nil:
		return nil, errors.New("auth: NewExchange: TokenURL must not carry user information")
	case u.Scheme == "http" && !cfg.AllowPlainHTTP && !secret.IsLoopback(u.Hostname()):
		return nil, fmt.Errorf("auth: NewExchange: refusing to send the API key over plain http to %s; use https (or ExchangeConfig.AllowPlainHTTP)", u.Host)
	}
	header := cfg.Header
	if header == "" {
		header = DefaultTokenHeader
	}
	if !validHeaderName(header) {
		return nil, fmt.Errorf("auth: NewExchange: invalid Header: %s", whyInvalid(header))
	}
	switch {
	case cfg.RefreshMargin < 0:
		return nil, fmt.Errorf("auth: NewExchange: negative RefreshMargin %v", cfg.RefreshMargin)
	case cfg.DefaultLifetime < 0:
		return nil, fmt.Errorf("auth: NewExchange: negative DefaultLifetime %v", cfg.DefaultLifetime)
	}
	sec := &exchangeSecret{rawURL: cfg.TokenURL, apiKey: headerValue(cfg.APIKey)}
	e := &Exchange{
		secret:    func() *exchangeSecret { return sec },
		tokenURL:  shown,
		key:       textproto.CanonicalMIMEHeaderKey(header),
		plainHTTP: cfg.AllowPlainHTTP,
		margin:    orDefault(cfg.RefreshMargin, DefaultRefreshMargin),
		lifetime:  orDefault(cfg.DefaultLifetime, DefaultLifetime),
		retry403:  cfg.RetryForbidden,
		client:    cfg.HTTPClient,
		now:       time.Now,
	}
	e.bearer = e.key == "Authorization"
	if e.client == nil {
		e.client = secret.NewHTTPClient(nil)
	}
	tc := *e.client
	tc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	e.tokenClient = &tc
	return e, nil
}

// orDefault returns d, or def when d is zero.
func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// Edit attaches the access token to req in the configured header,
// fetching a token first if there is no valid one. It is the request
// editor of this scheme:
//
//	c, err := api.New(api.WithBaseURL(host), api.WithRequestEditorFn(ex.Edit),
//		api.WithHTTPClient(ex.Doer(nil)))
//
// Like every editor of this package it replaces the header rather than
// adding to it, and refuses a plain http:// URL to a host that is not
// loopback (see ExchangeConfig.AllowPlainHTTP). With a valid cached token
// it does not allocate.
func (e *Exchange) Edit(ctx context.Context, req *http.Request) error {
	if err := checkTransport("Exchange", req, options{plainHTTP: e.plainHTTP}); err != nil {
		return err
	}
	c, err := e.get(ctx)
	if err != nil {
		return err
	}
	setHeader(req, e.key, c.hdr)
	secret.Attach(req, secret.Header, e.key, c.tok.AccessToken)
	return nil
}

// Token returns a valid access token and the user it belongs to, fetching
// one if needed. When ctx ends before a valid token is there, Token
// returns an *ExchangeError wrapping ctx.Err(); a fetch that other callers
// wait for goes on. When ctx ends while an early refresh runs, the current
// token, still valid, is returned.
func (e *Exchange) Token(ctx context.Context) (Token, error) {
	c, err := e.get(ctx)
	if err != nil {
		return Token{}, err
	}
	return c.tok, nil
}

// Invalidate drops the cached token if its AccessToken is rejected, so
// that the next Edit or Token fetches a fresh one. Call it when an API
// refuses a token (401) that Token returned; a token that has been
// replaced already is left alone, so that many requests failing with the
// same old token cause one fetch, not one each.
func (e *Exchange) Invalidate(rejected string) {
	if rejected == "" {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if c := e.cur.Load(); c != nil && c.tok.AccessToken == rejected {
		e.cur.Store(nil)
		e.retryAt = time.Time{}
	}
}

// get returns a token to use now.
//
// A hand-written single flight rather than golang.org/x/sync/singleflight:
// this one needs what that package does not give, namely a result stored
// in the cache under the same lock that decides whether to fetch, a valid
// old token returned at once while a refresh runs, and a fetch that goes
// on when its first caller leaves but stops when every caller has left.
// It also keeps the module free of dependencies.
func (e *Exchange) get(ctx context.Context) (*cached, error) {
	now := e.now()
	if c := e.cur.Load(); c != nil && now.Before(c.refreshAt) {
		return c, nil
	}
	e.mu.Lock()
	c := e.cur.Load()
	if c != nil && now.Before(c.refreshAt) {
		e.mu.Unlock()
		return c, nil
	}
	valid := c != nil && now.Before(c.tok.Expiry)
	if valid && (e.call != nil || now.Before(e.retryAt)) {
		// A refresh is under way or failed a moment ago: the current
		// token is still good.
		e.mu.Unlock()
		return c, nil
	}
	if err := ctx.Err(); err != nil {
		e.mu.Unlock()
		if valid {
			return c, nil
		}
		return nil, newExchangeError(0, "no token yet", err)
	}
	f := e.call
	if f == nil {
		f = e.start(ctx)
	}
	f.waiters++
	e.mu.Unlock()

	select {
	case <-f.done:
		if f.err == nil {
			return f.c, nil
		}
		if c := e.cur.Load(); c != nil && e.now().Before(c.tok.Expiry) {
			return c, nil
		}
		return nil, f.err
	case <-ctx.Done():
		e.mu.Lock()
		f.waiters--
		if f.waiters == 0 && e.call == f {
			// Nobody waits any more: stop the request.
			e.call = nil
			f.cancel()
		}
		e.mu.Unlock()
		if valid {
			return c, nil // the refresh is late, the old token still good
		}
		return nil, newExchangeError(0, "no token yet", ctx.Err())
	}
}

// start begins a token request in a goroutine of its own, so that it
// outlives the caller who started it while others wait for it. It runs
// with ctx's values but not its cancellation, under fetchTimeout. e.mu
// must be held.
func (e *Exchange) start(ctx context.Context) *flight {
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), fetchTimeout)
	f := &flight{done: make(chan struct{}), cancel: cancel}
	e.call = f
	go func() {
		defer cancel()
		c, err := e.fetch(fctx)
		e.mu.Lock()
		if err == nil {
			// A fresh token is worth keeping even if its callers left.
			e.cur.Store(c)
			e.retryAt = time.Time{}
		} else if e.call == f {
			e.retryAt = e.now().Add(refreshBackoff)
		}
		if e.call == f {
			e.call = nil
		}
		e.mu.Unlock()
		f.c, f.err = c, err
		close(f.done) // after Unlock: a waiter that returns finds e unlocked
	}()
	return f
}

// fetch requests a token from the token endpoint.
func (e *Exchange) fetch(ctx context.Context) (*cached, error) {
	sec := e.secret()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, sec.rawURL, nil)
	if err != nil {
		return nil, newExchangeError(0, "cannot build the request", nil)
	}
	req.Header["api_key"] = sec.apiKey
	req.Header["Accept"] = acceptJSON
	secret.Attach(req, secret.Header, "api_key", sec.apiKey[0])
	resp, err := e.tokenClient.Do(req)
	if err != nil {
		return nil, e.fail(0, "request failed", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenBody+1))
	if err != nil {
		return nil, e.fail(resp.StatusCode, "cannot read the response", err)
	}
	return e.decode(resp.StatusCode, resp.Header, body, e.now())
}

var acceptJSON = headerValue("application/json")

// decode turns a token endpoint response into a cached token, or into an
// error that says what is wrong without repeating the API key or a token.
func (e *Exchange) decode(status int, h http.Header, body []byte, now time.Time) (*cached, error) {
	if status < 200 || status > 299 {
		return nil, e.failStatus(status, h, body)
	}
	if len(body) > maxTokenBody {
		return nil, e.fail(status, fmt.Sprintf("response larger than %d KiB", maxTokenBody>>10), nil)
	}
	access, userID, reason := parseTokenResponse(body, h.Get("Content-Type"))
	secrets := []string{access}
	if reason != "" {
		return nil, e.fail(status, reason, nil, secrets...)
	}
	if err := checkSecret("", "", access); err != nil {
		return nil, e.fail(status, "access_token is empty, too short, or holds spaces, line breaks or NUL", nil, secrets...)
	}
	exp, hasExp, err := jwtExpiry(access)
	if err != nil {
		return nil, e.fail(status, "access_token is not a decodable JWT: "+err.Error(), nil, secrets...)
	}
	if !hasExp {
		exp = now.Add(e.lifetime)
	}
	life := exp.Sub(now)
	if life <= 0 {
		return nil, e.fail(status, fmt.Sprintf("access token expired at %s, before it arrived (%s): check this machine's clock",
			exp.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339)), nil, secrets...)
	}
	margin := min(e.margin, life/4)
	v := access
	if e.bearer {
		v = "Bearer " + access
	}
	return &cached{
		tok:       Token{AccessToken: access, UserID: userID, Expiry: exp},
		refreshAt: exp.Add(-margin),
		hdr:       headerValue(v),
	}, nil
}

// secrets is what no message may contain: the API key and extra.
func (e *Exchange) secrets(extra ...string) *secret.Set {
	return secret.New(append([]string{e.secret().apiKey[0]}, extra...)...)
}

// fail builds the error of a failed exchange, with the API key, extra and
// URL queries cleaned out of its message and of err's chain.
func (e *Exchange) fail(status int, reason string, err error, extra ...string) *ExchangeError {
	set := e.secrets(extra...)
	ee := newExchangeError(status, set.Text(reason), set.Error(err))
	ee.msg = set.Text(ee.msg)
	return ee
}

// failStatus describes a response other than 2xx.
func (e *Exchange) failStatus(status int, h http.Header, body []byte) *ExchangeError {
	var reason string
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		reason = "the API key was refused"
	case status >= 300 && status <= 399:
		loc := "elsewhere"
		if l := h.Get("Location"); l != "" {
			loc = "to " + secret.StripURL(l)
		}
		reason = "redirect " + loc + " not followed (the API key goes to TokenURL only): set TokenURL to the final URL"
	case status >= 500:
		reason = "the token endpoint failed"
	default:
		reason = "unexpected status (check TokenURL)"
	}
	ct, cut := h.Get("Content-Type"), len(body) > maxTokenBody
	body = body[:min(len(body), maxTokenBody)]
	if msg, ok := jsonMessage(body); ok {
		body, ct, cut = []byte(msg), "text/plain", false
	}
	if ex := e.secrets().Excerpt(body, ct, maxExcerpt, cut); ex != "" {
		reason += ": " + strconv.Quote(ex)
	}
	return e.fail(status, reason, nil)
}

// ExchangeError is the error of a failed token exchange. Its message
// starts with "auth: token exchange:", gives the endpoint's HTTP status
// and, for a failed status, a short cleaned-up excerpt of its answer; it
// never contains the API key, an access token, or a URL's query. Like any
// error it is safe to share once returned.
type ExchangeError struct {
	// StatusCode is the token endpoint's HTTP status, or 0 when it sent
	// no response (network failure, timeout, the caller's context ending).
	StatusCode int
	// Err is the underlying error (network, context), with any URL in it
	// stripped of its query; nil when the endpoint answered.
	Err error
	msg string
}

func newExchangeError(status int, reason string, err error) *ExchangeError {
	var b strings.Builder
	b.WriteString("auth: token exchange: ")
	if status != 0 {
		fmt.Fprintf(&b, "HTTP %d", status)
		if t := http.StatusText(status); t != "" {
			b.WriteString(" " + t)
		}
		b.WriteString(": ")
	}
	b.WriteString(reason)
	if err != nil {
		b.WriteString(": " + err.Error())
	}
	return &ExchangeError{StatusCode: status, Err: err, msg: b.String()}
}

func (e *ExchangeError) Error() string { return e.msg }

// Unwrap returns Err, so that errors.Is(err, context.Canceled) and the
// like work.
func (e *ExchangeError) Unwrap() error { return e.Err }
