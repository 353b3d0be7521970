package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/auth"
	"github.com/aivenapi/aivenapi/internal/secret"
	"github.com/aivenapi/aivenapi/internal/secret/leaktest"
)

// leakEditor attaches a credential; secrets lists every value that must
// never come out (for the exchange, the API key and the access token).
type leakEditor struct {
	name string
	make func(t *testing.T, srv *leakServer, tok string) (edit api.RequestEditorFn, secrets []string)
}

func static(name string, f func(string, ...auth.Option) func(context.Context, *http.Request) error) leakEditor {
	return leakEditor{name, func(_ *testing.T, _ *leakServer, tok string) (api.RequestEditorFn, []string) {
		return f(tok), []string{tok}
	}}
}

func header(name string) leakEditor {
	return leakEditor{"Header " + name, func(_ *testing.T, _ *leakServer, tok string) (api.RequestEditorFn, []string) {
		return auth.Header(name, tok), []string{tok}
	}}
}

// leakEditors are every editor of package auth, the exchange included.
var leakEditors = []leakEditor{
	static("Aiven", auth.Aiven), static("Bearer", auth.Bearer), static("APIToken", auth.APIToken),
	header("X-Credential"), header("Private-Sig"), header("X-Password"),
	{"Query token", func(_ *testing.T, _ *leakServer, tok string) (api.RequestEditorFn, []string) {
		return auth.Query("token", tok), []string{tok}
	}},
	{"Exchange", func(t *testing.T, srv *leakServer, key string) (api.RequestEditorFn, []string) {
		access := srv.issue()
		ex, err := auth.NewExchange(auth.ExchangeConfig{TokenURL: srv.URL + "/token?access=" + url.QueryEscape(access), APIKey: key})
		if err != nil {
			t.Fatal(err)
		}
		return ex.Edit, []string{key, access}
	}},
}

// leakServer answers each test case from the handler registered under the
// first element of the request's path.
type leakServer struct {
	*httptest.Server
	cases sync.Map // string → func(echo func(string) string) http.HandlerFunc
	n     atomic.Int64
}

func newLeakServer(t testing.TB) *leakServer {
	s := &leakServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]string{"access_token": r.URL.Query().Get("access")})
			return
		}
		id, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		h, ok := s.cases.Load(id)
		if !ok {
			http.NotFound(w, r)
			return
		}
		h.(http.HandlerFunc)(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// issue returns a fresh access token, a JWT valid for an hour.
func (s *leakServer) issue() string {
	enc := base64.RawURLEncoding.EncodeToString
	claims := fmt.Sprintf(`{"exp":%d,"jti":"leak-%d"}`, time.Now().Add(time.Hour).Unix(), s.n.Add(1))
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(claims)) + "." + enc([]byte("signature-bytes"))
}

// leakPath is a way a request can fail, with the secret echoed by the
// server (e is the echo of one secret in one form).
type leakPath struct {
	name    string
	opts    []api.ClientOption
	base    string // replaces the server's URL, for paths that need no server
	handler func(e string) http.HandlerFunc
	mayPass bool // a lenient decoder may take the body: nothing is printed then
}

func reply(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func jsonString(s string) string { b, _ := json.Marshal(s); return string(b) }

var bodyPaths = []leakPath{
	{name: "401 JSON", handler: func(e string) http.HandlerFunc {
		return reply(401, "application/json", fmt.Sprintf(`{"message": %s, "errors": [{"message": %s, "error_code": %s, "more_info": %s, "metadata": {"h": %s}}]}`,
			jsonString("Invalid token "+e), jsonString(e), jsonString("bad_"+e), jsonString("https://h/x?t="+e), jsonString(e)))
	}},
	{name: "502 HTML", handler: func(e string) http.HandlerFunc {
		return reply(502, "text/html", "<html><head><title>Bad "+e+"</title><script>var t='"+e+"'</script></head><body><h1>502</h1><p>"+e+"</p></body></html>")
	}},
	{name: "500 text", handler: func(e string) http.HandlerFunc { return reply(500, "text/plain", "upstream error: "+e+"\n") }},
	{name: "403 HTML, a digit after", handler: func(e string) http.HandlerFunc { // runs on into an entity without ';'
		return reply(403, "text/html", "<html><body><p>token "+e+"0 refused</p></body></html>")
	}},
	{name: "400 problem+json", handler: func(e string) http.HandlerFunc {
		return reply(400, "application/problem+json", fmt.Sprintf(`{"type": "about:blank", "title": %s, "status": 400, "detail": %s, "instance": %s}`,
			jsonString("Bad "+e), jsonString("detail "+e), jsonString("/x/"+e)))
	}},
	{name: "429 text", handler: func(e string) http.HandlerFunc {
		return reply(429, "text/plain", "Rate limit for "+e+" exceeded - try again in 99999999s")
	}},
	{name: "200 HTML", handler: func(e string) http.HandlerFunc { return reply(200, "text/html", "<p>login "+e+"</p>") }},
	{name: "200 cut HTML", handler: func(e string) http.HandlerFunc {
		return reply(200, "text/html", strings.Repeat("z", 4<<10-len(e)/2)+e)
	}},
	{name: "503 cut body", handler: func(e string) http.HandlerFunc {
		return reply(503, "text/plain", strings.Repeat("y", 64<<10-len(e)/2)+e)
	}},
	{name: "302 malformed Location", handler: func(e string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header()["Location"] = []string{"http://[::1/?t=" + e}
			w.WriteHeader(http.StatusFound)
		}
	}},
	{name: "302 loop", handler: func(e string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path+"/"+url.PathEscape(e)+"?t="+url.QueryEscape(e), http.StatusFound)
		}
	}},
	{name: "200 bad time", handler: func(e string) http.HandlerFunc {
		return reply(200, "application/json", `{"user": {"user": `+jsonString(e)+`, "invitations": [{"invite_time": `+jsonString(e)+`}], "token_validity_begin": `+jsonString(e)+`}}`)
	}, mayPass: true},
	{name: "200 wrong type", handler: func(e string) http.HandlerFunc {
		return reply(200, "application/json", `{"user": {"real_name": `+jsonString(e)+`, "projects": `+jsonString(e)+`}, `+jsonString(e)+`: 1}`)
	}},
	{name: "200 then cut", handler: func(e string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "100000")
			_, _ = io.WriteString(w, `{"user": {"real_name": `+jsonString(e))
		}
	}},
}

// noServerPaths fail before any server answers.
var noServerPaths = []leakPath{
	{name: "DNS failure", base: "https://leak-test.invalid"},
	{name: "TLS failure", handler: func(string) http.HandlerFunc { return nil }},
	{name: "timeout", opts: []api.ClientOption{api.WithTimeout(50 * time.Millisecond)}, handler: func(string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}
	}},
}

// outputs returns every form in which err may be printed or logged.
func outputs(err error) []string {
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Error("call failed", "err", err)
	slog.New(slog.NewJSONHandler(&js, nil)).Error("call failed", "err", err)
	out := []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprintf("%q", err), text.String(), js.String()}
	for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
		out = append(out, fmt.Sprintf("%v %#v", u, u))
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		b, _ := json.Marshal(ae)
		out = append(out, string(b), fmt.Sprintf("%+v %#v", *ae, ae.Errors))
		for _, d := range ae.Errors {
			b, _ := json.Marshal(d)
			out = append(out, string(b))
		}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		out = append(out, ue.URL, fmt.Sprintf("%#v", ue))
	}
	return out
}

// TestLeakMatrix sends a request with every editor, makes it fail in every
// way with each secret echoed in every form, and checks that no output of
// the error shows the secret.
func TestLeakMatrix(t *testing.T) {
	t.Parallel()
	srv := newLeakServer(t)
	tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS() // its certificate is not trusted
	t.Cleanup(tlsSrv.Close)
	var id atomic.Int64
	hc := secret.NewHTTPClient(nil) // shared, so that connections are reused
	t.Cleanup(hc.CloseIdleConnections)
	run := func(t *testing.T, ed leakEditor, tok string, p leakPath, echo leaktest.Echo) {
		edit, secrets := ed.make(t, srv, tok)
		base := srv.URL
		if p.handler != nil {
			n := strconv.FormatInt(id.Add(1), 10)
			h := p.handler(echo.Form(secrets[len(secrets)-1]))
			if h == nil {
				base = tlsSrv.URL
			} else {
				srv.cases.Store(n, h)
				base += "/" + n
			}
		}
		if p.base != "" {
			base = p.base
		}
		opts := append([]api.ClientOption{api.WithBaseURL(base), api.WithRequestEditorFn(edit), api.WithHTTPClient(hc),
			api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 2, MaxRetryAfter: time.Minute})}, p.opts...)
		c, err := api.New(opts...)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.UserInfoWithResponse(t.Context())
		if err == nil {
			if !p.mayPass {
				t.Fatal("no error")
			}
			return
		}
		for _, out := range outputs(err) {
			for _, s := range secrets {
				if leaktest.Exposed(out, s) {
					t.Errorf("output shows the secret %q:\n%s", s, out)
				}
			}
			if strings.Contains(out, "?t=") || strings.Contains(out, "token=") || strings.Contains(out, "access=") {
				t.Errorf("output shows a query:\n%s", out)
			}
		}
	}
	for ei, ed := range leakEditors {
		t.Run(ed.name, func(t *testing.T) {
			t.Parallel()
			for pi, p := range bodyPaths {
				for xi, echo := range leaktest.Echoes {
					// Each echo meets each token shape, across editors and paths.
					ti := (ei + pi + xi) % len(leaktest.Tokens)
					t.Run(fmt.Sprintf("%s/%s/token %d", p.name, echo.Name, ti), func(t *testing.T) {
						t.Parallel()
						run(t, ed, leaktest.Tokens[ti], p, echo)
					})
				}
			}
			for ti, tok := range leaktest.Tokens {
				for _, p := range noServerPaths {
					t.Run(fmt.Sprintf("token %d/%s", ti, p.name), func(t *testing.T) {
						t.Parallel()
						run(t, ed, tok, p, leaktest.Echoes[0])
					})
				}
			}
		})
	}
}
