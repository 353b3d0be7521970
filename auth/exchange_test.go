package auth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aivenapi/aivenapi/auth"
)

func TestNewExchangeChecksConfig(t *testing.T) {
	t.Parallel()
	good := auth.ExchangeConfig{TokenURL: "https://dbaas900.example.com:20000/api/v3/auth/token", APIKey: testKey}
	tests := []struct {
		name string
		edit func(*auth.ExchangeConfig)
		want string // "" for no error
	}{
		{"good", func(*auth.ExchangeConfig) {}, ""},
		{"empty TokenURL", func(c *auth.ExchangeConfig) { c.TokenURL = "" }, "auth: NewExchange: empty TokenURL"},
		{"empty APIKey", func(c *auth.ExchangeConfig) { c.APIKey = "" }, "auth: NewExchange: empty APIKey"},
		{"blank APIKey", func(c *auth.ExchangeConfig) { c.APIKey = " \t" }, "auth: NewExchange: empty APIKey"},
		{"short APIKey", func(c *auth.ExchangeConfig) { c.APIKey = "key" }, "auth: NewExchange: APIKey shorter than 4 bytes"},
		{"both empty", func(c *auth.ExchangeConfig) { *c = auth.ExchangeConfig{} }, "auth: NewExchange: empty TokenURL and APIKey"},
		{"APIKey with line break", func(c *auth.ExchangeConfig) { c.APIKey = testKey + "\r\nX: y" }, "APIKey contains a line break"},
		{"plain http", func(c *auth.ExchangeConfig) { c.TokenURL = "http://dbaas900.example.com:20000/api/v3/auth/token" },
			"refusing to send the API key over plain http to dbaas900.example.com:20000"},
		{"plain http to 10.0.0.1", func(c *auth.ExchangeConfig) { c.TokenURL = "http://10.0.0.1/t" }, "refusing to send the API key over plain http"},
		{"plain http allowed", func(c *auth.ExchangeConfig) {
			c.TokenURL = "http://10.0.0.1/t"
			c.AllowPlainHTTP = true
		}, ""},
		{"plain http to loopback", func(c *auth.ExchangeConfig) { c.TokenURL = "http://127.0.0.1:20000/t" }, ""},
		{"plain http to localhost", func(c *auth.ExchangeConfig) { c.TokenURL = "http://localhost:20000/t" }, ""},
		{"plain http to ::1", func(c *auth.ExchangeConfig) { c.TokenURL = "http://[::1]:20000/t" }, ""},
		{"other scheme", func(c *auth.ExchangeConfig) { c.TokenURL = "ftp://example.com/t" }, `TokenURL "ftp://example.com/t": want an https URL`},
		{"no host", func(c *auth.ExchangeConfig) { c.TokenURL = "https:///t?key=" + testKey }, `TokenURL "https:///t" has no host`},
		{"relative", func(c *auth.ExchangeConfig) { c.TokenURL = "/api/v3/auth/token" }, "want an https URL"},
		{"user info", func(c *auth.ExchangeConfig) { c.TokenURL = "https://u:" + testKey + "@example.com/t" }, "TokenURL must not carry user information"},
		{"unparsable", func(c *auth.ExchangeConfig) { c.TokenURL = "https://example.com/%zz?" + testKey }, "TokenURL is not a valid URL"},
		{"bad header", func(c *auth.ExchangeConfig) { c.Header = "x auth" }, "auth: NewExchange: invalid Header: contains white space"},
		{"negative margin", func(c *auth.ExchangeConfig) { c.RefreshMargin = -time.Second }, "negative RefreshMargin"},
		{"negative lifetime", func(c *auth.ExchangeConfig) { c.DefaultLifetime = -time.Second }, "negative DefaultLifetime"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := good
			tc.edit(&cfg)
			ex, err := auth.NewExchange(cfg)
			if tc.want == "" {
				if err != nil || ex == nil {
					t.Fatalf("NewExchange: %v, want an exchange", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Errorf("error %q contains the API key", err)
			}
		})
	}
}

func TestExchangeFetchesAndCaches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header, wantKey, wantPrefix string
	}{
		{"", "X-Auth-Token", ""},
		{"x-auth-token", "X-Auth-Token", ""},
		{"Authorization", "Authorization", "Bearer "},
		{"authorization", "Authorization", "Bearer "},
		{"X-Token", "X-Token", ""},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			t.Parallel()
			clock := newClock()
			ts := newTokenServer(t, clock)
			ex := newExchange(t, ts, func(c *auth.ExchangeConfig) { c.Header = tc.header })
			tok, err := ex.Token(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if tok.UserID != testUser || !strings.HasPrefix(signature(tok.AccessToken), tokenMark) {
				t.Errorf("Token = %+v, want the endpoint's token and user", tok)
			}
			if want := t0.Add(time.Hour); !tok.Expiry.Equal(want) {
				t.Errorf("Expiry = %v, want the exp claim %v", tok.Expiry, want)
			}
			for i := range 3 {
				req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://dbaas.example.com/api/v3/"+testUser+"/clusters", nil)
				if err := ex.Edit(t.Context(), req); err != nil {
					t.Fatalf("Edit %d: %v", i, err)
				}
				if err := ex.Edit(t.Context(), req); err != nil {
					t.Fatalf("Edit %d again: %v", i, err)
				}
				if got := req.Header[tc.wantKey]; len(got) != 1 || got[0] != tc.wantPrefix+tok.AccessToken {
					t.Errorf("%s = %d values, want one: %q + the token", tc.wantKey, len(got), tc.wantPrefix)
				}
			}
			if n := ts.count(); n != 1 {
				t.Errorf("token endpoint called %d times, want 1 (cached)", n)
			}
		})
	}
}

func TestExchangeEditRefusesPlainHTTP(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, newClock())
	ex := newExchange(t, ts, nil)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://dbaas.example.com/api/v3/x", nil)
	err := ex.Edit(t.Context(), req)
	if err == nil || !strings.Contains(err.Error(), "auth: Exchange: refusing to send a credential over plain http") {
		t.Errorf("err = %v, want a refusal", err)
	}
	if len(req.Header) != 0 || ts.count() != 0 {
		t.Errorf("refused request: header %d entries, %d fetches; want none", len(req.Header), ts.count())
	}
	plain := newExchange(t, ts, func(c *auth.ExchangeConfig) { c.AllowPlainHTTP = true })
	if err := plain.Edit(t.Context(), req); err != nil {
		t.Errorf("AllowPlainHTTP: %v", err)
	}
}

func TestExchangeRefreshBoundaries(t *testing.T) {
	t.Parallel()
	const ns = time.Nanosecond
	tests := []struct {
		name      string
		life      time.Duration // 0: the token has no exp claim
		margin    time.Duration // ExchangeConfig.RefreshMargin
		at        time.Duration // when Token is called again, after t0
		wantFetch bool
	}{
		{"1h token just before refresh", time.Hour, 0, 59*time.Minute - ns, false},
		{"1h token at refresh", time.Hour, 0, 59 * time.Minute, true},
		{"1h token after refresh", time.Hour, 0, 59*time.Minute + ns, true},
		{"1h token after expiry", time.Hour, 0, 2 * time.Hour, true},
		{"1h token, 5m margin, before", time.Hour, 5 * time.Minute, 55*time.Minute - ns, false},
		{"1h token, 5m margin, at", time.Hour, 5 * time.Minute, 55 * time.Minute, true},
		// A short token is refreshed after three quarters of its life.
		{"2m token before", 2 * time.Minute, 0, 90*time.Second - ns, false},
		{"2m token at", 2 * time.Minute, 0, 90 * time.Second, true},
		// No exp: DefaultLifetime (10m), margin 1m.
		{"no exp before", 0, 0, 9*time.Minute - ns, false},
		{"no exp at", 0, 0, 9 * time.Minute, true},
		{"no exp after", 0, 0, 10 * time.Minute, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := newClock()
			ts := newTokenServer(t, clock)
			if tc.life == 0 {
				ts.set(func(w http.ResponseWriter, _ *http.Request, n int) {
					writeJSON(w, http.StatusOK, map[string]string{"access_token": makeJWT(map[string]any{"sub": "IBMid-1"}, n), "user_id": testUser})
				})
			} else {
				ts.set(ts.issue(tc.life))
			}
			ex := newExchange(t, ts, func(c *auth.ExchangeConfig) { c.RefreshMargin = tc.margin })
			first, err := ex.Token(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			wantExpiry := t0.Add(tc.life)
			if tc.life == 0 {
				wantExpiry = t0.Add(auth.DefaultLifetime)
			}
			if !first.Expiry.Equal(wantExpiry) {
				t.Errorf("Expiry = %v, want %v", first.Expiry, wantExpiry)
			}
			clock.Set(t0.Add(tc.at))
			second, err := ex.Token(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			wantCalls, wantSame := 1, true
			if tc.wantFetch {
				wantCalls, wantSame = 2, false
			}
			if n := ts.count(); n != wantCalls {
				t.Errorf("token endpoint called %d times, want %d", n, wantCalls)
			}
			if same := second.AccessToken == first.AccessToken; same != wantSame {
				t.Errorf("second token is the first: %t, want %t", same, wantSame)
			}
		})
	}
}

func TestExchangeConcurrentCallersShareOneFetch(t *testing.T) {
	t.Parallel()
	clock := newClock()
	ts := newTokenServer(t, clock)
	release := make(chan struct{})
	issue := ts.issue(time.Hour)
	ts.set(func(w http.ResponseWriter, r *http.Request, n int) {
		<-release
		issue(w, r, n)
	})
	ex := newExchange(t, ts, nil)

	const callers = 1000
	var started, done sync.WaitGroup
	started.Add(callers)
	done.Add(callers)
	tokens := make([]string, callers)
	errs := make([]error, callers)
	for i := range callers {
		go func() {
			defer done.Done()
			started.Done()
			tok, err := ex.Token(t.Context())
			tokens[i], errs[i] = tok.AccessToken, err
		}()
	}
	started.Wait()
	// Every caller is waiting for the one request in progress.
	waitFor(t, func() bool { return auth.Waiting(ex) == callers })
	close(release)
	done.Wait()
	for i := range callers {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if tokens[i] != tokens[0] {
			t.Fatalf("caller %d got another token than caller 0", i)
		}
	}
	if n := ts.count(); n != 1 {
		t.Errorf("token endpoint called %d times by %d concurrent callers, want 1", n, callers)
	}
}

func TestExchangeServesValidTokenWhileRefreshFails(t *testing.T) {
	t.Parallel()
	clock := newClock()
	ts := newTokenServer(t, clock)
	ex := newExchange(t, ts, nil)
	first, err := ex.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ts.set(func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"message": "Service temporarily unavailable"})
	})

	steps := []struct {
		at        time.Duration
		wantCalls int
		wantErr   string // "" to want the first token
	}{
		{59*time.Minute + time.Second, 2, ""},                                // in the refresh window: refresh fails, old token served
		{59*time.Minute + 3*time.Second, 2, ""},                              // within the back-off: no new attempt
		{59*time.Minute + 7*time.Second, 3, ""},                              // after it: another attempt
		{time.Hour, 4, "auth: token exchange: HTTP 503 Service Unavailable"}, // expired: the error
		{time.Hour, 5, "the token endpoint failed: \"Service temporarily unavailable\""},
	}
	for _, s := range steps {
		clock.Set(t0.Add(s.at))
		tok, err := ex.Token(t.Context())
		if s.wantErr == "" {
			if err != nil || tok.AccessToken != first.AccessToken {
				t.Errorf("at %v: Token = %v, %v; want the still-valid first token", s.at, tok, err)
			}
		} else if err == nil || !strings.Contains(err.Error(), s.wantErr) {
			t.Errorf("at %v: err = %v, want %q", s.at, err, s.wantErr)
		}
		if n := ts.count(); n != s.wantCalls {
			t.Errorf("at %v: token endpoint called %d times, want %d", s.at, n, s.wantCalls)
		}
	}
	// The endpoint recovers: a fresh token.
	ts.set(ts.issue(time.Hour))
	tok, err := ex.Token(t.Context())
	if err != nil || tok.AccessToken == first.AccessToken {
		t.Errorf("after recovery: %v, %v; want a new token", tok, err)
	}
}

func TestExchangeHonoursContext(t *testing.T) {
	t.Parallel()
	t.Run("already done", func(t *testing.T) {
		t.Parallel()
		ts := newTokenServer(t, newClock())
		ex := newExchange(t, ts, nil)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := ex.Token(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if n := ts.count(); n != 0 {
			t.Errorf("token endpoint called %d times, want 0", n)
		}
	})
	t.Run("one caller leaves, the other gets the token", func(t *testing.T) {
		t.Parallel()
		clock := newClock()
		ts := newTokenServer(t, clock)
		entered, release := make(chan struct{}), make(chan struct{})
		var once sync.Once
		issue := ts.issue(time.Hour)
		ts.set(func(w http.ResponseWriter, r *http.Request, n int) {
			once.Do(func() { close(entered) })
			<-release
			issue(w, r, n)
		})
		ex := newExchange(t, ts, nil)
		ctx, cancel := context.WithCancel(t.Context())
		leaver := make(chan error)
		go func() {
			_, err := ex.Token(ctx)
			leaver <- err
		}()
		<-entered
		stayer := make(chan error)
		go func() {
			_, err := ex.Token(t.Context())
			stayer <- err
		}()
		waitFor(t, func() bool { return auth.Waiting(ex) == 2 })
		cancel()
		select {
		case err := <-leaver:
			if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "auth: token exchange: ") {
				t.Errorf("leaver: err = %v, want an auth error wrapping context.Canceled", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the caller whose context ended is still waiting")
		}
		close(release)
		if err := <-stayer; err != nil {
			t.Errorf("stayer: %v, want the shared fetch's token", err)
		}
		if n := ts.count(); n != 1 {
			t.Errorf("token endpoint called %d times, want 1", n)
		}
	})
	t.Run("last caller leaves, the fetch stops", func(t *testing.T) {
		t.Parallel()
		clock := newClock()
		ts := newTokenServer(t, clock)
		entered, aborted := make(chan struct{}), make(chan struct{})
		ts.set(func(w http.ResponseWriter, r *http.Request, n int) {
			if n == 1 {
				close(entered)
				<-r.Context().Done()
				close(aborted)
				return
			}
			ts.issue(time.Hour)(w, r, n)
		})
		ex := newExchange(t, ts, nil)
		ctx, cancel := context.WithCancel(t.Context())
		errc := make(chan error)
		go func() {
			_, err := ex.Token(ctx)
			errc <- err
		}()
		<-entered
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		select {
		case <-aborted:
		case <-time.After(10 * time.Second):
			t.Fatal("the token request went on with nobody waiting")
		}
		// The next caller starts afresh.
		if _, err := ex.Token(t.Context()); err != nil {
			t.Errorf("next caller: %v", err)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		t.Parallel()
		ts := newTokenServer(t, newClock())
		release := make(chan struct{})
		ts.set(func(w http.ResponseWriter, r *http.Request, _ int) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		defer close(release)
		ex := newExchange(t, ts, nil)
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		if _, err := ex.Token(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want context.DeadlineExceeded", err)
		}
	})
}

func TestExchangeInvalidate(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, newClock())
	ex := newExchange(t, ts, nil)
	first, err := ex.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ex.Invalidate("not-the-current-token")
	ex.Invalidate("")
	if tok, _ := ex.Token(t.Context()); tok.AccessToken != first.AccessToken || ts.count() != 1 {
		t.Fatalf("a stale Invalidate dropped the current token")
	}
	ex.Invalidate(first.AccessToken)
	second, err := ex.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if second.AccessToken == first.AccessToken || ts.count() != 2 {
		t.Errorf("after Invalidate: same token %t, %d fetches; want a new token, 2 fetches", second.AccessToken == first.AccessToken, ts.count())
	}
	// Many requests rejected with the old token: one fetch, not one each.
	for range 5 {
		ex.Invalidate(first.AccessToken)
	}
	if _, err := ex.Token(t.Context()); err != nil || ts.count() != 2 {
		t.Errorf("Invalidate of an already replaced token caused a fetch (%d), err %v", ts.count(), err)
	}
}

// failure is one way a token endpoint fails.
type failure struct {
	name       string
	reply      handler
	wantStatus int
	want       string // in the error, after "auth: token exchange: "
}

func failures() []failure {
	text := func(status int, ct, body string) handler {
		return func(w http.ResponseWriter, _ *http.Request, _ int) {
			if ct != "" {
				w.Header().Set("Content-Type", ct)
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}
	}
	token := func(access any) handler {
		return func(w http.ResponseWriter, _ *http.Request, _ int) {
			writeJSON(w, http.StatusOK, map[string]any{"access_token": access, "user_id": testUser})
		}
	}
	jwtWith := func(claims string) string {
		h := makeJWT(nil, 0)
		return h[:strings.IndexByte(h, '.')] + "." + b64(claims) + "." + tokenMark + "-x"
	}
	htmlPage := `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>`
	return []failure{
		{"401 wrong key", text(401, "application/json", `{"message":"Invalid API key SECRET-API-KEY-123","errors":[{"message":"Invalid API key","status":401}]}`),
			401, `HTTP 401 Unauthorized: the API key was refused: "Invalid API key ****"`},
		{"403 forbidden", text(403, "application/json", `{"error":"forbidden"}`), 403, `HTTP 403 Forbidden: the API key was refused: "forbidden"`},
		{"500 text", text(500, "text/plain", "internal error\n\tat line 3"), 500, `HTTP 500 Internal Server Error: the token endpoint failed: "internal error at line 3"`},
		{"502 HTML", text(502, "text/html", htmlPage), 502, `HTTP 502 Bad Gateway: the token endpoint failed: "502 Bad Gateway nginx"`},
		// Lower-casing these bytes would change their length: the title is still found in the page as sent.
		{"503 HTML, invalid UTF-8 before the title", text(503, "text/html", "\xff\xfe<title>Down</title>"), 503,
			`HTTP 503 Service Unavailable: the token endpoint failed: "Down"`},
		{"503 HTML, İ before the title", text(503, "text/html", "<p>İİİ</p><TITLE>Wartung</TITLE>"), 503,
			`HTTP 503 Service Unavailable: the token endpoint failed: "Wartung: İİİ Wartung"`},
		{"503 empty", text(503, "", ""), 503, `HTTP 503 Service Unavailable: the token endpoint failed`},
		{"404", text(404, "application/json", `{"message":"Not found"}`), 404, `HTTP 404 Not Found: unexpected status (check TokenURL): "Not found"`},
		{"302 redirect", func(w http.ResponseWriter, r *http.Request, _ int) {
			http.Redirect(w, r, "https://elsewhere.example.com/auth/token?key=SECRET-API-KEY-123", http.StatusFound)
		}, 302, "HTTP 302 Found: redirect to https://elsewhere.example.com/auth/token not followed"},
		{"200 HTML", text(200, "text/html; charset=utf-8", "<html><title>Sign in</title></html>"), 200, `HTTP 200 OK: response is an HTML page, not JSON (content type "text/html; charset=utf-8")`},
		{"200 empty", text(200, "application/json", ""), 200, "HTTP 200 OK: empty response body"},
		{"200 malformed", text(200, "application/json", `{"access_token": "SECRET-TOKEN-abc`), 200, "HTTP 200 OK: response is not valid JSON"},
		{"200 not an object", text(200, "application/json", `["SECRET-TOKEN-abc"]`), 200, "HTTP 200 OK: response is JSON but not an object"},
		{"200 null", text(200, "application/json", `null`), 200, "HTTP 200 OK: response is JSON but not an object"},
		{"200 no access_token", token(nil), 200, "HTTP 200 OK: response has no access_token"},
		{"200 access_token not a string", token(12345), 200, "HTTP 200 OK: access_token is not a string"},
		{"200 access_token empty", token(""), 200, "HTTP 200 OK: access_token is empty"},
		{"200 access_token with line break", token(tokenMark + "\r\nX: 1"), 200, "HTTP 200 OK: access_token is empty, too short, or holds spaces, line breaks or NUL"},
		{"200 opaque token", token(tokenMark + "-opaque"), 200, "HTTP 200 OK: access_token is not a decodable JWT: want three dot-separated parts"},
		{"200 bad base64", token("e30." + tokenMark + "!." + tokenMark), 200, "HTTP 200 OK: access_token is not a decodable JWT: payload is not base64url"},
		{"200 payload not JSON", token(jwtWith("not json " + tokenMark)), 200, "HTTP 200 OK: access_token is not a decodable JWT: payload is not a JSON object"},
		{"200 exp a string", token(jwtWith(`{"exp":"1741944413"}`)), 200, "HTTP 200 OK: access_token is not a decodable JWT: exp claim is not a number"},
		{"200 exp out of range", token(jwtWith(`{"exp":1e300}`)), 200, "HTTP 200 OK: access_token is not a decodable JWT: exp claim is out of range"},
		{"200 expired", token(jwtWith(fmt.Sprintf(`{"exp":%d}`, t0.Add(-time.Minute).Unix()))), 200,
			"HTTP 200 OK: access token expired at 2025-03-14T09:25:53Z, before it arrived (2025-03-14T09:26:53Z): check this machine's clock"},
		{"200 too large", text(200, "application/json", `{"access_token":"`+strings.Repeat("A", 70<<10)+`"}`), 200, "HTTP 200 OK: response larger than 64 KiB"},
	}
}

func TestExchangeFailuresAreClearErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range failures() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := newClock()
			ts := newTokenServer(t, clock)
			ts.set(tc.reply)
			ex := newExchange(t, ts, nil)
			_, err := ex.Token(t.Context())
			var ee *auth.ExchangeError
			if !errors.As(err, &ee) {
				t.Fatalf("err = %v (%T), want an *auth.ExchangeError", err, err)
			}
			if ee.StatusCode != tc.wantStatus {
				t.Errorf("StatusCode = %d, want %d", ee.StatusCode, tc.wantStatus)
			}
			if want := "auth: token exchange: " + tc.want; !strings.Contains(err.Error(), want) {
				t.Errorf("err = %q\nwant it to contain %q", err, want)
			}
			assertNoSecret(t, "error", err.Error())
			// Edit fails the same way, and leaves the request alone.
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://dbaas.example.com/api/v3/x", nil)
			if err := ex.Edit(t.Context(), req); err == nil || len(req.Header) != 0 {
				t.Errorf("Edit: err %v, header %v; want an error and no header", err, req.Header)
			}
		})
	}
}

func TestExchangeNetworkErrorHidesQuery(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, newClock())
	url := ts.URL() + "?sig=" + tokenMark + "-in-url"
	ts.Close() // nothing listens any more
	ex, err := auth.NewExchange(auth.ExchangeConfig{TokenURL: url, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ex.Token(t.Context())
	var ee *auth.ExchangeError
	if !errors.As(err, &ee) || ee.StatusCode != 0 || ee.Err == nil {
		t.Fatalf("err = %#v, want an *auth.ExchangeError with no status and a cause", err)
	}
	if want := "auth: token exchange: request failed: Get \"" + ts.URL() + "\": dial tcp"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %q\nwant prefix %q", err, want)
	}
	assertNoSecret(t, "error", err.Error())
	assertNoSecret(t, "cause", ee.Err.Error())
}

// assertNoSecret fails t if s holds any of the test secrets.
func assertNoSecret(t testing.TB, what, s string) {
	t.Helper()
	for _, sec := range []string{testKey, tokenMark, staticToken} {
		if strings.Contains(s, sec) {
			t.Errorf("%s leaks %q: %s", what, sec, s)
		}
	}
}

// waitFor polls cond until it holds, failing t after a generous time.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestExchangeSlowRefreshServesValidTokenToLeavingCaller(t *testing.T) {
	t.Parallel()
	clock := newClock()
	ts := newTokenServer(t, clock)
	ex := newExchange(t, ts, nil)
	first, err := ex.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	entered := make(chan struct{})
	ts.set(func(w http.ResponseWriter, r *http.Request, _ int) {
		close(entered)
		<-r.Context().Done() // never answers
	})
	clock.Set(t0.Add(59*time.Minute + time.Second)) // in the refresh window
	ctx, cancel := context.WithCancel(t.Context())
	got := make(chan auth.Token)
	go func() {
		tok, err := ex.Token(ctx)
		if err != nil {
			t.Error(err)
		}
		got <- tok
	}()
	<-entered
	// Others are not held up by the refresh in progress.
	if tok, err := ex.Token(t.Context()); err != nil || tok.AccessToken != first.AccessToken {
		t.Errorf("second caller: %v, %v; want the current token at once", tok, err)
	}
	cancel()
	if tok := <-got; tok.AccessToken != first.AccessToken {
		t.Errorf("leaving caller got %v, want the still-valid token", tok)
	}
}
