package auth_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/auth"
)

// dbaasServer is an API that takes exchanged tokens in x-auth-token and
// refuses those that reject says, as an expired token is refused.
type dbaasServer struct {
	*httptest.Server
	calls  atomic.Int64
	mu     sync.Mutex
	tokens []string // the token of each request
	bodies []string // the body of each request
}

// expired401 is how the API refuses a token.
func expired401(w http.ResponseWriter) {
	writeJSON(w, http.StatusUnauthorized, map[string]any{
		"message": "Missing (expired) db token",
		"errors":  []map[string]any{{"message": "Missing (expired) db token", "status": 401, "error_code": "token_expired"}},
	})
}

func newDBaaSServer(t *testing.T, reject func(tok string) int) *dbaasServer {
	t.Helper()
	s := &dbaasServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		tok := r.Header.Get("X-Auth-Token")
		s.mu.Lock()
		s.tokens = append(s.tokens, tok)
		s.bodies = append(s.bodies, string(body))
		s.mu.Unlock()
		switch status := reject(tok); status {
		case 0:
		case http.StatusUnauthorized:
			expired401(w)
			return
		default:
			writeJSON(w, status, map[string]any{"message": "Forbidden", "errors": []map[string]any{{"message": "Forbidden", "status": status}}})
			return
		}
		if r.URL.Path == "/v1/me" {
			writeJSON(w, http.StatusOK, map[string]any{"user": map[string]any{
				"user": "jane@example.com", "user_id": testUser, "real_name": "Jane Doe", "state": "active",
				"auth": []string{"password"}, "invitations": []any{}, "project_membership": map[string]string{},
				"project_memberships": map[string][]string{}, "projects": []string{}, "tenant": "aiven",
			}})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"clusters": []any{}})
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *dbaasServer) seen() (tokens, bodies []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.tokens...), append([]string(nil), s.bodies...)
}

// rejectFirst refuses the first token the token server issued.
func rejectFirst(tok string) int {
	if signature(tok) == tokenMark+"-1" {
		return http.StatusUnauthorized
	}
	return 0
}

// send is one way to wire the exchange: it sends req through it.
type send func(t *testing.T, ex *auth.Exchange, req *http.Request) (*http.Response, error)

func wirings(srv *httptest.Server) map[string]send {
	return map[string]send{
		"Doer": func(t *testing.T, ex *auth.Exchange, req *http.Request) (*http.Response, error) {
			if err := ex.Edit(req.Context(), req); err != nil {
				return nil, err
			}
			return ex.Doer(srv.Client()).Do(req)
		},
		"Transport": func(t *testing.T, ex *auth.Exchange, req *http.Request) (*http.Response, error) {
			if err := ex.Edit(req.Context(), req); err != nil {
				return nil, err
			}
			hc := &http.Client{Transport: ex.Transport(srv.Client().Transport), CheckRedirect: auth.CheckRedirect}
			return hc.Do(req)
		},
	}
}

func TestRetryAfter401WithFreshToken(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"Doer", "Transport"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ts := newTokenServer(t, newClock())
			ex := newExchange(t, ts, nil)
			srv := newDBaaSServer(t, rejectFirst)
			const body = `{"name":"cluster-1","plan":"small"}`
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/api/v3/"+testUser+"/clusters", strings.NewReader(body))
			resp, err := wirings(srv.Server)[name](t, ex, req)
			if err != nil {
				t.Fatal(err)
			}
			drainClose(resp)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status = %d, want 200 after the retry", resp.StatusCode)
			}
			if n := ts.count(); n != 2 {
				t.Errorf("token endpoint called %d times, want 2", n)
			}
			tokens, bodies := srv.seen()
			if len(tokens) != 2 || signature(tokens[0]) != tokenMark+"-1" || signature(tokens[1]) != tokenMark+"-2" {
				t.Fatalf("API got %d requests; want 2, with tokens 1 then 2", len(tokens))
			}
			for i, b := range bodies {
				if b != body {
					t.Errorf("attempt %d: body %q, want %q", i+1, b, body)
				}
			}
			// Doer updates the caller's request; Transport leaves it alone.
			got := signature(req.Header.Get("X-Auth-Token"))
			want := map[string]string{"Doer": tokenMark + "-2", "Transport": tokenMark + "-1"}[name]
			if got != want {
				t.Errorf("caller's request carries token %q afterwards, want %q", got, want)
			}
		})
	}
}

func TestRetrySecond401IsReturned(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"Doer", "Transport"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ts := newTokenServer(t, newClock())
			ex := newExchange(t, ts, nil)
			srv := newDBaaSServer(t, func(string) int { return http.StatusUnauthorized })
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/api/v3/"+testUser+"/clusters", nil)
			resp, err := wirings(srv.Server)[name](t, ex, req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(b), "Missing (expired) db token") {
				t.Errorf("got %d %q, want the second 401 as it is", resp.StatusCode, b)
			}
			if api, tok := srv.calls.Load(), ts.count(); api != 2 || tok != 2 {
				t.Errorf("API called %d times, token endpoint %d; want 2 and 2 (one retry, no loop)", api, tok)
			}
		})
	}
}

func TestRetryOnlyWhenItCan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    int  // what the API answers the first token
		forbidden bool // ExchangeConfig.RetryForbidden
		noToken   bool // the request carries no token
		noGetBody bool // the request's body cannot be rewound
		wantCalls int  // API calls
	}{
		{"401", http.StatusUnauthorized, false, false, false, 2},
		{"403", http.StatusForbidden, false, false, false, 1},
		{"403 with RetryForbidden", http.StatusForbidden, true, false, false, 2},
		{"401 to a request without token", http.StatusUnauthorized, false, true, false, 1},
		{"401 with a body that cannot be rewound", http.StatusUnauthorized, false, false, true, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := newTokenServer(t, newClock())
			ex := newExchange(t, ts, func(c *auth.ExchangeConfig) { c.RetryForbidden = tc.forbidden })
			srv := newDBaaSServer(t, func(tok string) int {
				if tok == "" || signature(tok) == tokenMark+"-1" {
					return tc.status
				}
				return 0
			})
			var body io.Reader = strings.NewReader(`{"name":"c"}`)
			if tc.noGetBody {
				body = io.MultiReader(body)
			}
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/api/v3/u/clusters", body)
			if !tc.noToken {
				if err := ex.Edit(t.Context(), req); err != nil {
					t.Fatal(err)
				}
			}
			resp, err := ex.Doer(srv.Client()).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			drainClose(resp)
			wantStatus := tc.status
			if tc.wantCalls == 2 {
				wantStatus = http.StatusOK
			}
			if n := srv.calls.Load(); n != int64(tc.wantCalls) || resp.StatusCode != wantStatus {
				t.Errorf("API called %d times, answer %d; want %d, %d", n, resp.StatusCode, tc.wantCalls, wantStatus)
			}
		})
	}
}

func TestRetryManyRejectedRequestsShareOneFetch(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, newClock())
	ex := newExchange(t, ts, nil)
	srv := newDBaaSServer(t, rejectFirst)
	doer := ex.Doer(srv.Client())
	// Every request is edited with token 1 before any is sent.
	const n = 20
	reqs := make([]*http.Request, n)
	for i := range reqs {
		reqs[i], _ = http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/api/v3/u/clusters", nil)
		if err := ex.Edit(t.Context(), reqs[i]); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for _, req := range reqs {
		wg.Go(func() {
			resp, err := doer.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			drainClose(resp)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("status %d, want 200", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	if c := ts.count(); c != 2 {
		t.Errorf("token endpoint called %d times for %d rejected requests, want 2", c, n)
	}
}

func TestRetryFailingExchangeIsTheError(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, newClock())
	ex := newExchange(t, ts, nil)
	srv := newDBaaSServer(t, rejectFirst)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/api/v3/u/clusters", nil)
	if err := ex.Edit(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	ts.set(func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "API key revoked"})
	})
	resp, err := ex.Doer(srv.Client()).Do(req)
	var ee *auth.ExchangeError
	if resp != nil || !errors.As(err, &ee) || ee.StatusCode != http.StatusUnauthorized {
		t.Fatalf("Do = %v, %v; want no response and the exchange's 401 error", resp, err)
	}
	if !strings.Contains(err.Error(), `the API key was refused: "API key revoked"`) {
		t.Errorf("err = %v", err)
	}
}

func TestTransportNoFreshTokenForAnotherHost(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, newClock())
	ex := newExchange(t, ts, nil)
	other := newDBaaSServer(t, func(string) int { return http.StatusUnauthorized })
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/elsewhere", http.StatusTemporaryRedirect)
	}))
	defer origin.Close()
	// net/http's own redirect policy forwards x-auth-token to any host.
	hc := &http.Client{Transport: ex.Transport(nil)}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, origin.URL+"/api/v3/u/clusters", nil)
	if err := ex.Edit(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	drainClose(resp)
	hc.CloseIdleConnections()
	if resp.StatusCode != http.StatusUnauthorized || other.calls.Load() != 1 || ts.count() != 1 {
		t.Errorf("status %d, other host called %d times, token endpoint %d; want 401, 1, 1 (no fresh token sent to another host)",
			resp.StatusCode, other.calls.Load(), ts.count())
	}
}

func TestRetryThroughGeneratedClient(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, newClock())
	ex := newExchange(t, ts, nil)
	srv := newDBaaSServer(t, rejectFirst)
	c, err := api.New(api.WithBaseURL(srv.URL), api.WithRequestEditorFn(ex.Edit), api.WithHTTPClient(ex.Doer(srv.Client())))
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.UserInfoWithResponse(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got := res.JSON200.User.UserID; got != testUser {
		t.Errorf("UserID = %q, want %q", got, testUser)
	}
	if a, tk := srv.calls.Load(), ts.count(); a != 2 || tk != 2 {
		t.Errorf("API called %d times, token endpoint %d; want 2 and 2", a, tk)
	}

	// An API that refuses every token: the second 401 becomes *api.Error.
	deny := newDBaaSServer(t, func(string) int { return http.StatusUnauthorized })
	c2, _ := api.New(api.WithBaseURL(deny.URL), api.WithRequestEditorFn(ex.Edit), api.WithHTTPClient(ex.Doer(deny.Client())))
	_, err = c2.UserInfoWithResponse(t.Context())
	if !errors.Is(err, api.ErrUnauthorized) || deny.calls.Load() != 2 {
		t.Errorf("err = %v after %d calls, want api.ErrUnauthorized after 2", err, deny.calls.Load())
	}
	assertNoSecret(t, "api error", err.Error())
}

func TestRetryRewindsBodyEachTime(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, newClock())
	ex := newExchange(t, ts, nil)
	srv := newDBaaSServer(t, rejectFirst)
	payload := bytes.Repeat([]byte("0123456789"), 10<<10) // 100 KiB
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, srv.URL+"/api/v3/u/clusters/c1", bytes.NewReader(payload))
	if err := ex.Edit(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	resp, err := ex.Doer(srv.Client()).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	drainClose(resp)
	_, bodies := srv.seen()
	if len(bodies) != 2 || bodies[0] != string(payload) || bodies[1] != string(payload) {
		t.Errorf("API got %d bodies; want 2, both the whole payload", len(bodies))
	}
}
