package main

import (
	"context"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aivenapi/aivenapi/api"
)

// TestCACert checks AIVEN_CA_CERT against a TLS server whose certificate
// no system trusts: with the server's CA the call succeeds, without it it
// fails with a TLS error, and a file with no certificate is an error.
func TestCACert(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/clouds" {
			t.Errorf("path %s, want /v1/clouds", r.URL.Path)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, fixture(t, "clouds.json"))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshakes below
	srv.StartTLS()
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	caFile := writeFile(t, dir, "ca.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})), 0o644)
	notPEM := writeFile(t, dir, "ca.der", string(srv.Certificate().Raw), 0o644)

	tests := []struct {
		name       string
		caCert     string
		wantCode   int
		wantStderr *regexp.Regexp
	}{
		{"trusted", caFile, 0, regexp.MustCompile(`^$`)},
		{"unknown authority", "", 1, regexp.MustCompile(`^aivenctl: GET https://127\.0\.0\.1:\d+/v1/clouds: tls: failed to verify certificate: x509: certificate signed by unknown authority\n$`)},
		{"not PEM", notPEM, 1, regexp.MustCompile(`^aivenctl: AIVEN_CA_CERT: no PEM certificate in .*ca\.der\n$`)},
		{"missing file", dir + "/nope.pem", 1, regexp.MustCompile(`^aivenctl: AIVEN_CA_CERT: read .*nope\.pem: no such file or directory\n$`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runCLI(t.Context(), []string{"cloud", "list"}, testEnv(map[string]string{
				"HOME": t.TempDir(), "AIVEN_WEB_URL": srv.URL, "AIVEN_CA_CERT": tt.caCert}))
			if r.code != tt.wantCode || !tt.wantStderr.MatchString(r.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d, stderr matching %s", r.code, r.stderr, tt.wantCode, tt.wantStderr)
			}
			if tt.wantCode == 0 && !strings.Contains(r.stdout, "aws-eu-west-1") {
				t.Errorf("stdout %q lacks the clouds", r.stdout)
			}
		})
	}
}

// TestDebug checks the --debug trace: one line per attempt with method,
// URL, attempt, status, and the credential masked, and never the token.
func TestDebug(t *testing.T) {
	t.Parallel()
	unavailable := reply{status: http.StatusServiceUnavailable, contentType: "text/html", body: "<html><title>503 Service Unavailable</title></html>"}
	tests := []struct {
		name    string
		args    []string
		vars    map[string]string
		replies []reply
		retry   *api.RetryPolicy
		// wantLines are patterns of the trace lines, in order; $URL is the
		// server's URL.
		wantLines []string
		wantCode  int
		// stderrHead: wantLines match the start of stderr only.
		stderrHead bool
	}{
		{name: "flag", args: []string{"--debug", "user", "info"}, vars: map[string]string{"AIVEN_TOKEN": fakeToken},
			replies: okJSON(t, "me.json"),
			wantLines: []string{
				`level=DEBUG msg=config url=$URL token_source=AIVEN_TOKEN auth_scheme=aivenv1 timeout=1m0s ca_cert=""`,
				`level=DEBUG msg="http attempt" method=GET url=$URL/v1/me attempt=1 authorization="aivenv1 \*\*\*\*" duration=[0-9.]+[µm]?s status=200 content_length=-?\d+`,
			}},
		{name: "AIVEN_DEBUG and bearer", args: []string{"user", "info", "--auth-scheme=bearer"}, vars: map[string]string{"AIVEN_TOKEN": fakeToken, "AIVEN_DEBUG": "1"},
			replies: okJSON(t, "me.json"),
			wantLines: []string{
				`level=DEBUG msg=config url=$URL token_source=AIVEN_TOKEN auth_scheme=bearer timeout=1m0s ca_cert=""`,
				`level=DEBUG msg="http attempt" method=GET url=$URL/v1/me attempt=1 authorization="Bearer \*\*\*\*" duration=\S+ status=200 content_length=-?\d+`,
			}},
		{name: "user information in the URL", args: []string{"cloud", "list", "--debug", "--url", "http://paivi:" + fakeToken + "@127.0.0.1:1/?token=" + fakeToken},
			wantLines: []string{
				`level=DEBUG msg=config url=http://127.0.0.1:1/ token_source=none auth_scheme=aivenv1 timeout=1m0s ca_cert=""`,
				`aivenctl: --url: api: base URL must not carry user information or a query`,
				`Run 'aivenctl help cloud' for usage.`,
			},
			wantCode: 2},
		{name: "no token", args: []string{"cloud", "list", "--debug"},
			replies: okJSON(t, "clouds.json"),
			wantLines: []string{
				`level=DEBUG msg=config url=$URL token_source=none auth_scheme=aivenv1 timeout=1m0s ca_cert=""`,
				`level=DEBUG msg="http attempt" method=GET url=$URL/v1/clouds attempt=1 authorization=none duration=\S+ status=200 content_length=-?\d+`,
			}},
		{name: "retries", args: []string{"project", "list", "--debug", "--timeout", "5s"}, vars: map[string]string{"MST_API_TOKEN": fakeToken},
			replies: []reply{unavailable, unavailable, {body: fixture(t, "projects.json")}},
			retry:   &api.RetryPolicy{MaxAttempts: 3},
			wantLines: []string{
				`level=DEBUG msg=config url=$URL token_source=MST_API_TOKEN auth_scheme=aivenv1 timeout=5s ca_cert=""`,
				`level=DEBUG msg="http attempt" method=GET url=$URL/v1/project attempt=1 authorization="aivenv1 \*\*\*\*" duration=\S+ status=503 content_length=-?\d+`,
				`level=DEBUG msg="http attempt" method=GET url=$URL/v1/project attempt=2 authorization="aivenv1 \*\*\*\*" duration=\S+ status=503 content_length=-?\d+`,
				`level=DEBUG msg="http attempt" method=GET url=$URL/v1/project attempt=3 authorization="aivenv1 \*\*\*\*" duration=\S+ status=200 content_length=-?\d+`,
			}},
		{name: "retries exhausted", args: []string{"project", "list", "--debug"}, vars: map[string]string{"MST_API_TOKEN": fakeToken},
			replies: []reply{unavailable},
			retry:   &api.RetryPolicy{MaxAttempts: 2},
			wantLines: []string{
				`level=DEBUG msg=config .*`,
				`level=DEBUG msg="http attempt" .* attempt=1 .* status=503 .*`,
				`level=DEBUG msg="http attempt" .* attempt=2 .* status=503 .*`,
				`aivenctl: Service Unavailable \(HTTP 503\): "503 Service Unavailable"; gave up after 2 attempts`,
			},
			wantCode: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantAuth := ""
			if tt.vars != nil {
				wantAuth = "aivenv1 " + fakeToken
				if strings.Contains(strings.Join(tt.args, " "), "bearer") {
					wantAuth = "Bearer " + fakeToken
				}
			}
			path := "/v1/" + map[string]string{"user": "me", "project": "project", "cloud": "clouds"}[firstWord(tt.args)]
			f := newFakeAPI(t, wantAuth, map[string][]reply{path: tt.replies})
			vars := map[string]string{"HOME": t.TempDir(), "AIVEN_WEB_URL": f.srv.URL}
			for k, v := range tt.vars {
				vars[k] = v
			}
			env := testEnv(vars)
			if tt.retry != nil {
				env.retry = tt.retry
			}
			r := runCLI(t.Context(), tt.args, env)
			if r.code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", r.code, tt.wantCode, r.stderr)
			}
			lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
			if tt.stderrHead && len(lines) > len(tt.wantLines) {
				lines = lines[:len(tt.wantLines)]
			}
			if len(lines) != len(tt.wantLines) {
				t.Fatalf("stderr has %d lines, want %d:\n%s", len(lines), len(tt.wantLines), r.stderr)
			}
			for i, l := range lines {
				pattern := strings.ReplaceAll(tt.wantLines[i], "$URL", regexp.QuoteMeta(f.srv.URL))
				if strings.HasPrefix(pattern, "level=") {
					pattern = `time=\S+ ` + pattern
				}
				if !regexp.MustCompile("^" + pattern + "$").MatchString(l) {
					t.Errorf("line %d:\n%s\ndoes not match\n%s", i+1, l, pattern)
				}
			}
			assertNoToken(t, r)
		})
	}
}

func firstWord(args []string) string {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}

// TestTokenNeverPrinted runs a server that echoes the token back in every
// field it can, in each output mode, and checks the token is masked
// everywhere.
func TestTokenNeverPrinted(t *testing.T) {
	t.Parallel()
	echo := func(status int, body string) []reply {
		return []reply{{status: status, body: strings.ReplaceAll(body, "TOKEN", fakeToken)}}
	}
	tests := []struct {
		args    []string
		path    string
		replies []reply
	}{
		{[]string{"user", "info"}, "/v1/me", echo(200, `{"user": {"user": "TOKEN", "user_id": "u1", "real_name": "aivenv1 TOKEN", "auth": ["TOKEN"], "projects": [], "state": "active", "token_validity_begin": "TOKEN"}}`)},
		{[]string{"user", "info", "--json", "--debug"}, "/v1/me", echo(200, `{"user": {"user": "TOKEN", "user_id": "u1", "real_name": "aivenv1 TOKEN", "auth": ["TOKEN"], "projects": ["TOKEN"], "state": "active"}}`)},
		{[]string{"project", "list", "--debug"}, "/v1/project", echo(400, `{"message": "Bad header Authorization: aivenv1 TOKEN", "errors": [{"message": "TOKEN", "status": 400}]}`)},
		{[]string{"project", "list"}, "/v1/project", echo(502, `<html><title>Bad gateway for TOKEN</title></html>`)},
		{[]string{"cloud", "list", "--json"}, "/v1/clouds", echo(401, `{"message": "token TOKEN expired"}`)},
		{[]string{"cloud", "list"}, "/v1/clouds", echo(200, `{"clouds": [{"cloud_name": "TOKEN", "geo_region": "x", "cloud_description": "TOKEN"}]}`)},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			f := newFakeAPI(t, "aivenv1 "+fakeToken, map[string][]reply{tt.path: tt.replies})
			r := runCLI(t.Context(), tt.args, testEnv(map[string]string{"HOME": t.TempDir(), "AIVEN_WEB_URL": f.srv.URL, "AIVEN_TOKEN": fakeToken}))
			if len(f.requests()) != 1 {
				t.Fatalf("requests %v, want one", f.requests())
			}
			if r.stdout+r.stderr == "" {
				t.Fatal("no output at all")
			}
			if !strings.Contains(r.stdout+r.stderr, "****") {
				t.Errorf("the echoed token is not shown masked:\nstdout: %s\nstderr: %s", r.stdout, r.stderr)
			}
			assertNoToken(t, r)
		})
	}
}

// TestConnectionRefused covers a failure without an HTTP answer: one
// line without any query, exit 1. It does not run in parallel, so that no
// other test's server takes the closed port.
func TestConnectionRefused(t *testing.T) {
	for _, attempts := range []int{1, 3} {
		closed := httptest.NewServer(http.NotFoundHandler())
		closed.Close()
		env := testEnv(map[string]string{"HOME": t.TempDir(), "AIVEN_WEB_URL": closed.URL, "AIVEN_TOKEN": fakeToken})
		env.retry = &api.RetryPolicy{MaxAttempts: attempts}
		r := runCLI(t.Context(), []string{"user", "info"}, env)
		suffix := ""
		if attempts > 1 {
			suffix = ` \(after 3 attempts\)`
		}
		want := regexp.MustCompile(`^aivenctl: GET http://127\.0\.0\.1:\d+/v1/me: dial tcp 127\.0\.0\.1:\d+: connect: connection refused` + suffix + `\n$`)
		if r.code != 1 || !want.MatchString(r.stderr) {
			t.Errorf("%d attempts: exit %d, stderr %q; want exit 1, stderr matching %s", attempts, r.code, r.stderr, want)
		}
		assertNoToken(t, r)
	}
}

// TestNoAnswer covers a server that never answers: the --timeout ends the
// command, and so does an interrupt; each with one line and exit 1.
func TestNoAnswer(t *testing.T) {
	t.Parallel()
	// hang answers nothing until the client gives up; started is closed
	// when the first request arrives.
	hang := func(started chan struct{}) *httptest.Server {
		var once sync.Once
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			once.Do(func() { close(started) })
			<-r.Context().Done()
		}))
		t.Cleanup(srv.Close)
		return srv
	}

	t.Run("timeout", func(t *testing.T) {
		t.Parallel()
		srv := hang(make(chan struct{}))
		r := runCLI(t.Context(), []string{"cloud", "list", "--timeout", "50ms"}, testEnv(map[string]string{"HOME": t.TempDir(), "AIVEN_WEB_URL": srv.URL}))
		if want := "aivenctl: GET /v1/clouds: no answer within 50ms (--timeout)\n"; r.code != 1 || r.stderr != want {
			t.Errorf("exit %d, stderr %q; want exit 1, stderr %q", r.code, r.stderr, want)
		}
	})
	t.Run("interrupted", func(t *testing.T) {
		t.Parallel()
		started := make(chan struct{})
		srv := hang(started)
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			<-started
			cancel()
		}()
		r := runCLI(ctx, []string{"cloud", "list"}, testEnv(map[string]string{"HOME": t.TempDir(), "AIVEN_WEB_URL": srv.URL}))
		if want := "aivenctl: GET /v1/clouds: interrupted\n"; r.code != 1 || r.stderr != want {
			t.Errorf("exit %d, stderr %q; want exit 1, stderr %q", r.code, r.stderr, want)
		}
	})
}

// TestDefaultRetryPolicy runs without the test hook, as the command does:
// a 401 is final and is not retried.
func TestDefaultRetryPolicy(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t, "aivenv1 "+fakeToken, map[string][]reply{"/v1/me": {{status: http.StatusUnauthorized, body: `{"message": "Missing (expired) db token"}`}}})
	env := testEnv(map[string]string{"HOME": t.TempDir(), "AIVEN_WEB_URL": f.srv.URL, "AIVEN_TOKEN": fakeToken})
	env.retry = nil
	start := time.Now()
	r := runCLI(t.Context(), []string{"user", "info"}, env)
	if want := "aivenctl: Missing (expired) db token (HTTP 401); the token came from AIVEN_TOKEN\n"; r.code != 1 || r.stderr != want {
		t.Errorf("exit %d, stderr %q; want exit 1, stderr %q", r.code, r.stderr, want)
	}
	if n := len(f.requests()); n != 1 {
		t.Errorf("%d requests (in %v), want 1", n, time.Since(start))
	}
}

func TestEscapeText(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"aws-eu-west-1", "aws-eu-west-1"},
		{"Zürich 東京 🦀 São Paulo", "Zürich 東京 🦀 São Paulo"},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"\x1b]0;title\x07", `\x1b]0;title\x07`},
		{"a\tb\nc\rd", `a\x09b\x0ac\x0dd`},
		{"nul\x00del\x7f", `nul\x00del\x7f`},
		{"c1\u009bcsi", `c1\u009bcsi`},
		{"gpj\u202eexe.", `gpj\u202eexe.`},
		{"isolate\u2066x\u2069", `isolate\u2066x\u2069`},
		{"line\u2028sep", `line\u2028sep`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"replacement\ufffd", `replacement\ufffd`},
	}
	for _, tt := range tests {
		if got := escapeText(tt.in); got != tt.want {
			t.Errorf("escapeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"Zürich", 6},
		{"Zu\u0308rich", 6}, // combining diaeresis
		{"東京", 4},
		{"ｱｲ", 2}, // halfwidth katakana
		{"ＡＢ", 4}, // fullwidth latin
		{"서울", 4},
		{"🦀x", 3},
		{"zero\u200bwidth", 9},
	}
	for _, tt := range tests {
		if got := displayWidth(tt.in); got != tt.want {
			t.Errorf("displayWidth(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestMaskWriter(t *testing.T) {
	t.Parallel()
	var buf strings.Builder
	m := &masker{}
	w := m.wrap(&buf)
	_, _ = io.WriteString(w, "before "+fakeToken+"\n") // not yet known: kept
	m.set("abc")                                       // too short to mask
	_, _ = io.WriteString(w, "abc\n")
	m.set(fakeToken)
	n, err := io.WriteString(w, "x"+fakeToken+"y"+fakeToken+"\n")
	if err != nil || n != 2*len(fakeToken)+3 {
		t.Errorf("Write = %d, %v; want %d, nil", n, err, 2*len(fakeToken)+3)
	}
	if want := "before " + fakeToken + "\nabc\nx****y****\n"; buf.String() != want {
		t.Errorf("wrote %q, want %q", buf.String(), want)
	}
}
