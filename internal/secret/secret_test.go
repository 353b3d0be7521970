package secret_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aivenapi/aivenapi/internal/secret"
	"github.com/aivenapi/aivenapi/internal/secret/leaktest"
)

func TestMaskEveryEcho(t *testing.T) {
	t.Parallel()
	places := map[string]func(string) string{
		"alone":    func(e string) string { return e },
		"in text":  func(e string) string { return "invalid token " + e + ", try again" },
		"in words": func(e string) string { return "x" + e + "y" },
		"twice":    func(e string) string { return e + e },
		"in HTML":  func(e string) string { return "<html><title>Denied</title><p>token <b>" + e + "</b></p></html>" },
		// A digit right after an entity without ';' runs on into it.
		"before a digit": func(e string) string { return "<p>token " + e + "0 refused</p>" },
	}
	for _, tok := range leaktest.Tokens {
		s := secret.New(tok)
		for _, echo := range leaktest.Echoes {
			for place, put := range places {
				in := put(echo.Form(tok))
				if got := s.Mask(in); leaktest.Exposed(got, tok) {
					t.Errorf("Mask(%s echo %s of %q) = %q", place, echo.Name, tok, got)
				}
				if got := s.Excerpt([]byte(in), "text/html", 160, false); leaktest.Exposed(got, tok) {
					t.Errorf("Excerpt(%s echo %s of %q) = %q", place, echo.Name, tok, got)
				}
				if got := s.Text("Get \"https://h/x?t=" + in + "\": " + in); leaktest.Exposed(got, tok) {
					t.Errorf("Text(%s echo %s of %q) = %q", place, echo.Name, tok, got)
				}
			}
		}
	}
}

func TestMaskKeepsOtherText(t *testing.T) {
	t.Parallel()
	s := secret.New("tok-5e3f9a1b7c", "ab") // "ab" is too short to mask
	for in, want := range map[string]string{
		"nothing secret here, about &amp; %41 \\u0041": "nothing secret here, about &amp; %41 \\u0041",
		"token tok-5e3f9a1b7c rejected":                "token **** rejected",
		"overlapping tok-5e3f9a1b7c-5e3f9a1b7c":        "overlapping ****-5e3f9a1b7c",
		"a &amp; b, token tok&#45;5e3f9a1b7c":          "a & b, token ****",
	} {
		if got := s.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
	if got := secret.New("a***").Mask("xa***a***"); got != "x" {
		t.Errorf("a secret with stars: %q, want it cut out", got)
	}
}

func TestExcerptCutSecret(t *testing.T) {
	t.Parallel()
	tok := leaktest.Tokens[0]
	s := secret.New(tok)
	for n := 1; n < len(tok); n++ {
		body := strings.Repeat("x ", 20) + tok[:n]
		got := s.Excerpt([]byte(body), "text/plain", 160, true)
		if n >= 3 && strings.Contains(got, tok[:n]) {
			t.Errorf("cut after %d bytes: %q", n, got)
		}
	}
	for _, echo := range leaktest.Echoes {
		e := echo.Form(tok)
		for n := 1; n < len(e); n++ {
			got := s.Excerpt([]byte("x "+e[:n]), "text/plain", 160, true)
			if leaktest.Exposed(got, tok) {
				t.Errorf("echo %s cut after %d bytes: %q", echo.Name, n, got)
			}
		}
	}
	long := "<html><body>" + strings.Repeat("y", 150) + " " + tok + " more and more</body></html>"
	if got := s.Excerpt([]byte(long), "", 160, false); leaktest.Exposed(got, tok) || !strings.HasSuffix(got, "…") {
		t.Errorf("excerpt cut inside the secret: %q", got)
	}
}

func TestStripURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://u:p@h:8443/a/b?token=K#frag": "https://h:8443/a/b",
		"http://[::1/?t=K":                    "http://[::1/",
		"https://h:badport/?token=K":          "https://h:badport/",
		"/relative?x=K":                       "/relative",
		"https://user@h":                      "https://h",
	} {
		if got := secret.StripURL(in); got != want {
			t.Errorf("StripURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestError(t *testing.T) {
	t.Parallel()
	tok := leaktest.Tokens[0]
	s := secret.New(tok)
	_, perr := url.Parse("http://[::1/?t=" + tok)
	ctxErr := fmt.Errorf("wrapped: %w", context.DeadlineExceeded)
	for name, err := range map[string]error{
		"url.Parse":      perr,
		"redirect":       &url.Error{Op: "Get", URL: "https://h/" + url.PathEscape(tok) + "?q=1", Err: errors.New("stopped after 10 redirects")},
		"Location":       &url.Error{Op: "Get", URL: "https://h/", Err: fmt.Errorf("failed to parse Location header %q: %w", "http://[::1/?t="+tok, perr)},
		"deadline":       &url.Error{Op: "Get", URL: "https://h/?k=" + tok, Err: ctxErr},
		"plain":          errors.New("echo " + tok),
		"already clean!": ctxErr,
	} {
		got := s.Error(err)
		for _, out := range []string{fmt.Sprintf("%v", got), fmt.Sprintf("%+v", got), fmt.Sprintf("%#v", got), fmt.Sprint(errors.Unwrap(got))} {
			if leaktest.Exposed(out, tok) || strings.Contains(out, "?t=") || strings.Contains(out, "?k=") {
				t.Errorf("%s: %s", name, out)
			}
		}
		if errors.Is(err, context.DeadlineExceeded) != errors.Is(got, context.DeadlineExceeded) {
			t.Errorf("%s: errors.Is(DeadlineExceeded) changed", name)
		}
	}
	if err := s.Error(ctxErr); err != ctxErr {
		t.Errorf("a clean error was replaced: %v", err)
	}
}

func TestLedger(t *testing.T) {
	t.Parallel()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://h/v1/me?limit=1000", nil)
	if secret.LedgerOf(req.Context()) != nil {
		t.Fatal("a ledger before any editor")
	}
	secret.Attach(req, secret.Header, "X-Opaque", "value-set-by-an-editor")
	l := secret.LedgerOf(req.Context())
	secret.Attach(req, secret.Query, "sig", "query-value-1234")
	if secret.LedgerOf(req.Context()) != l {
		t.Fatal("a second editor made a second ledger")
	}
	req.Header.Set("X-Opaque", "value-set-by-an-editor")
	req.Header.Set("Authorization", "Basic dXNlcjpwYXNz") // not recorded: second line
	s := secret.ForRequest(req)
	got := s.Mask("value-set-by-an-editor query-value-1234 dXNlcjpwYXNz limit 1000")
	if want := "**** **** **** limit 1000"; got != want {
		t.Errorf("Mask = %q, want %q", got, want)
	}
}

func TestIsLoopback(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST.": true, "127.0.0.1": true, "127.1.2.3": true, "::1": true, "[::1]": true,
		"::ffff:127.0.0.1": true, "api.localhost": false, "localhost.example.com": false, "10.0.0.1": false, "": false,
	} {
		if got := secret.IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %t, want %t", host, got, want)
		}
	}
}

// FuzzMask checks, for any text and any secret, that Mask, Text and
// Excerpt (of a whole body and of a cut one) leave no occurrence of the
// secret, and end.
func FuzzMask(f *testing.F) {
	f.Add("token tok-5e3f9a1b7c rejected", "tok-5e3f9a1b7c")
	f.Add("a &amp; b &#116;ok%2D5e3f9a1b7c", "tok-5e3f9a1b7c")
	f.Add("xa***a***a**", "a***")
	f.Add("<html><title>k&amp;y</title>dG9rLTVlM2Y5YTFiN2M=</html>", "k&y-tok-5e")
	f.Add(`\u0074ok\/5e3f9a1b7c%5Cu0074`, "tok/5e3f9a1b7c")
	f.Fuzz(func(t *testing.T, text, tok string) {
		if len(tok) < secret.MinLen || len(text) > 4096 {
			t.Skip()
		}
		s := secret.New(tok)
		for name, out := range map[string]string{
			"Mask":    s.Mask(text),
			"Text":    s.Text(text),
			"Excerpt": s.Excerpt([]byte(text), "text/html", 160, false),
			"cut":     s.Excerpt([]byte(text), "text/html", 160, true),
		} {
			if strings.Contains(out, tok) {
				t.Errorf("%s(%q) = %q holds the secret %q", name, text, out, tok)
			}
		}
	})
}

// BenchmarkExcerptHostile measures the excerpt of a 64 KiB error body made
// to defeat the decoding: every layer of escaping changes it.
func BenchmarkExcerptHostile(b *testing.B) {
	s := secret.New("tok-5e3f9a1b7c0d2e4f", `k&y<v>"q'/+=%20;x`)
	for _, unit := range []string{`&amp;%2525\u0026+`, "tok-5e3f9a1b7c0d2e4", "plain text "} {
		body := []byte(strings.Repeat(unit, 64<<10/len(unit)))
		b.Run(strings.Fields(unit)[0], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Excerpt(body, "text/html", 160, true)
			}
		})
	}
}

// BenchmarkMaskOutput measures masking 1 MiB of command output that holds
// no secret but every character a decoder acts on.
func BenchmarkMaskOutput(b *testing.B) {
	s := secret.New("tok-5e3f9a1b7c0d2e4f")
	for name, unit := range map[string]string{"plain": `{"cloud_name": "aws-eu-west-1", "geo_region": "europe"},` + "\n",
		"escapes": `{"d": "a \"b\" & c + 5% \u00e9"},` + "\n",
		"names":   `{"cloud_description": "Europe, Germany - DigitalOcean: Frankfurt", "provider": "DigitalOcean", "id": "Q29uZmlndXJhdGlvbg"},` + "\n"} {
		text := strings.Repeat(unit, 1<<20/len(unit))
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				s.Mask(text)
			}
		})
	}
}

// TestLocalhostNeverProxied sets a proxy that answers nothing and fetches
// http://localhost: the default client dials it on loopback, directly. It
// does not run in parallel: net/http reads the proxy variables once.
func TestLocalhostNeverProxied(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "direct") }))
	defer srv.Close()
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:1")
	t.Setenv("http_proxy", "http://127.0.0.1:1")
	hc := secret.NewHTTPClient(nil)
	defer hc.CloseIdleConnections()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	for _, host := range []string{"localhost", "LOCALHOST.", "127.0.0.1"} {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/", nil)
		if p, err := hc.Transport.(*http.Transport).Proxy(req); p != nil || err != nil {
			t.Errorf("%s: proxy %v, %v; want none", host, p, err)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Errorf("%s: %v", host, err)
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != "direct" {
			t.Errorf("%s: got %q", host, b)
		}
	}
}
