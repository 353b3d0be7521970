package main

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// runBinary runs the built command with exactly the environment env (none
// of the test process's variables, so no real token can leak in).
func runBinary(t *testing.T, bin string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("run %s: %v", bin, err)
		}
		code = ee.ExitCode()
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// TestProcess builds aivenctl and runs it as a user would: a home
// directory with the credentials file of avn user login, AIVEN_WEB_URL
// pointing at a local server. Its output must be what run prints.
func TestProcess(t *testing.T) {
	bin := aivenctlBinary(t)
	t.Parallel()
	home := t.TempDir()
	creds := writeFile(t, home, filepath.Join(".config", "aiven", "aiven-credentials.json"),
		`{"auth_token": "`+fakeToken+`", "user_email": "paivi@example.com"}`, 0o600)
	f := newFakeAPI(t, "aivenv1 "+fakeToken, map[string][]reply{
		"/v1/me":      okJSON(t, "me.json"),
		"/v1/project": okJSON(t, "projects.json"),
		"/v1/clouds":  okJSON(t, "clouds.json"),
	})
	env := []string{"HOME=" + home, "AIVEN_WEB_URL=" + f.srv.URL}
	vars := map[string]string{"HOME": home, "AIVEN_WEB_URL": f.srv.URL}

	for _, tt := range []struct {
		args     []string
		wantCode int
		want     string // in stdout, or in stderr for a failure
	}{
		{[]string{"user", "info"}, 0, "paivi@example.com  Päivi Jääskeläinen-Ōtani  active"},
		{[]string{"project", "list", "--json"}, 0, `"card_info": null`},
		{[]string{"--json", "cloud", "list"}, 0, `"geo_latitude": 53.073635`},
		{[]string{"cloud", "list"}, 0, "South America, Brazil - DigitalOcean: São Paulo  do-sao "},
		{[]string{"version"}, 0, "aivenctl 0.1.0 (" + runtime.Version()},
		{[]string{"help", "cloud"}, 0, "Usage: aivenctl cloud list [flags]"},
		{[]string{"clouds"}, 2, "aivenctl: unknown command \"clouds\"; did you mean cloud?\nRun 'aivenctl help' for usage.\n"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			got := runBinary(t, bin, env, tt.args...)
			if got.code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", got.code, tt.wantCode, got.stderr)
			}
			out := got.stdout
			if tt.wantCode != 0 {
				out = got.stderr
			}
			if !strings.Contains(out, tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, out)
			}
			want := runCLI(t.Context(), tt.args, environment{getenv: func(k string) string { return vars[k] }})
			if got.stdout != want.stdout || got.stderr != want.stderr || got.code != want.code {
				t.Errorf("the binary printed\nstdout: %s\nstderr: %s\nexit %d\nrun printed\nstdout: %s\nstderr: %s\nexit %d",
					got.stdout, got.stderr, got.code, want.stdout, want.stderr, want.code)
			}
			assertNoToken(t, got)
		})
	}

	t.Run("401 names the credentials file", func(t *testing.T) {
		expired := newFakeAPI(t, "aivenv1 "+fakeToken, map[string][]reply{"/v1/me": {{status: http.StatusUnauthorized,
			body: `{"message": "Missing (expired) db token", "errors": [{"message": "Missing (expired) db token", "status": 401}]}`}}})
		got := runBinary(t, bin, []string{"HOME=" + home, "AIVEN_WEB_URL=" + expired.srv.URL}, "user", "info")
		want := "aivenctl: Missing (expired) db token (HTTP 401); the token came from " + creds + "\n"
		if got.code != 1 || got.stdout != "" || got.stderr != want {
			t.Errorf("exit %d, stdout %q, stderr %q; want exit 1, stderr %q", got.code, got.stdout, got.stderr, want)
		}
		assertNoToken(t, got)
	})

	t.Run("--debug", func(t *testing.T) {
		got := runBinary(t, bin, append(env, "AIVEN_DEBUG=true"), "project", "list")
		for _, want := range []string{"msg=\"http attempt\" method=GET url=" + f.srv.URL + "/v1/project attempt=1 authorization=\"aivenv1 ****\"", "status=200"} {
			if !strings.Contains(got.stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, got.stderr)
			}
		}
		if got.code != 0 || !strings.HasPrefix(got.stdout, "PROJECT_NAME") {
			t.Errorf("exit %d, stdout %q", got.code, got.stdout)
		}
		assertNoToken(t, got)
	})
}

// TestProcessInterrupt sends SIGINT to a command waiting for the API: it
// stops at once with one line and exit status 1.
func TestProcessInterrupt(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT on Windows")
	}
	bin := aivenctlBinary(t)
	t.Parallel()
	started := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)

	cmd := exec.CommandContext(t.Context(), bin, "cloud", "list")
	cmd.Env = []string{"HOME=" + t.TempDir(), "AIVEN_WEB_URL=" + srv.URL}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-started:
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		t.Fatal("the command sent no request within a minute")
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Errorf("Wait: %v, want exit status 1", err)
	}
	if want := "aivenctl: GET /v1/clouds: interrupted\n"; stderr.String() != want || stdout.Len() != 0 {
		t.Errorf("stdout %q, stderr %q; want stderr %q", stdout.String(), stderr.String(), want)
	}
}
