package auth_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aivenapi/aivenapi/auth"
)

// Fake secrets, distinctive enough that finding one in any output is a
// leak, never a coincidence.
const (
	testKey   = "SECRET-API-KEY-123"
	tokenMark = "SECRET-TOKEN-abc" // inside every test token's signature
	tokenPath = "/api/v3/auth/token"
	testUser  = "e9433b188"
)

// t0 is the fake clock's start.
var t0 = time.Date(2025, time.March, 14, 9, 26, 53, 0, time.UTC)

// fakeClock is a clock that tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *fakeClock { return &fakeClock{now: t0} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// makeJWT returns a JWT in compact form with the given claims, signed
// with nothing: its signature part is tokenMark and n, valid base64url
// that no check of this package reads.
func makeJWT(claims map[string]any, n int) string {
	h, _ := json.Marshal(map[string]any{"alg": "RS256", "typ": "JWT", "kid": "20250314"})
	p, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(h) + "." + enc.EncodeToString(p) + "." + fmt.Sprintf("%s-%d", tokenMark, n)
}

// handler is what the token server does on its n-th call (from 1).
type handler func(w http.ResponseWriter, r *http.Request, n int)

// tokenServer is an IBM-style token endpoint that counts its calls.
type tokenServer struct {
	*httptest.Server
	t     testing.TB
	clock *fakeClock
	calls atomic.Int64
	mu    sync.Mutex
	reply handler
}

func newTokenServer(t testing.TB, clock *fakeClock) *tokenServer {
	t.Helper()
	ts := &tokenServer{t: t, clock: clock}
	ts.reply = ts.issue(time.Hour)
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(ts.calls.Add(1))
		if r.Method != http.MethodGet || r.URL.Path != tokenPath {
			t.Errorf("token endpoint: got %s %s, want GET %s", r.Method, r.URL.Path, tokenPath)
		}
		if got := r.Header.Get("api_key"); got != testKey {
			t.Errorf("token endpoint: api_key header is %q, want the test key", got)
		}
		if got := r.Header.Get("Accept"); got != "application/json" {
			t.Errorf("token endpoint: Accept is %q, want application/json", got)
		}
		ts.mu.Lock()
		h := ts.reply
		ts.mu.Unlock()
		h(w, r, n)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func (ts *tokenServer) URL() string { return ts.Server.URL + tokenPath }

func (ts *tokenServer) set(h handler) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.reply = h
}

func (ts *tokenServer) count() int { return int(ts.calls.Load()) }

// issue returns a handler that issues tokens expiring life after the
// fake clock's now.
func (ts *tokenServer) issue(life time.Duration) handler {
	return func(w http.ResponseWriter, _ *http.Request, n int) {
		now := ts.clock.Now()
		tok := makeJWT(map[string]any{"exp": now.Add(life).Unix(), "iat": now.Unix(), "sub": "IBMid-1234", "jti": n}, n)
		writeJSON(w, http.StatusOK, map[string]string{"access_token": tok, "user_id": testUser})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// newExchange returns an exchange on ts's endpoint that reads ts's clock.
func newExchange(t testing.TB, ts *tokenServer, edit func(*auth.ExchangeConfig)) *auth.Exchange {
	t.Helper()
	cfg := auth.ExchangeConfig{TokenURL: ts.URL(), APIKey: testKey, HTTPClient: ts.Client()}
	if edit != nil {
		edit(&cfg)
	}
	ex, err := auth.NewExchange(cfg)
	if err != nil {
		t.Fatalf("NewExchange: %v", err)
	}
	auth.SetClock(ex, ts.clock.Now)
	return ex
}

// signature returns the n of the test token tok (its signature part).
func signature(tok string) string {
	return tok[strings.LastIndexByte(tok, '.')+1:]
}

// b64 encodes one part of a JWT.
func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
