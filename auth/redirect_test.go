package auth_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aivenapi/aivenapi/auth"
)

// recorder is a server that records the headers of the requests it gets.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	seen []http.Header
}

func newRecorder(t *testing.T, h http.HandlerFunc) *recorder {
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.seen = append(rec.seen, r.Header.Clone())
		rec.mu.Unlock()
		if h != nil {
			h(w, r)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"message": "ok"})
	}))
	t.Cleanup(rec.Close)
	return rec
}

func (rec *recorder) headers() []http.Header {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]http.Header(nil), rec.seen...)
}

func credentialRequest(t *testing.T, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url+"/v1/me?apiToken="+staticToken, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("x-auth-token", staticToken)
	req.Header["api_key"] = []string{testKey}
	req.Header.Set("Authorization", "aivenv1 "+staticToken)
	req.Header.Set("X-Request-Id", "r-1")
	return req
}

func TestCheckRedirectToAnotherHostDropsCredentials(t *testing.T) {
	t.Parallel()
	b := newRecorder(t, nil)
	// a and b listen on different ports of 127.0.0.1: a different host:port.
	a := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, b.URL+"/landing", http.StatusFound)
	})
	hc := &http.Client{CheckRedirect: auth.CheckRedirect}
	resp, err := hc.Do(credentialRequest(t, a.URL))
	if err != nil {
		t.Fatal(err)
	}
	drainClose(resp)
	got := b.headers()
	if len(got) != 1 {
		t.Fatalf("b got %d requests, want 1", len(got))
	}
	for _, name := range []string{"X-Auth-Token", "Api_key", "api_key", "Authorization", "Referer"} {
		if v := got[0].Values(name); len(v) != 0 {
			t.Errorf("b received %s: %q", name, v)
		}
	}
	for name, vals := range got[0] {
		for _, v := range vals {
			if strings.Contains(v, staticToken) || strings.Contains(v, testKey) {
				t.Errorf("b received a secret in %s", name)
			}
		}
	}
	if v := got[0].Get("X-Request-Id"); v != "r-1" {
		t.Errorf("b: X-Request-Id = %q, want other headers kept", v)
	}
}

func TestCheckRedirectSameHostKeepsCredentials(t *testing.T) {
	t.Parallel()
	a := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/me" {
			http.Redirect(w, r, "/v1/me/", http.StatusMovedPermanently)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"message": "ok"})
	})
	hc := &http.Client{CheckRedirect: auth.CheckRedirect}
	resp, err := hc.Do(credentialRequest(t, a.URL))
	if err != nil {
		t.Fatal(err)
	}
	drainClose(resp)
	got := a.headers()
	if len(got) != 2 {
		t.Fatalf("a got %d requests, want 2", len(got))
	}
	second := got[1]
	for name, want := range map[string]string{"X-Auth-Token": staticToken, "Api_key": testKey, "Authorization": "aivenv1 " + staticToken} {
		if v := second.Get(name); v != want {
			t.Errorf("same-host redirect: %s = %q, want it kept", name, v)
		}
	}
	if v := second.Get("Referer"); v != "" {
		t.Errorf("same-host redirect: Referer = %q, want none (it repeats the query token)", v)
	}
}

func TestCheckRedirectRefusesHTTPSToHTTP(t *testing.T) {
	t.Parallel()
	a := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://example.com/v1/me", http.StatusFound)
	}))
	defer a.Close()
	hc := a.Client()
	hc.CheckRedirect = auth.CheckRedirect
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, a.URL+"/v1/me?apiToken="+staticToken, nil)
	resp, err := hc.Do(req)
	if err == nil {
		drainClose(resp)
		t.Fatal("redirect from https to http was followed")
	}
	if !strings.Contains(err.Error(), "refusing a redirect from https to plain http") {
		t.Errorf("err = %v, want the refusal", err)
	}
}

func TestCheckRedirectStopsAfterTen(t *testing.T) {
	t.Parallel()
	a := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
	})
	hc := &http.Client{CheckRedirect: auth.CheckRedirect}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, a.URL+"/", nil)
	resp, err := hc.Do(req)
	if err == nil {
		drainClose(resp)
		t.Fatal("endless redirects were followed")
	}
	if !strings.Contains(err.Error(), "stopped after 10 redirects") {
		t.Errorf("err = %v", err)
	}
	if n := len(a.headers()); n != 10 {
		t.Errorf("server got %d requests, want 10", n)
	}
}

func drainClose(resp *http.Response) {
	if resp != nil && resp.Body != nil {
		buf := make([]byte, 512)
		for {
			if _, err := resp.Body.Read(buf); err != nil {
				break
			}
		}
		resp.Body.Close()
	}
}
