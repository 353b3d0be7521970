package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aivenapi/aivenapi/internal/secret"
)

// Version is this client's version, sent in the User-Agent header.
const Version = "0.1.0"

// DefaultBaseURL is the Aiven API host. The paths in openapi.yaml carry
// the /v1 prefix, so a base URL is a host, never ".../v1".
const DefaultBaseURL = "https://api.aiven.io"

// Defaults of the client that New builds.
const (
	// DefaultTimeout bounds one attempt: connecting, sending, and reading
	// the whole response body.
	DefaultTimeout = 60 * time.Second
	// DefaultMaxBodySize caps a successful response body.
	DefaultMaxBodySize = 32 << 20
)

// New returns a client for the Aiven API at DefaultBaseURL, or at the URL
// given by WithBaseURL, and ready for every method to be called concurrently.
//
// Whatever does the HTTP (its own default, or the HttpRequestDoer given by
// WithHTTPClient) is wrapped so that:
//   - every request carries User-Agent: aivenapi/<Version> (WithUserAgent
//     names the program in front of it);
//   - each attempt is bounded by DefaultTimeout (WithTimeout);
//   - idempotent requests are retried on connection errors, 429, 502, 503
//     and 504 (WithRetryPolicy);
//   - any response but a 2xx becomes an *Error, so after err == nil the
//     result's JSON200 is set;
//   - a successful body that is not JSON, is empty, or exceeds
//     DefaultMaxBodySize (WithMaxBodySize) is an error;
//   - no error carries a URL's query, which may hold a token.
//
// The default HTTP client reuses connections, has dial, TLS-handshake and
// response-header timeouts, dials "localhost" on loopback and never through
// a proxy, and follows at most 10 redirects (auth.CheckRedirect): none
// carries to another origin a header or query parameter that an editor
// set. Every error masks, in any encoding, the credentials the editors
// attached.
func New(opts ...ClientOption) (*ClientWithResponses, error) {
	p := &pipeline{
		timeout:   DefaultTimeout,
		maxBody:   DefaultMaxBodySize,
		retry:     DefaultRetryPolicy(),
		userAgent: "aivenapi/" + Version,
		now:       time.Now,
	}
	// Each option runs with the pipeline in place as the doer, so that the
	// options below find it whatever their order; a doer that an option sets
	// (WithHTTPClient) becomes the pipeline's inner doer instead.
	wrapped := make([]ClientOption, 0, len(opts)+1)
	wrapped = append(wrapped, func(c *Client) error { c.Client = p; return nil })
	for _, o := range opts {
		if o == nil {
			continue
		}
		wrapped = append(wrapped, func(c *Client) error {
			err := o(c)
			if c.Client != p {
				if c.Client != nil {
					p.next = c.Client
				}
				c.Client = p
			}
			return err
		})
	}
	c, err := NewClient(DefaultBaseURL, wrapped...)
	if err != nil {
		// An option's error may quote a URL (url.Parse's does).
		return nil, secret.New().Error(err)
	}
	if err := checkBaseURL(c.Server); err != nil {
		return nil, err
	}
	if p.next == nil {
		p.next = secret.NewHTTPClient(nil)
	}
	return &ClientWithResponses{ClientInterface: c}, nil
}

func checkBaseURL(server string) error {
	u, err := url.Parse(server)
	if err != nil {
		return fmt.Errorf("api: base URL: %w", secret.New().Error(err))
	}
	shown := secret.StripURL(server)
	if u.Scheme != "https" && u.Scheme != "http" {
		return fmt.Errorf("api: base URL %q: want an http or https URL", shown)
	}
	if u.Host == "" {
		return fmt.Errorf("api: base URL %q has no host", shown)
	}
	if u.User != nil || u.RawQuery != "" {
		return errors.New("api: base URL must not carry user information or a query")
	}
	if strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), "/v1") {
		return fmt.Errorf("api: base URL %q ends in /v1: give the host (%s); the paths add /v1", shown, DefaultBaseURL)
	}
	return nil
}

// pipelineOf returns the pipeline of a client being built by New.
func pipelineOf(c *Client, option string) (*pipeline, error) {
	p, ok := c.Client.(*pipeline)
	if !ok {
		return nil, fmt.Errorf("api: %s works only with api.New", option)
	}
	return p, nil
}

// WithTimeout bounds each attempt of a request, from sending it to reading
// the end of the response body; 0 removes the bound (the caller's context
// still applies).
func WithTimeout(d time.Duration) ClientOption {
	return func(c *Client) error {
		p, err := pipelineOf(c, "WithTimeout")
		if err != nil {
			return err
		}
		if d < 0 {
			return fmt.Errorf("api: WithTimeout(%v): negative timeout", d)
		}
		p.timeout = d
		return nil
	}
}

// WithMaxBodySize caps the size of a successful response body; a larger
// body fails with an error wrapping ErrBodyTooLarge.
func WithMaxBodySize(n int64) ClientOption {
	return func(c *Client) error {
		p, err := pipelineOf(c, "WithMaxBodySize")
		if err != nil {
			return err
		}
		if n <= 0 {
			return fmt.Errorf("api: WithMaxBodySize(%d): want a positive size", n)
		}
		p.maxBody = n
		return nil
	}
}

// WithUserAgent puts product (such as "aivenctl/1.2.0") in front of the
// client's own "aivenapi/<Version>" in the User-Agent header.
func WithUserAgent(product string) ClientOption {
	return func(c *Client) error {
		p, err := pipelineOf(c, "WithUserAgent")
		if err != nil {
			return err
		}
		if strings.ContainsAny(product, "\r\n") {
			return errors.New("api: WithUserAgent: line break in product")
		}
		if product = strings.TrimSpace(product); product != "" {
			p.userAgent = product + " aivenapi/" + Version
		}
		return nil
	}
}

// WithRetryPolicy replaces DefaultRetryPolicy(). RetryPolicy{MaxAttempts: 1}
// turns retries off.
func WithRetryPolicy(rp RetryPolicy) ClientOption {
	return func(c *Client) error {
		p, err := pipelineOf(c, "WithRetryPolicy")
		if err != nil {
			return err
		}
		if err := rp.validate(); err != nil {
			return err
		}
		p.retry = rp
		return nil
	}
}

// ErrBodyTooLarge is wrapped by the error of a response whose body exceeds
// the size set by WithMaxBodySize.
var ErrBodyTooLarge = errors.New("api: response body too large")

// ErrInvalidResponse is wrapped by the error of a successful response that
// cannot be what the operation returns: not JSON, or empty.
var ErrInvalidResponse = errors.New("api: invalid response")

// pipeline is the HttpRequestDoer that New puts around the caller's doer.
// It is safe for concurrent use once New has returned.
type pipeline struct {
	next      HttpRequestDoer
	timeout   time.Duration
	maxBody   int64
	retry     RetryPolicy
	userAgent string
	now       func() time.Time
}

// Do sends req, retrying as the policy allows, and returns a 2xx response
// or an error.
func (p *pipeline) Do(req *http.Request) (*http.Response, error) {
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", p.userAgent)
	}
	ctx := req.Context()
	retryable := p.retry.MaxAttempts > 1 && (isIdempotent(req) || p.retry.NonIdempotent)
	if retryable && req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		retryable = false // the body cannot be sent twice
	}
	for attempt := 1; ; attempt++ {
		if attempt > 1 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, fmt.Errorf("api: %s %s: rewind request body: %w", req.Method, req.URL.Path, err)
			}
			req.Body = body
		}
		resp, cancel, err := p.send(req)
		if err != nil {
			cancel()
			if ctx.Err() != nil || !retryable || !isTemporary(err) {
				return nil, sendError(req, err, attempt)
			}
			wait, ok := p.retry.wait(ctx, attempt, 0, p.now())
			if !ok {
				return nil, sendError(req, err, attempt)
			}
			if !sleep(ctx, wait) {
				return nil, sendError(req, err, attempt)
			}
			continue
		}
		if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
			if err := p.checkSuccess(req, resp); err != nil {
				drain(resp.Body)
				cancel()
				return nil, err
			}
			resp.Body = &cappedBody{rc: resp.Body, left: p.maxBody, size: resp.ContentLength, cancel: cancel, req: req}
			return resp, nil
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		drain(resp.Body)
		cancel()
		apiErr := newError(req, resp, body, secret.ForRequest(req), p.now())
		apiErr.Attempts = attempt
		if !retryable || !retryStatus(resp.StatusCode) {
			return nil, apiErr
		}
		wait, ok := p.retry.wait(ctx, attempt, apiErr.RetryAfter, p.now())
		if !ok || !sleep(ctx, wait) {
			return nil, apiErr
		}
	}
}

// send makes one attempt under the per-attempt timeout. The returned cancel
// ends the attempt; a successful response's body calls it on Close.
func (p *pipeline) send(req *http.Request) (*http.Response, context.CancelFunc, error) {
	ctx, cancel := req.Context(), context.CancelFunc(func() {})
	if p.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, p.timeout)
	}
	resp, err := p.next.Do(req.WithContext(ctx))
	if err != nil && resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err == nil && resp == nil {
		err = errors.New("no response")
	}
	return resp, cancel, err
}

// checkSuccess rejects a 2xx response that the generated code would take
// for success without a result: a status other than 200, a body that is not
// JSON, or one that is announced empty or too large.
func (p *pipeline) checkSuccess(req *http.Request, resp *http.Response) error {
	path := req.URL.Path
	if resp.StatusCode != http.StatusOK {
		return &Error{StatusCode: resp.StatusCode, Method: req.Method, Path: path, Attempts: 1,
			Message: fmt.Sprintf("unexpected success status %d", resp.StatusCode)}
	}
	ct := resp.Header.Get("Content-Type")
	if !strings.Contains(ct, "json") {
		const limit = 4 << 10
		body, _ := io.ReadAll(io.LimitReader(resp.Body, limit))
		set := secret.ForRequest(req)
		return fmt.Errorf("%w: %s %s: HTTP 200 with content type %q, want JSON: %q",
			ErrInvalidResponse, req.Method, path, set.Text(secret.OneLine(ct, maxExcerpt)),
			set.Excerpt(body, ct, maxExcerpt, len(body) == limit))
	}
	if resp.ContentLength == 0 {
		return fmt.Errorf("%w: %s %s: HTTP 200 with an empty body", ErrInvalidResponse, req.Method, path)
	}
	if resp.ContentLength > p.maxBody {
		return fmt.Errorf("%w: %s %s: %d bytes announced, limit %d", ErrBodyTooLarge, req.Method, path, resp.ContentLength, p.maxBody)
	}
	return nil
}

// cappedBody is a successful response body: it fails past the size limit,
// fails when empty, and ends the attempt's context when closed.
type cappedBody struct {
	rc   io.ReadCloser
	left int64
	read int64
	// size is the announced Content-Length (at most the limit), or -1.
	size   int64
	cancel context.CancelFunc
	req    *http.Request
}

// Len returns how many bytes of the announced Content-Length are left to
// read, or -1 when the length was not announced. The generated Parse
// functions read the body into one buffer of this size (internal/bodyio);
// it is only a hint: Read still enforces the limit and finds the end.
func (b *cappedBody) Len() int {
	if b.size < 0 {
		return -1
	}
	return int(min(max(b.size-b.read, 0), math.MaxInt))
}

func (b *cappedBody) Read(buf []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a body of exactly the limit from a longer one.
		var one [1]byte
		n, err := b.rc.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("%w: %s %s: more than %d bytes", ErrBodyTooLarge, b.req.Method, b.req.URL.Path, b.read)
		}
		return 0, b.wrap(err)
	}
	if int64(len(buf)) > b.left {
		buf = buf[:b.left]
	}
	n, err := b.rc.Read(buf)
	b.left -= int64(n)
	b.read += int64(n)
	return n, b.wrap(err)
}

func (b *cappedBody) wrap(err error) error {
	switch {
	case err == nil:
		return nil
	case err == io.EOF && b.read == 0:
		return fmt.Errorf("%w: %s %s: HTTP 200 with an empty body", ErrInvalidResponse, b.req.Method, b.req.URL.Path)
	case err == io.EOF:
		return io.EOF
	}
	return fmt.Errorf("api: %s %s: read response body: %w", b.req.Method, b.req.URL.Path, secret.ForRequest(b.req).Error(err))
}

func (b *cappedBody) Close() error {
	err := b.rc.Close()
	b.cancel()
	return err
}

// sendError describes a request that got no response, without any URL's
// query and with the request's secrets masked.
func sendError(req *http.Request, err error, attempts int) error {
	err = secret.ForRequest(req).Error(err)
	if attempts > 1 {
		return fmt.Errorf("api: %s %s: after %d attempts: %w", req.Method, req.URL.Path, attempts, err)
	}
	return fmt.Errorf("api: %s %s: %w", req.Method, req.URL.Path, err)
}

func isIdempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, http.MethodPut, http.MethodDelete:
		return true
	}
	return req.Header.Get("Idempotency-Key") != ""
}

func drain(rc io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(rc, 64<<10))
	_ = rc.Close()
}

// sleep waits d or until ctx ends, and reports whether it waited d.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
