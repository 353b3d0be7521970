package api_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/auth"
	"github.com/aivenapi/aivenapi/internal/secret"
	"github.com/aivenapi/aivenapi/internal/secret/leaktest"
)

// recorder is a server of another origin that keeps every request it gets.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	got  []*http.Request
	name string
}

func newRecorder(t *testing.T, name, addr string) *recorder {
	r := &recorder{name: name}
	r.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.got = append(r.got, req.Clone(req.Context()))
		r.mu.Unlock()
		http.Error(w, "landed", http.StatusTeapot)
	}))
	if addr != "" {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Skipf("cannot listen on %s: %v", addr, err)
		}
		r.Listener.Close()
		r.Listener = ln
	}
	r.Start()
	t.Cleanup(r.Close)
	return r
}

func (r *recorder) requests() []*http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*http.Request(nil), r.got...)
}

// TestRedirectMatrix follows every redirect status from an origin to
// another port, another loopback address, and from https to plain http,
// with every editor, with the Location dropping the query, repeating it,
// or repeating it with every byte escaped,
// and checks what the other origin received: no header an editor set, no
// credential in any header or in the query, no Referer; and that the rest
// of the query arrives.
func TestRedirectMatrix(t *testing.T) {
	t.Parallel()
	tokens := newLeakServer(t) // the exchange's token endpoint
	targets := []*recorder{
		newRecorder(t, "another port", ""),
		newRecorder(t, "another loopback address", "127.0.0.2:0"),
	}
	var mu sync.Mutex
	landing := map[string]string{} // origin path → Location
	origin := func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		loc, ok := landing[r.URL.Path]
		mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		var code int
		_, _ = fmt.Sscanf(r.URL.Path, "/%d/", &code)
		loc, how, _ := strings.Cut(loc, " ")
		switch how { // how the Location repeats the query
		case "kept":
			loc += "?" + r.URL.RawQuery + "&"
		case "re-encoded": // every byte escaped, as some proxies rewrite it
			loc += "?"
			for _, part := range strings.Split(r.URL.RawQuery, "&") {
				k, v, _ := strings.Cut(part, "=")
				k, _ = url.QueryUnescape(k)
				v, _ = url.QueryUnescape(v)
				for _, c := range []byte(k) {
					loc += fmt.Sprintf("%%%02x", c)
				}
				loc += "="
				for _, c := range []byte(v) {
					loc += fmt.Sprintf("%%%02X", c)
				}
				loc += "&"
			}
		default:
			loc += "?"
		}
		loc += "keep=1"
		w.Header().Set("Location", loc)
		w.WriteHeader(code)
	}
	plain := httptest.NewServer(http.HandlerFunc(origin))
	t.Cleanup(plain.Close)
	tlsOrigin := httptest.NewUnstartedServer(http.HandlerFunc(origin))
	tlsOrigin.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsOrigin.StartTLS()
	t.Cleanup(tlsOrigin.Close)
	pool := x509.NewCertPool()
	pool.AddCert(tlsOrigin.Certificate())
	hc := secret.NewHTTPClient(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12})
	t.Cleanup(hc.CloseIdleConnections)

	n := 0
	for _, code := range []int{301, 302, 303, 307, 308} {
		for _, target := range append(targets, &recorder{name: "https to http"}) {
			for _, query := range []string{"dropped", "kept", "re-encoded"} {
				for _, ed := range leakEditors {
					n++
					tok := leaktest.Tokens[n%len(leaktest.Tokens)]
					from, to := plain, target
					if target.Server == nil {
						from, to = tlsOrigin, targets[0]
					}
					path := fmt.Sprintf("/%d/%d", code, n)
					mu.Lock()
					landing[path+"/v1/me"] = to.URL + "/landing/" + fmt.Sprint(n) + " " + query
					mu.Unlock()
					n := n
					name := fmt.Sprintf("%d/%s/query %s/%s", code, target.name, query, ed.name)
					t.Run(name, func(t *testing.T) {
						edit, secrets := ed.make(t, tokens, tok)
						c, err := api.New(api.WithBaseURL(from.URL+path), api.WithRequestEditorFn(edit), api.WithHTTPClient(hc),
							api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 1}))
						if err != nil {
							t.Fatal(err)
						}
						_, err = c.UserInfoWithResponse(t.Context())
						if err == nil {
							t.Fatal("no error")
						}
						var landed *http.Request
						for _, r := range to.requests() {
							if r.URL.Path == "/landing/"+fmt.Sprint(n) {
								landed = r
							}
						}
						if landed == nil {
							t.Fatalf("the redirect was not followed: %v", err)
						}
						for name, vs := range landed.Header {
							if strings.EqualFold(name, "Referer") {
								t.Errorf("Referer reached the other origin: %q", vs)
							}
							for _, v := range vs {
								for _, s := range secrets {
									if leaktest.Exposed(v, s) {
										t.Errorf("header %s: %q carries the credential to the other origin", name, v)
									}
								}
							}
						}
						for _, s := range secrets {
							if leaktest.Exposed(landed.URL.RawQuery, s) || leaktest.Exposed(landed.URL.String(), s) {
								t.Errorf("the query %q carries the credential to the other origin", landed.URL.RawQuery)
							}
						}
						if landed.URL.Query().Get("keep") != "1" {
							t.Errorf("query %q lost its other parameters", landed.URL.RawQuery)
						}
						for _, out := range outputs(err) {
							for _, s := range secrets {
								if leaktest.Exposed(out, s) {
									t.Errorf("error shows the credential: %s", out)
								}
							}
						}
					})
				}
			}
		}
	}
}

// TestSameOriginRedirectKeepsCredential is the other side of the matrix:
// a redirect within the origin keeps what the editor set, so the matrix
// cannot pass by dropping every header.
func TestSameOriginRedirectKeepsCredential(t *testing.T) {
	t.Parallel()
	tok := leaktest.Tokens[0]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/me" {
			http.Redirect(w, r, "/moved/v1/me?"+r.URL.RawQuery, http.StatusTemporaryRedirect)
			return
		}
		if r.Header.Get("X-Credential") != tok {
			t.Errorf("same-origin redirect lost the credential header: %v", r.Header)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"user": {"user": "u@example.com"}}`)
	}))
	t.Cleanup(srv.Close)
	c, err := api.New(api.WithBaseURL(srv.URL), api.WithRequestEditorFn(auth.Header("X-Credential", tok)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UserInfoWithResponse(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestRedirectLocationWithCredential has the origin send the request's own
// credential to another origin inside the Location: in the path, as user
// information (which net/http would turn into Basic authorization), in a
// query parameter of another name, escaped twice. The other origin must
// receive no request that carries it, in any form.
func TestRedirectLocationWithCredential(t *testing.T) {
	t.Parallel()
	tokens := newLeakServer(t)
	other := newRecorder(t, "another port", "")
	places := map[string]func(base, e string) string{ // base ends in the test's own path
		"path":          func(base, e string) string { return base + "/" + url.PathEscape(e) },
		"user info":     func(base, e string) string { return strings.Replace(base, "://", "://u:"+url.QueryEscape(e)+"@", 1) },
		"query":         func(base, e string) string { return base + "?next=" + url.QueryEscape(e) },
		"escaped twice": func(base, e string) string { return base + "?n=" + url.QueryEscape(url.QueryEscape(e)) },
	}
	n := 0
	for place, loc := range places {
		for _, ed := range leakEditors {
			n++
			tok, id := leaktest.Tokens[n%len(leaktest.Tokens)], strconv.Itoa(n+1000)
			t.Run(place+"/"+ed.name, func(t *testing.T) {
				t.Parallel()
				edit, secrets := ed.make(t, tokens, tok)
				tokens.cases.Store(id, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Location", loc(other.URL+"/landing/"+id, secrets[len(secrets)-1]))
					w.WriteHeader(http.StatusFound)
				}))
				c, err := api.New(api.WithBaseURL(tokens.URL+"/"+id), api.WithRequestEditorFn(edit), api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 1}))
				if err != nil {
					t.Fatal(err)
				}
				_, err = c.UserInfoWithResponse(t.Context())
				for _, r := range other.requests() {
					if !strings.HasPrefix(r.URL.Path, "/landing/"+id) {
						continue // another test's
					}
					var b strings.Builder
					_ = r.Header.Write(&b)
					for _, s := range secrets {
						if leaktest.Exposed(r.URL.String(), s) || leaktest.Exposed(b.String(), s) {
							t.Errorf("the other origin received the credential: %s\n%s", r.URL, b.String())
						}
					}
				}
				if err != nil {
					for _, out := range outputs(err) {
						for _, s := range secrets {
							if leaktest.Exposed(out, s) {
								t.Errorf("error shows the credential: %s", out)
							}
						}
					}
				}
			})
		}
	}
}
