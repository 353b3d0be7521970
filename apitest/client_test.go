package apitest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/apitest"
	"github.com/aivenapi/aivenapi/auth"
)

// Statuses the client must not retry are sent exactly once, as the
// server counts; the retried ones are sent again, so the count can tell.
func TestStatusesTriedOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status   int
		wantSent int
	}{
		{400, 1}, {401, 1}, {403, 1}, {404, 1}, {409, 1}, {422, 1}, {500, 1}, {501, 1},
		{429, 2}, {502, 2}, {503, 2}, {504, 2},
	}
	for _, tt := range tests {
		for _, path := range paths {
			t.Run(fmt.Sprintf("%d %s", tt.status, path), func(t *testing.T) {
				t.Parallel()
				srv := apitest.NewServer(t, apitest.Config{Token: fakeToken})
				f := apitest.Status(tt.status)
				if tt.status == 429 {
					f = apitest.RateLimited(0)
				}
				srv.Inject(path, f, f, f)
				c := srv.Client(api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 2, MaxRetryAfter: time.Second}))
				_, err := call(t, t.Context(), c, path)
				checkNoToken(t, err)
				var ae *api.Error
				if !errors.As(err, &ae) || ae.StatusCode != tt.status || ae.Attempts != tt.wantSent {
					t.Fatalf("error %v, want *api.Error with status %d after %d attempts", err, tt.status, tt.wantSent)
				}
				if got := srv.Requests(path); got != tt.wantSent {
					t.Errorf("server got %d requests, want %d", got, tt.wantSent)
				}
			})
		}
	}

	// The fake's own 401 for a wrong token: sent once too.
	t.Run("wrong token", func(t *testing.T) {
		t.Parallel()
		srv := apitest.NewServer(t, apitest.Config{Token: fakeToken})
		const wrong = "FAKE-wrong-token-0123456789abcdefghijklmnopqrstuvwxyz"
		c, err := api.New(api.WithBaseURL(srv.URL), api.WithRequestEditorFn(auth.Aiven(wrong)), api.WithRetryPolicy(fastRetry(5)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = call(t, t.Context(), c, apitest.PathUserInfo)
		checkNoToken(t, err, fakeToken, wrong)
		if !errors.Is(err, api.ErrUnauthorized) || srv.Requests(apitest.PathUserInfo) != 1 {
			t.Errorf("error %v after %d requests, want ErrUnauthorized after 1", err, srv.Requests(apitest.PathUserInfo))
		}
	})
}

// Retry-After is honoured: the second attempt arrives no sooner than the
// server asked, by the server's own clock. The backoff is a millisecond,
// so only Retry-After can explain the gap.
func TestRetryAfterHonoured(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fault   func() apitest.Fault
		minimum time.Duration
	}{
		{"seconds", func() apitest.Fault { return apitest.RateLimited(1) }, time.Second},
		// An HTTP date has whole seconds: 3s ahead asks for more than 2s.
		{"http date", func() apitest.Fault {
			return apitest.Fault{Status: 503, RetryAfter: apitest.RetryAfterDate(time.Now().Add(3 * time.Second))}
		}, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := apitest.NewServer(t, apitest.Config{Token: fakeToken})
			srv.Inject(apitest.PathUserInfo, tt.fault())
			policy := fastRetry(3)
			policy.MaxRetryAfter = 5 * time.Second
			got, err := call(t, t.Context(), srv.Client(api.WithRetryPolicy(policy)), apitest.PathUserInfo)
			if err != nil || got != wantDefault[apitest.PathUserInfo] {
				t.Fatalf("got %q, %v", got, err)
			}
			log := srv.Log()
			if len(log) != 2 {
				t.Fatalf("server saw %d requests, want 2", len(log))
			}
			if gap := log[1].Time.Sub(log[0].Time); gap < tt.minimum {
				t.Errorf("second attempt %v after the first, want at least %v", gap, tt.minimum)
			}
		})
	}
}

// A wait the client will not make (longer than MaxRetryAfter, or past the
// caller's deadline) returns the server's *api.Error at once, not a
// context error at the deadline.
func TestRetryAfterNotWaited(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		fault     apitest.Fault
		deadline  time.Duration
		wantAfter time.Duration
	}{
		{"beyond MaxRetryAfter", apitest.RateLimited(120), time.Hour, 120 * time.Second},
		{"past the deadline", apitest.RateLimited(30), 10 * time.Second, 30 * time.Second},
		// No header: the wait comes from Aiven's message.
		{"message past the deadline", apitest.Status(429), 10 * time.Second, 28 * time.Second},
		// The date is set when the subtest starts (a parallel subtest may
		// start seconds after the table is built).
		{"http date past the deadline", apitest.Fault{Status: 503}, 10 * time.Second, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.wantAfter == 0 {
				tt.fault.RetryAfter = apitest.RetryAfterDate(time.Now().Add(30 * time.Second))
			}
			srv := apitest.NewServer(t, apitest.Config{Token: fakeToken})
			srv.Inject(apitest.PathListClouds, tt.fault, tt.fault)
			ctx, cancel := context.WithTimeout(t.Context(), tt.deadline)
			defer cancel()
			start := time.Now()
			_, err := call(t, ctx, srv.Client(), apitest.PathListClouds) // the default policy: MaxRetryAfter 60s
			elapsed := time.Since(start)
			checkNoToken(t, err)
			var ae *api.Error
			if !errors.As(err, &ae) || ae.StatusCode != tt.fault.Status || ae.Attempts != 1 {
				t.Fatalf("error %v, want *api.Error %d after one attempt", err, tt.fault.Status)
			}
			if errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error %v is the context's, want the server's", err)
			}
			if tt.wantAfter != 0 && ae.RetryAfter != tt.wantAfter {
				t.Errorf("RetryAfter = %v, want %v", ae.RetryAfter, tt.wantAfter)
			}
			if tt.wantAfter == 0 && (ae.RetryAfter < 25*time.Second || ae.RetryAfter > 30*time.Second) {
				t.Errorf("RetryAfter = %v, want about 30s", ae.RetryAfter)
			}
			if elapsed > 5*time.Second { // one round trip, however busy the machine
				t.Errorf("returned after %v, want at once", elapsed)
			}
			if n := srv.Requests(apitest.PathListClouds); n != 1 {
				t.Errorf("server got %d requests, want 1", n)
			}
		})
	}
}

// A caller's deadline bounds the whole call, and WithTimeout each attempt:
// a server slower than either does not hold the caller.
func TestDeadlines(t *testing.T) {
	t.Parallel()
	t.Run("caller's deadline", func(t *testing.T) {
		t.Parallel()
		srv := apitest.NewServer(t, apitest.Config{Token: fakeToken})
		srv.Inject(apitest.PathUserInfo, apitest.Latency(time.Minute))
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := call(t, ctx, srv.Client(), apitest.PathUserInfo)
		elapsed := time.Since(start)
		checkNoToken(t, err)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error %v, want the deadline", err)
		}
		if elapsed > 5*time.Second {
			t.Errorf("returned after %v for a 300ms deadline", elapsed)
		}
		waitFor(t, func() bool { return srv.Stats().Statuses[0] == 1 }) // the fake stopped waiting too
	})
	t.Run("attempt timeout", func(t *testing.T) {
		t.Parallel()
		srv := apitest.NewServer(t, apitest.Config{Token: fakeToken})
		slow := apitest.Latency(time.Minute)
		srv.Inject(apitest.PathProjectList, slow, slow, slow)
		c := srv.Client(api.WithTimeout(200*time.Millisecond), api.WithRetryPolicy(fastRetry(3)))
		start := time.Now()
		_, err := call(t, t.Context(), c, apitest.PathProjectList)
		elapsed := time.Since(start)
		checkNoToken(t, err)
		if err == nil || !strings.Contains(err.Error(), "after 3 attempts") {
			t.Errorf("error %v, want a timeout after 3 attempts", err)
		}
		if n := srv.Requests(apitest.PathProjectList); n != 3 {
			t.Errorf("server got %d requests, want 3", n)
		}
		if elapsed > 10*time.Second {
			t.Errorf("returned after %v for 3 attempts of 200ms", elapsed)
		}
	})
	t.Run("slow but in time", func(t *testing.T) {
		t.Parallel()
		srv := apitest.NewServer(t, apitest.Config{Token: fakeToken})
		srv.Inject(apitest.PathListClouds, apitest.Latency(50*time.Millisecond))
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		if got, err := call(t, ctx, srv.Client(), apitest.PathListClouds); err != nil || got != wantDefault[apitest.PathListClouds] {
			t.Errorf("got %q, %v", got, err)
		}
	})
}

// Answers that are broken in transit or in content each give a clear
// error, never a panic, never a result with a nil error.
func TestBrokenAnswers(t *testing.T) {
	t.Parallel()
	chunked := apitest.Oversize(1 << 20)
	chunked.Chunked = true
	html := []byte("<html><head><title>Maintenance</title></head><body>Back soon</body></html>")
	tests := []struct {
		name  string
		fault apitest.Fault
		body  map[string]string // per path, for wrong shapes; overrides fault
		want  string            // in the error text
		is    error             // errors.Is target, if any
	}{
		{name: "truncated body", fault: apitest.Truncate(), want: "unexpected EOF"},
		{name: "dropped every attempt", fault: apitest.Drop(), want: "after 3 attempts"},
		{name: "oversized, announced", fault: apitest.Oversize(1 << 20), want: "1048576 bytes announced", is: api.ErrBodyTooLarge},
		{name: "oversized, chunked", fault: chunked, want: "more than 65536 bytes", is: api.ErrBodyTooLarge},
		{name: "HTML 502 every attempt", fault: apitest.HTMLError(502), want: `Bad Gateway (HTTP 502): "502 Bad Gateway`, is: api.ErrServer},
		{name: "empty 200", fault: apitest.Body(200, "application/json", nil), want: "empty body", is: api.ErrInvalidResponse},
		{name: "200 text/plain", fault: apitest.Body(200, "text/plain; charset=utf-8", apitest.DefaultListClouds()), want: `content type "text/plain; charset=utf-8"`, is: api.ErrInvalidResponse},
		{name: "200 HTML page", fault: apitest.Body(200, "text/html", html), want: "Maintenance", is: api.ErrInvalidResponse},
		{name: "204", fault: apitest.Body(204, "", nil), want: "unexpected success status 204"},
		{name: "JSON null", fault: apitest.Body(200, "application/json", []byte("null")), want: "response body has no", is: api.ErrInvalidResponse},
		{name: "JSON array", fault: apitest.Body(200, "application/json", []byte(`[]`)), want: "at byte 0: want an object, got an array", is: api.ErrInvalidResponse},
		{name: "JSON cut short", fault: apitest.Body(200, "application/json", []byte(`{"clouds": [{"cloud_name": "aws-eu`)), want: "at byte 34: unexpected end of JSON input in string literal (cut short?)", is: api.ErrInvalidResponse},
		{name: "JSON object without the result", fault: apitest.Body(200, "application/json", []byte(`{"message": "ok"}`)), want: "response body has no"},
		{name: "wrong shape", body: map[string]string{
			apitest.PathUserInfo:    `{"user": ["asa.jarvinen@example.com"]}`,
			apitest.PathProjectList: `{"projects": {"acme-prod": {}}, "project_membership": {}, "project_memberships": {}}`,
			apitest.PathListClouds:  `{"clouds": "aws-eu-west-1"}`,
		}, want: "decode response body"},
		{name: "wrong type deep inside", body: map[string]string{
			apitest.PathUserInfo:    `{"user": {"user": "a@example.com", "user_id": "x", "create_time": 1629278650}}`,
			apitest.PathProjectList: `{"projects": [{"project_name": "p", "estimated_balance": 4.11}], "project_membership": {}, "project_memberships": {}}`,
			apitest.PathListClouds:  `{"clouds": [{"cloud_name": "aws-eu-west-1", "geo_region": "europe", "geo_latitude": "53.07"}]}`,
		}, want: "decode response body"},
	}
	for _, tt := range tests {
		for _, path := range paths {
			t.Run(tt.name+" "+path, func(t *testing.T) {
				t.Parallel()
				f := tt.fault
				if tt.body != nil {
					f = apitest.Body(200, "application/json", []byte(tt.body[path]))
				}
				srv := apitest.NewServer(t, apitest.Config{Token: fakeToken, Faults: func(*http.Request, int) *apitest.Fault { return &f }})
				hc := countingClient(t, false) // so that every drop reaches the client
				c := srv.Client(api.WithRetryPolicy(fastRetry(3)), api.WithMaxBodySize(64<<10), api.WithHTTPClient(hc))
				got, err := call(t, t.Context(), c, path)
				if err == nil {
					t.Fatalf("got %q and no error", got)
				}
				checkNoToken(t, err)
				msg := err.Error()
				if !strings.Contains(msg, tt.want) {
					t.Errorf("error %q, want it to say %q", msg, tt.want)
				}
				if tt.is != nil && !errors.Is(err, tt.is) {
					t.Errorf("error %q is not %v", msg, tt.is)
				}
				if !namesCall(msg, path) {
					t.Errorf("error %q does not start with \"api: \" and name the call", msg)
				}
				if strings.ContainsAny(msg, "\n\r") || len(msg) > 1024 {
					t.Errorf("error of %d bytes or several lines: %q", len(msg), msg)
				}
			})
		}
	}
}

// A server that echoes the request into its error body, JSON or HTML,
// never gets the token into the client's error.
func TestEchoedTokenMasked(t *testing.T) {
	t.Parallel()
	for _, f := range []apitest.Fault{
		{Status: 400, Echo: true},
		{Status: 403, Echo: true},
		{Status: 429, Echo: true, RetryAfter: "120"},
		{Status: 500, Echo: true, Message: strings.Repeat("x", 100)},
	} {
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel()
			srv := apitest.NewServer(t, apitest.Config{Token: fakeToken})
			srv.Inject(apitest.PathUserInfo, f)
			_, err := call(t, t.Context(), srv.Client(api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 1})), apitest.PathUserInfo)
			var ae *api.Error
			if !errors.As(err, &ae) || ae.StatusCode != f.Status {
				t.Fatalf("error %v, want *api.Error %d", err, f.Status)
			}
			checkNoToken(t, err)
			if !strings.Contains(ae.Message, "Authorization: ****") {
				t.Errorf("message %q: want the echoed token masked as ****", strings.ReplaceAll(ae.Message, fakeToken, "<TOKEN>"))
			}
		})
	}
}

// Bodies read by the client leave nothing behind: a fake closed right
// after a call that read only part of a large body does not hang or leak
// (goleak checks at the end).
func TestPartialReadThenClose(t *testing.T) {
	t.Parallel()
	srv := apitest.NewServer(t, apitest.Config{Token: fakeToken})
	srv.Inject(apitest.PathListClouds, apitest.Oversize(8<<20))
	c := srv.Client(api.WithMaxBodySize(1 << 20))
	_, err := call(t, t.Context(), c, apitest.PathListClouds)
	if !errors.Is(err, api.ErrBodyTooLarge) {
		t.Fatalf("error %v, want ErrBodyTooLarge", err)
	}
	checkNoToken(t, err)
	srv.Close()
	if _, err := io.Copy(io.Discard, strings.NewReader("")); err != nil {
		t.Fatal(err)
	}
}

// An echoed token is masked before any text is cut, so that no part of it
// shows either: in an HTML page's excerpt (160 characters, shorter than a
// real token), in a long message cut at 500 characters, in the excerpt of
// a 200 of the wrong type, and in error_code and more_info.
func TestEchoedTokenNotCut(t *testing.T) {
	t.Parallel()
	page := []byte("<html><head><title>502 Bad Gateway</title></head><body>Authorization: aivenv1 " + fakeToken + "</body></html>")
	fields, _ := json.Marshal(map[string]any{"message": "Bad request", "errors": []map[string]any{{
		"message": "Bad request", "status": 400,
		"error_code": "token_" + fakeToken, "more_info": "https://example.com/doc?token=" + fakeToken,
	}}})
	for name, f := range map[string]apitest.Fault{
		"HTML page":             {Status: 502, HTML: true, Echo: true},
		"long JSON message":     {Status: 400, Echo: true, Message: strings.Repeat("x", 400)},
		"200 of another type":   apitest.Body(200, "text/html", page),
		"error_code, more_info": apitest.Body(400, "application/json", fields),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := apitest.NewServer(t, apitest.Config{Token: fakeToken})
			srv.Inject(apitest.PathUserInfo, f)
			_, err := call(t, t.Context(), srv.Client(api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 1})), apitest.PathUserInfo)
			if err == nil {
				t.Fatal("no error")
			}
			checkNoToken(t, err)
		})
	}
}

// namesCall reports whether an error message is a clear one for a call to
// path: it starts with "api: " and names the path or the operation.
func namesCall(msg, path string) bool {
	op := map[string]string{apitest.PathUserInfo: "UserInfo", apitest.PathProjectList: "ProjectList", apitest.PathListClouds: "ListClouds"}[path]
	return strings.HasPrefix(msg, "api: ") && (strings.Contains(msg, path) || strings.Contains(msg, op))
}
