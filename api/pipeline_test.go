package api_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/auth"
)

const jsonType = "application/json"

// TestErrors: every non-2xx response, and every 2xx that cannot be the
// result, comes back as a clear error; none carries the token.
func TestErrors(t *testing.T) {
	t.Parallel()
	html502 := readFixture(t, "502.html")
	echo := fmt.Sprintf(`{"message": "Invalid header aivenv1 %s", "errors": [{"message": "token %s rejected", "status": 401, "error_code": "auth_token_invalid", "metadata": {"header": "aivenv1 %s"}}]}`, testToken, testToken, testToken)
	tests := []struct {
		name        string
		resp        served
		wantStatus  int
		wantMessage string
		wantCode    string
		wantExcerpt string
		wantRetry   time.Duration
		is          error
		wantErr     error  // for responses that are not an *api.Error
		wantText    string // in err.Error()
	}{
		{name: "403 with Aiven's error body",
			resp:       served{status: 403, contentType: jsonType, body: []byte(`{"message": "Not allowed to access project", "errors": [{"message": "Not allowed to access project", "status": 403, "error_code": "project_access_denied", "more_info": "https://api.aiven.io/doc/"}]}`)},
			wantStatus: 403, wantMessage: "Not allowed to access project", wantCode: "project_access_denied", is: api.ErrForbidden,
			wantText: "api: GET /aiven/v1/me: Not allowed to access project (HTTP 403)"},
		{name: "401 expired token",
			resp:       served{status: 401, contentType: jsonType, body: []byte(`{"message": "Missing (expired) db token", "errors": [{"message": "Missing (expired) db token", "status": 401}]}`)},
			wantStatus: 401, wantMessage: "Missing (expired) db token", is: api.ErrUnauthorized},
		{name: "401 echoing the token",
			resp:       served{status: 401, contentType: jsonType, body: []byte(echo)},
			wantStatus: 401, wantMessage: "Invalid header ****", wantCode: "auth_token_invalid", is: api.ErrUnauthorized},
		{name: "404 without a body",
			resp:       served{status: 404},
			wantStatus: 404, wantMessage: "", is: api.ErrNotFound, wantText: "Not Found (HTTP 404)"},
		{name: "429 with Aiven's message and no Retry-After",
			resp:       served{status: 429, contentType: jsonType, body: []byte(`{"message": "Rate limit 120 exceeded - try again in 28s", "errors": [{"message": "Rate limit 120 exceeded - try again in 28s", "status": 429}]}`)},
			wantStatus: 429, wantMessage: "Rate limit 120 exceeded - try again in 28s", wantRetry: 28 * time.Second, is: api.ErrRateLimited,
			wantText: "Rate limit 120 exceeded - try again in 28s (HTTP 429)"},
		{name: "429 with Retry-After",
			resp:       served{status: 429, contentType: jsonType, header: http.Header{"Retry-After": {"7"}}, body: []byte(`{"message": "Rate limit 120 exceeded - try again in 28s"}`)},
			wantStatus: 429, wantMessage: "Rate limit 120 exceeded - try again in 28s", wantRetry: 7 * time.Second, is: api.ErrRateLimited},
		{name: "502 HTML page from a proxy",
			resp:       served{status: 502, contentType: "text/html", body: html502},
			wantStatus: 502, wantMessage: "Bad Gateway", wantExcerpt: "502 Bad Gateway nginx", is: api.ErrServer},
		{name: "500 plain text",
			resp:       served{status: 500, contentType: "text/plain", body: []byte("upstream connect error\n\tor disconnect/reset before headers")},
			wantStatus: 500, wantMessage: "Internal Server Error", wantExcerpt: "upstream connect error or disconnect/reset before headers", is: api.ErrServer},
		{name: "500 empty",
			resp:       served{status: 500, contentType: jsonType},
			wantStatus: 500, is: api.ErrServer, wantText: "Internal Server Error (HTTP 500)"},
		{name: "204 is not a result",
			resp:       served{status: 204},
			wantStatus: 204, wantMessage: "unexpected success status 204"},
		{name: "200 HTML", resp: served{status: 200, contentType: "text/html", body: html502},
			wantErr: api.ErrInvalidResponse, wantText: "HTTP 200 with content type"},
		{name: "200 empty", resp: served{status: 200, contentType: jsonType},
			wantErr: api.ErrInvalidResponse, wantText: "empty body"},
		{name: "200 too large", resp: served{status: 200, contentType: jsonType, body: []byte(`{"user": {"real_name": "` + strings.Repeat("x", 5000) + `"}}`)},
			wantErr: api.ErrBodyTooLarge},
		{name: "200 truncated JSON", resp: served{status: 200, contentType: jsonType, body: []byte(`{"user": {"real_na`)},
			wantErr: api.ErrInvalidResponse, wantText: "api: UserInfo: decode response body (18 bytes): at byte 18: unexpected end of JSON input in string literal (cut short?)"},
		{name: "200 JSON with trailing garbage", resp: served{status: 200, contentType: jsonType, body: []byte(`{"user": {}}}`)},
			wantErr: api.ErrInvalidResponse, wantText: "api: UserInfo: decode response body (13 bytes): at byte 12: invalid character '}' after top-level value"},
		{name: "200 null", resp: served{status: 200, contentType: jsonType, body: []byte(`null`)},
			wantErr: api.ErrInvalidResponse, wantText: `api: UserInfo: response body has no "user"`},
		{name: "200 array", resp: served{status: 200, contentType: jsonType, body: []byte(` [1]`)},
			wantErr: api.ErrInvalidResponse, wantText: "api: UserInfo: decode response body (4 bytes): at byte 1: want an object, got an array"},
		{name: "HTML page echoing the token where the excerpt ends",
			resp:       served{status: 502, contentType: "text/html", body: []byte("<html><body><h1>502 Bad Gateway</h1> " + strings.Repeat("x", 126) + " aivenv1 " + testToken + strings.Repeat(" more", 50) + "</body></html>")},
			wantStatus: 502, wantMessage: "Bad Gateway", wantExcerpt: "502 Bad Gateway " + strings.Repeat("x", 126) + " **** more more mo…", is: api.ErrServer},
		{name: "error items echoing the token in every field",
			resp:       served{status: 400, contentType: jsonType, body: []byte(`{"message": "Bad request", "errors": [{"message": "m", "status": 400, "error_code": "bad_` + testToken + `", "more_info": "https://example.com/?t=` + testToken + `"}]}`)},
			wantStatus: 400, wantMessage: "Bad request", wantCode: "bad_****"},
		{name: "200 wrong shape", resp: served{status: 200, contentType: jsonType, body: []byte(`{"user": ["x"]}`)},
			wantErr: api.ErrInvalidResponse, wantText: "api: UserInfo: decode response body (15 bytes): at byte 9: want an object, got an array"},
		{name: "200 wrong type deep inside", resp: served{status: 200, contentType: jsonType, body: []byte(`{"user": {"invitations": [{"invite_time": 1}]}}`)},
			wantErr: api.ErrInvalidResponse, wantText: "at byte 42: want a string (a time), got a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newAPIServer(t, map[string]served{"/v1/me": tt.resp})
			c := newClient(t, srv, api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 1}), api.WithMaxBodySize(4096))
			res, err := c.UserInfoWithResponse(t.Context())
			if err == nil {
				t.Fatalf("no error; result %+v", res)
			}
			if res != nil {
				t.Errorf("a result came with the error: %+v", res)
			}
			if strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, err), testToken) {
				t.Errorf("error carries the token: %v", err)
			}
			var ae *api.Error
			if errors.As(err, &ae) {
				for _, d := range ae.Errors {
					for _, f := range []*string{d.Message, d.ErrorCode, d.MoreInfo} {
						if f != nil && strings.Contains(*f, testToken) {
							t.Errorf("error item carries the token: %q", *f)
						}
					}
				}
				if strings.Contains(ae.Excerpt, testToken[:12]) {
					t.Errorf("excerpt carries part of the token: %q", ae.Excerpt)
				}
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			if tt.wantText != "" && !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error = %q, want it to contain %q", err, tt.wantText)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error = %v, want errors.Is %v", err, tt.wantErr)
			}
			var apiErr *api.Error
			if tt.wantStatus == 0 {
				if errors.As(err, &apiErr) {
					t.Errorf("got *api.Error %v for a response that is not an API error", apiErr)
				}
				return
			}
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v is not an *api.Error", err)
			}
			if apiErr.StatusCode != tt.wantStatus || apiErr.Message != tt.wantMessage || apiErr.ErrorCode() != tt.wantCode ||
				apiErr.Excerpt != tt.wantExcerpt || apiErr.RetryAfter != tt.wantRetry || apiErr.Attempts != 1 {
				t.Errorf("got %+v\nwant status %d, message %q, code %q, excerpt %q, retry after %v, 1 attempt",
					*apiErr, tt.wantStatus, tt.wantMessage, tt.wantCode, tt.wantExcerpt, tt.wantRetry)
			}
			if apiErr.Method != "GET" || apiErr.Path != prefix+"/v1/me" {
				t.Errorf("request = %s %s", apiErr.Method, apiErr.Path)
			}
			for _, d := range apiErr.Errors {
				if d.Metadata != nil {
					t.Errorf("error item keeps free-form metadata %v, which may echo the request", *d.Metadata)
				}
			}
			for _, s := range []error{api.ErrUnauthorized, api.ErrForbidden, api.ErrNotFound, api.ErrRateLimited, api.ErrServer} {
				if got := errors.Is(err, s); got != (s == tt.is) {
					t.Errorf("errors.Is(err, %v) = %v", s, got)
				}
			}
		})
	}
}

// script is an HttpRequestDoer that answers from a list of steps, one per
// attempt, and records when each attempt came. It needs no network, so the
// retry tests run in a synctest bubble on a fake clock.
type script struct {
	mu    sync.Mutex
	steps []func(*http.Request) (*http.Response, error)
	times []time.Time
	auths []string
}

func (s *script) Do(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	n := len(s.times)
	s.times = append(s.times, time.Now())
	s.auths = append(s.auths, req.Header.Get("Authorization"))
	s.mu.Unlock()
	if n >= len(s.steps) {
		return nil, fmt.Errorf("script: attempt %d not expected", n+1)
	}
	return s.steps[n](req)
}

func (s *script) gaps() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []time.Duration
	for i := 1; i < len(s.times); i++ {
		out = append(out, s.times[i].Sub(s.times[i-1]))
	}
	return out
}

func respond(status int, header http.Header, body string) func(*http.Request) (*http.Response, error) {
	return func(req *http.Request) (*http.Response, error) {
		h := http.Header{"Content-Type": {jsonType}}
		for k, v := range header {
			h[k] = v
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)),
			ContentLength: int64(len(body)), Request: req}, nil
	}
}

func fail(err error) func(*http.Request) (*http.Response, error) {
	return func(*http.Request) (*http.Response, error) { return nil, err }
}

// hang waits for the attempt's context to end, like a server that never
// answers.
func hang(req *http.Request) (*http.Response, error) {
	<-req.Context().Done()
	return nil, req.Context().Err()
}

const okUser = `{"user": {"user": "a@example.com", "user_id": "u1", "real_name": "A", "state": "active", "tenant": "aiven", "auth": [], "invitations": [], "project_membership": {}, "project_memberships": {}, "projects": []}}`

var (
	busy    = respond(503, nil, `{"message": "Service temporarily unavailable"}`)
	limited = respond(429, http.Header{"Retry-After": {"7"}}, `{"message": "Rate limit 120 exceeded - try again in 28s"}`)
	ok      = respond(200, nil, okUser)
	reset   = fail(fmt.Errorf("read tcp 127.0.0.1:1->127.0.0.1:2: %w", syscall.ECONNRESET))
)

func TestRetries(t *testing.T) {
	policy := api.RetryPolicy{MaxAttempts: 4, MinWait: time.Second, MaxWait: 4 * time.Second, MaxRetryAfter: 30 * time.Second}
	tests := []struct {
		name     string
		steps    []func(*http.Request) (*http.Response, error)
		deadline time.Duration // of the caller's context; 0 for none
		method   string
		policy   func(*api.RetryPolicy)
		status   int // of the *api.Error; 0 for success, -1 for another error
		gaps     []time.Duration
		maxGaps  []time.Duration
	}{
		{name: "503 twice then success", steps: steps(busy, busy, ok),
			gaps: []time.Duration{500 * time.Millisecond, time.Second}, maxGaps: []time.Duration{time.Second, 2 * time.Second}},
		{name: "Retry-After is waited for", steps: steps(limited, ok),
			gaps: []time.Duration{7 * time.Second}, maxGaps: []time.Duration{7 * time.Second}},
		{name: "Aiven's try again in 28s is waited for", steps: steps(respond(429, nil, `{"message": "Rate limit 120 exceeded - try again in 28s"}`), ok),
			gaps: []time.Duration{28 * time.Second}, maxGaps: []time.Duration{28 * time.Second}},
		{name: "Retry-After as an HTTP date", steps: steps(func(req *http.Request) (*http.Response, error) {
			return respond(503, http.Header{"Retry-After": {time.Now().Add(12 * time.Second).UTC().Format(http.TimeFormat)}}, `{}`)(req)
		}, ok), gaps: []time.Duration{12 * time.Second}, maxGaps: []time.Duration{12 * time.Second}},
		{name: "connection reset then success", steps: steps(reset, ok),
			gaps: []time.Duration{500 * time.Millisecond}, maxGaps: []time.Duration{time.Second}},
		{name: "backoff is capped", steps: steps(busy, busy, busy, busy), status: 503,
			gaps: []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}, maxGaps: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
		{name: "attempts run out: the last error", steps: steps(busy, busy, busy, limited), status: 429,
			gaps: []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}, maxGaps: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
		{name: "Retry-After past the deadline: the error at once", steps: steps(limited), deadline: 5 * time.Second, status: 429},
		{name: "Retry-After beyond MaxRetryAfter: the error at once", steps: steps(respond(429, http.Header{"Retry-After": {"3600"}}, `{}`)), status: 429},
		{name: "400 is not retried", steps: steps(respond(400, nil, `{"message": "Invalid input"}`)), status: 400},
		{name: "401 is not retried", steps: steps(respond(401, nil, `{"message": "Missing (expired) db token"}`)), status: 401},
		{name: "500 is not retried", steps: steps(respond(500, nil, `{}`)), status: 500},
		{name: "POST is not retried", steps: steps(busy), method: http.MethodPost, status: 503},
		{name: "POST is retried when allowed", steps: steps(busy, ok), method: http.MethodPost,
			policy: func(p *api.RetryPolicy) { p.NonIdempotent = true },
			gaps:   []time.Duration{500 * time.Millisecond}, maxGaps: []time.Duration{time.Second}},
		{name: "retries off", steps: steps(busy), policy: func(p *api.RetryPolicy) { p.MaxAttempts = 1 }, status: 503},
		{name: "an attempt that hangs times out and is retried", steps: steps(hang, ok),
			gaps: []time.Duration{10*time.Second + 500*time.Millisecond}, maxGaps: []time.Duration{11 * time.Second}},
		{name: "the caller's deadline ends a hanging attempt", steps: steps(hang), deadline: 3 * time.Second, status: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &script{steps: tt.steps}
				p := policy
				if tt.policy != nil {
					tt.policy(&p)
				}
				c, err := api.New(api.WithHTTPClient(s), api.WithRetryPolicy(p), api.WithTimeout(10*time.Second),
					api.WithRequestEditorFn(auth.Aiven(testToken)))
				if err != nil {
					t.Fatal(err)
				}
				ctx := t.Context()
				if tt.deadline > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tt.deadline)
					defer cancel()
				}
				start := time.Now()
				err = call(ctx, c, tt.method)
				elapsed := time.Since(start)

				var apiErr *api.Error
				switch {
				case tt.status == 0 && err != nil:
					t.Fatalf("error %v, want success", err)
				case tt.status > 0 && !errors.As(err, &apiErr):
					t.Fatalf("error %v, want an *api.Error", err)
				case tt.status > 0 && (apiErr.StatusCode != tt.status || apiErr.Attempts != len(tt.steps)):
					t.Errorf("got HTTP %d after %d attempts, want HTTP %d after %d", apiErr.StatusCode, apiErr.Attempts, tt.status, len(tt.steps))
				case tt.status < 0 && (err == nil || errors.As(err, &apiErr)):
					t.Errorf("error %v, want a transport error", err)
				}
				if len(s.times) != len(tt.steps) {
					t.Errorf("%d attempts, want %d", len(s.times), len(tt.steps))
				}
				gaps := s.gaps()
				for i, g := range gaps {
					if i >= len(tt.gaps) || g < tt.gaps[i] || g > tt.maxGaps[i] {
						t.Errorf("wait before attempt %d = %v, want between %v and %v", i+2, g, at(tt.gaps, i), at(tt.maxGaps, i))
					}
				}
				if tt.status > 0 && tt.deadline > 0 && elapsed != 0 {
					t.Errorf("returned after %v, want at once", elapsed)
				}
				if tt.status < 0 && elapsed != tt.deadline {
					t.Errorf("returned after %v, want at the deadline %v", elapsed, tt.deadline)
				}
				for i, a := range s.auths {
					if a != "aivenv1 "+testToken {
						t.Errorf("attempt %d: Authorization = %q, want one aivenv1 credential", i+1, a)
					}
				}
				if err != nil && strings.Contains(fmt.Sprintf("%+v", err), testToken) {
					t.Errorf("error carries the token: %v", err)
				}
			})
		})
	}
}

func steps(s ...func(*http.Request) (*http.Response, error)) []func(*http.Request) (*http.Response, error) {
	return s
}

func at(d []time.Duration, i int) time.Duration {
	if i < len(d) {
		return d[i]
	}
	return -1
}

// call sends GET /v1/me through the client, or the same path with another
// method through the generated request editors.
func call(ctx context.Context, c *api.ClientWithResponses, method string) error {
	if method == "" || method == http.MethodGet {
		_, err := c.UserInfoWithResponse(ctx)
		return err
	}
	_, err := c.UserInfoWithResponse(ctx, func(_ context.Context, req *http.Request) error {
		req.Method = method
		return nil
	})
	return err
}

func TestNewRejectsBadOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opt  api.ClientOption
		want string
	}{
		{"base URL with /v1", api.WithBaseURL("https://api.aiven.io/v1"), "ends in /v1"},
		{"base URL without scheme", api.WithBaseURL("api.aiven.io"), "want an http or https URL"},
		{"base URL with a query", api.WithBaseURL("https://api.aiven.io/?token=x"), "must not carry"},
		{"base URL with user info", api.WithBaseURL("https://u:p@api.aiven.io"), "must not carry"},
		{"ftp base URL", api.WithBaseURL("ftp://api.aiven.io"), "want an http or https URL"},
		{"negative timeout", api.WithTimeout(-time.Second), "negative timeout"},
		{"zero body size", api.WithMaxBodySize(0), "want a positive size"},
		{"zero attempts", api.WithRetryPolicy(api.RetryPolicy{}), "MaxAttempts"},
		{"waits inverted", api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 2, MinWait: time.Second}), "MinWait <= MaxWait"},
		{"user agent with a line break", api.WithUserAgent("x\r\nEvil: 1"), "line break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := api.New(tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New() error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := api.NewClient("https://api.aiven.io", api.WithTimeout(time.Second)); err == nil {
		t.Error("WithTimeout outside api.New: no error")
	}
}

// TestUserAgentAndBaseURL: the defaults, and the options that change them,
// reach the wire.
func TestUserAgentAndBaseURL(t *testing.T) {
	t.Parallel()
	var got []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.URL.Path+" "+r.Header.Get("User-Agent"))
		mu.Unlock()
		w.Header().Set("Content-Type", jsonType)
		io.WriteString(w, `{"clouds": []}`)
	}))
	defer srv.Close()
	for _, opts := range [][]api.ClientOption{
		{api.WithBaseURL(srv.URL)},
		{api.WithBaseURL(srv.URL + "/"), api.WithUserAgent("aivenctl/9.9")},
		{api.WithUserAgent("aivenctl/9.9"), api.WithBaseURL(srv.URL + "/proxy/")},
	} {
		c, err := api.New(opts...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.ListCloudsWithResponse(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"/v1/clouds aivenapi/" + api.Version,
		"/v1/clouds aivenctl/9.9 aivenapi/" + api.Version,
		"/proxy/v1/clouds aivenctl/9.9 aivenapi/" + api.Version,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestSuccessBodyRead: a successful body reads whole into Body and
// JSON200 whether its length is announced (the generated Parse functions
// then read it into one buffer of that length, internal/bodyio) or not
// (chunked), and the size limit holds either way.
func TestSuccessBodyRead(t *testing.T) {
	t.Parallel()
	var clouds strings.Builder
	clouds.WriteString(`{"clouds": [`)
	for i := range 300 {
		if i > 0 {
			clouds.WriteString(", ")
		}
		fmt.Fprintf(&clouds, `{"cloud_name": "aws-region-%d", "cloud_description": "Europe, Somewhere - Amazon Web Services: Region %d", "geo_region": "europe"}`, i, i)
	}
	clouds.WriteString(`]}`)
	body := clouds.String()
	tests := []struct {
		name    string
		chunked bool
		limit   int64
		wantErr error
	}{
		{name: "announced"},
		{name: "chunked", chunked: true},
		{name: "announced, exactly the limit", limit: int64(len(body))},
		{name: "chunked, exactly the limit", chunked: true, limit: int64(len(body))},
		{name: "announced, over the limit", limit: int64(len(body)) - 1, wantErr: api.ErrBodyTooLarge},
		{name: "chunked, over the limit", chunked: true, limit: int64(len(body)) - 1, wantErr: api.ErrBodyTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", jsonType)
				if !tt.chunked {
					w.Header().Set("Content-Length", fmt.Sprint(len(body)))
				}
				half := len(body) / 2
				_, _ = io.WriteString(w, body[:half])
				w.(http.Flusher).Flush()
				_, _ = io.WriteString(w, body[half:])
			}))
			defer srv.Close()
			opts := []api.ClientOption{api.WithBaseURL(srv.URL)}
			if tt.limit > 0 {
				opts = append(opts, api.WithMaxBodySize(tt.limit))
			}
			c, err := api.New(opts...)
			if err != nil {
				t.Fatal(err)
			}

			// The body announces what is left to read, or -1.
			resp, err := c.ListClouds(t.Context())
			if err != nil {
				if tt.wantErr == nil || !errors.Is(err, tt.wantErr) {
					t.Fatalf("ListClouds: %v, want %v", err, tt.wantErr)
				}
			} else {
				sized, ok := resp.Body.(interface{ Len() int })
				if !ok {
					t.Fatalf("the body (%T) has no Len method", resp.Body)
				}
				want := len(body)
				if tt.chunked {
					want = -1
				}
				if got := sized.Len(); got != want {
					t.Errorf("Len() = %d, want %d", got, want)
				}
				if _, err := io.ReadFull(resp.Body, make([]byte, 100)); err != nil {
					t.Fatal(err)
				}
				if !tt.chunked {
					want -= 100
				}
				if got := sized.Len(); got != want {
					t.Errorf("after 100 bytes, Len() = %d, want %d", got, want)
				}
				resp.Body.Close()
			}

			r, err := c.ListCloudsWithResponse(t.Context())
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("ListCloudsWithResponse: error %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(r.Body) != body {
				t.Errorf("Body: %d bytes, want the %d bytes served", len(r.Body), len(body))
			}
			if n := len(r.JSON200.Clouds); n != 300 || r.JSON200.Clouds[299].CloudName != "aws-region-299" {
				t.Errorf("JSON200 holds %d clouds, want 300 ending with aws-region-299", n)
			}
		})
	}
}
