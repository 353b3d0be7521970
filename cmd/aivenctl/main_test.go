package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/aivenapi/aivenapi/api"
	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// fakeToken is distinctive so that a leak is found wherever it lands.
const fakeToken = "FAKE-tok3n-7c1e9b2a-4f6d-41d8-9a0b-LEAKCANARY-0123456789abcdef"

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	if code == 0 {
		// Every run must close its connections and stop its timers.
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// reply is one response of the fake API.
type reply struct {
	status      int
	contentType string // default application/json
	body        string
	header      map[string]string
}

// fakeAPI serves the Aiven API's paths with canned replies, checking what
// aivenctl sends: GET, no query, its User-Agent, and the Authorization
// header the test expects ("" for none).
type fakeAPI struct {
	t        *testing.T
	wantAuth string
	srv      *httptest.Server

	mu      sync.Mutex
	replies map[string][]reply // per path; the last one repeats
	got     []string           // "GET /v1/me" per request received
	auths   []string
}

func newFakeAPI(t *testing.T, wantAuth string, replies map[string][]reply) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, wantAuth: wantAuth, replies: replies}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.got = append(f.got, r.Method+" "+r.URL.Path)
	f.auths = append(f.auths, r.Header.Get("Authorization"))
	rs := f.replies[r.URL.Path]
	var rep reply
	switch len(rs) {
	case 0:
		rep = reply{status: http.StatusNotFound, body: `{"message": "Not found", "errors": [{"message": "Not found", "status": 404}]}`}
		f.t.Errorf("request for %s, which the test does not serve", r.URL.Path)
	case 1:
		rep = rs[0]
	default:
		rep, f.replies[r.URL.Path] = rs[0], rs[1:]
	}
	f.mu.Unlock()

	if r.Method != http.MethodGet {
		f.t.Errorf("method %s, want GET", r.Method)
	}
	if r.URL.RawQuery != "" {
		f.t.Errorf("query %q, want none", r.URL.RawQuery)
	}
	if ua, want := r.Header.Get("User-Agent"), "aivenctl/"+api.Version+" "; !strings.HasPrefix(ua, want) {
		f.t.Errorf("User-Agent %q, want it to start with %q", ua, want)
	}
	if got := r.Header.Get("Authorization"); got != f.wantAuth {
		f.t.Errorf("Authorization %q, want %q", got, f.wantAuth)
	}
	ct := rep.contentType
	if ct == "" {
		ct = "application/json"
	}
	w.Header().Set("Content-Type", ct)
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	status := rep.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(rep.body))
}

// requests returns the requests received so far.
func (f *fakeAPI) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.got...)
}

// fixture returns a file of testdata/api.
func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "api", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// okJSON is a 200 reply with a fixture.
func okJSON(t testing.TB, name string) []reply {
	return []reply{{body: fixture(t, name)}}
}

// testEnv is an environment with only vars set, and no retries (so that
// no test waits for a backoff).
func testEnv(vars map[string]string) environment {
	return environment{
		getenv: func(k string) string { return vars[k] },
		retry:  &api.RetryPolicy{MaxAttempts: 1},
	}
}

// result is what one run printed and returned.
type result struct {
	stdout, stderr string
	code           int
	err            error
}

func runCLI(ctx context.Context, args []string, env environment) result {
	var stdout, stderr bytes.Buffer
	err := runWith(ctx, args, env, &stdout, &stderr)
	return result{stdout: stdout.String(), stderr: stderr.String(), code: exitCode(err), err: err}
}

// transcript is the golden form of a run: the command, its exit status,
// stdout and stderr.
func (r result) transcript(args []string) string {
	return fmt.Sprintf("$ aivenctl %s\n-- exit %d --\n-- stdout --\n%s-- stderr --\n%s",
		strings.Join(args, " "), r.code, r.stdout, r.stderr)
}

// normalize replaces what changes from run to run (server address, temp
// directories, Go version) by placeholders.
func normalize(s string, repl ...string) string {
	repl = append(repl, runtime.Version(), "$GOVERSION", runtime.GOOS+"/"+runtime.GOARCH, "$PLATFORM")
	return strings.NewReplacer(repl...).Replace(s)
}

// checkGolden compares got with testdata/<name>.golden, or rewrites the
// file under -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", path, diff)
	}
}

// assertNoToken fails if any output holds the token.
func assertNoToken(t *testing.T, r result) {
	t.Helper()
	for name, s := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
		if strings.Contains(s, fakeToken) {
			t.Errorf("%s holds the token:\n%s", name, s)
		}
	}
	if r.err != nil && strings.Contains(r.err.Error(), fakeToken) {
		t.Errorf("error holds the token: %v", r.err)
	}
}

// writeFile writes a file under dir (creating directories) and returns
// its path.
func writeFile(t testing.TB, dir, name, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // WriteFile's mode passes the umask
		t.Fatal(err)
	}
	return path
}
