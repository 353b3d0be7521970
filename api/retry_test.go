package api_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/auth"
)

// TestWaitsThatCannotBeHonoured has a server ask for waits too long to
// represent, longer than the policy allows, or past the caller's deadline:
// the call ends after one attempt with ErrRateLimited and the wait.
func TestWaitsThatCannotBeHonoured(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	for _, tt := range []struct {
		name       string
		retryAfter string
		message    string
		deadline   time.Duration
		want       time.Duration
	}{
		{name: "Retry-After overflows int64", retryAfter: "99999999999999999999999", want: day},
		{name: "Retry-After of many digits", retryAfter: strings.Repeat("9", 400), want: day},
		{name: "Retry-After beyond the policy", retryAfter: "3600", want: time.Hour},
		{name: "hint beyond the policy", message: "Rate limit 120 exceeded - try again in 999999s", want: day},
		{name: "hint overflowing int64", message: "Rate limit exceeded - try again in 99999999999999999999999s", want: day},
		{name: "hint of 99999s", message: "Rate limit exceeded - try again in 99999s", want: day},
		{name: "hint of 3000s", message: "Rate limit exceeded - try again in 3000s", want: 3000 * time.Second},
		{name: "Retry-After past the deadline", retryAfter: "50", deadline: 10 * time.Second, want: 50 * time.Second},
		{name: "HTTP date next year", retryAfter: time.Now().AddDate(1, 0, 0).UTC().Format(http.TimeFormat), want: day},
		{name: "Retry-After negative", retryAfter: "-5", want: day},
		{name: "Retry-After hugely negative", retryAfter: "-99999999999999999999", want: day},
		{name: "Retry-After garbage", retryAfter: "soon", want: day},
		{name: "Retry-After NaN", retryAfter: "NaN", want: day},
		{name: "Retry-After with an exponent", retryAfter: "1e9", want: day},
		{name: "Retry-After with a sign", retryAfter: "+3600", want: time.Hour},
		{name: "Retry-After with a fraction", retryAfter: "120.5", want: 120500 * time.Millisecond},
		{name: "hint in seconds spelt out", message: "Rate limit exceeded - try again in 999999 seconds", want: day},
		{name: "hint negative", message: "Rate limit exceeded - try again in -1s", want: day},
		{name: "hint with an exponent", message: "Rate limit exceeded - try again in 1e9s", want: day},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				calls.Add(1)
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = io.WriteString(w, `{"message": "`+tt.message+`"}`)
			}))
			defer srv.Close()
			c, err := api.New(api.WithBaseURL(srv.URL), api.WithRequestEditorFn(auth.Aiven("tok-retry-1234")),
				api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 5, MinWait: time.Millisecond, MaxWait: time.Millisecond, MaxRetryAfter: time.Minute}))
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			if tt.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.deadline)
				defer cancel()
			}
			_, err = c.UserInfoWithResponse(ctx)
			var ae *api.Error
			if !errors.Is(err, api.ErrRateLimited) || !errors.As(err, &ae) {
				t.Fatalf("err = %v, want ErrRateLimited", err)
			}
			if n := calls.Load(); n != 1 || ae.Attempts != 1 {
				t.Errorf("%d attempts (server saw %d), want 1", ae.Attempts, n)
			}
			if got := ae.RetryAfter; got < tt.want-time.Minute || got > tt.want {
				t.Errorf("RetryAfter = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestProblemDetails keeps the title and detail of an RFC 9457 body, as
// proxies and gateways send, with the credential masked.
func TestProblemDetails(t *testing.T) {
	t.Parallel()
	const tok = "tok-problem-5e3f9a1b7c"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, `{"type": "https://example.com/probs/quota", "title": "Quota exceeded", "status": 403,
			"detail": "Token `+tok+` has used its 1000 calls", "instance": "/v1/me"}`)
	}))
	defer srv.Close()
	c, err := api.New(api.WithBaseURL(srv.URL), api.WithRequestEditorFn(auth.Bearer(tok)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.UserInfoWithResponse(t.Context())
	var ae *api.Error
	if !errors.As(err, &ae) || !errors.Is(err, api.ErrForbidden) {
		t.Fatalf("err = %v, want an *api.Error of 403", err)
	}
	if want := "Quota exceeded: Token **** has used its 1000 calls"; ae.Message != want {
		t.Errorf("Message = %q, want %q", ae.Message, want)
	}
}

// TestBaseURLErrorsShowNoQuery gives WithBaseURL URLs that do not parse
// or are refused, with a token in the query or user information.
func TestBaseURLErrorsShowNoQuery(t *testing.T) {
	t.Parallel()
	for _, u := range []string{
		"https://h:badport/?token=K-secret-1",
		"https://[::1/?token=K-secret-1",
		"https://u:K-secret-1@h:bad/",
		"ftp://h/?token=K-secret-1",
		"https://h/v1?token=K-secret-1",
		"https://u:K-secret-1@h/",
		"https://h/%zz?token=K-secret-1",
	} {
		_, err := api.New(api.WithBaseURL(u))
		if err == nil {
			t.Errorf("%s: no error", u)
			continue
		}
		for _, out := range outputs(err) {
			if strings.Contains(out, "K-secret-1") || strings.Contains(out, "token=") {
				t.Errorf("%s: error shows the secret: %s", u, out)
			}
		}
	}
}
