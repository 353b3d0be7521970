package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTokenPrecedence checks which token is sent when several are set,
// and that a 401 names where it came from. Each source holds a different
// token, each distinctive enough to be found in any output.
func TestTokenPrecedence(t *testing.T) {
	t.Parallel()
	tok := func(source string) string { return fakeToken + "-" + source }
	creds := func(token string) string {
		return `{"auth_token": "` + token + `", "user_email": "paivi@example.com"}` + "\n"
	}
	const (
		credsFile = "creds/explicit.json"
		configDir = "config"
		homeFile  = "home/.config/aiven/aiven-credentials.json"
		rawFile   = "secrets/token"
		jsonFile  = "secrets/avn.json"
	)
	tests := []struct {
		name       string
		vars       map[string]string // values "@path" are files under the test's directory
		args       []string
		wantToken  string
		wantSource string // "@path": a file under the test's directory
	}{
		{name: "AIVEN_TOKEN first", vars: map[string]string{"AIVEN_TOKEN": tok("a"), "AIVEN_AUTH_TOKEN": tok("b"), "MST_API_TOKEN": tok("c")},
			wantToken: tok("a"), wantSource: "AIVEN_TOKEN"},
		{name: "AIVEN_AUTH_TOKEN second", vars: map[string]string{"AIVEN_AUTH_TOKEN": tok("b"), "MST_API_TOKEN": tok("c")},
			wantToken: tok("b"), wantSource: "AIVEN_AUTH_TOKEN"},
		{name: "MST_API_TOKEN third", vars: map[string]string{"MST_API_TOKEN": tok("c")},
			wantToken: tok("c"), wantSource: "MST_API_TOKEN"},
		{name: "empty variable is unset", vars: map[string]string{"AIVEN_TOKEN": "", "AIVEN_AUTH_TOKEN": " \t", "MST_API_TOKEN": tok("c")},
			wantToken: tok("c"), wantSource: "MST_API_TOKEN"},
		{name: "variable is trimmed", vars: map[string]string{"AIVEN_TOKEN": " " + tok("a") + "\n"},
			wantToken: tok("a"), wantSource: "AIVEN_TOKEN"},
		{name: "variables before files", vars: map[string]string{"MST_API_TOKEN": tok("c"), "AIVEN_CREDENTIALS_FILE": "@" + credsFile},
			wantToken: tok("c"), wantSource: "MST_API_TOKEN"},
		{name: "AIVEN_CREDENTIALS_FILE", vars: map[string]string{"AIVEN_CREDENTIALS_FILE": "@" + credsFile, "AIVEN_CONFIG_DIR": "@" + configDir},
			wantToken: tok("explicit"), wantSource: "@" + credsFile},
		{name: "AIVEN_CONFIG_DIR", vars: map[string]string{"AIVEN_CONFIG_DIR": "@" + configDir},
			wantToken: tok("configdir"), wantSource: "@" + configDir + "/aiven-credentials.json"},
		{name: "HOME", vars: map[string]string{},
			wantToken: tok("home"), wantSource: "@" + homeFile},
		{name: "--token-file beats everything", args: []string{"--token-file", "@" + rawFile},
			vars:      map[string]string{"AIVEN_TOKEN": tok("a"), "AIVEN_CREDENTIALS_FILE": "@" + credsFile},
			wantToken: tok("raw"), wantSource: "--token-file @" + rawFile},
		{name: "--token-file with a credentials file", args: []string{"--token-file=@" + jsonFile},
			wantToken: tok("avnjson"), wantSource: "--token-file @" + jsonFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFile(t, dir, credsFile, creds(tok("explicit")), 0o600)
			writeFile(t, dir, configDir+"/aiven-credentials.json", creds(tok("configdir")), 0o600)
			writeFile(t, dir, homeFile, creds(tok("home")), 0o600)
			writeFile(t, dir, rawFile, "\n  "+tok("raw")+"\r\n\n", 0o600)
			writeFile(t, dir, jsonFile, creds(tok("avnjson")), 0o600)
			at := strings.NewReplacer("@", dir+string(filepath.Separator))

			f := newFakeAPI(t, "aivenv1 "+tt.wantToken, map[string][]reply{"/v1/me": {{status: http.StatusUnauthorized,
				body: `{"message": "Invalid token", "errors": [{"message": "Invalid token", "status": 401}]}`}}})
			vars := map[string]string{"HOME": filepath.Join(dir, "home"), "AIVEN_WEB_URL": f.srv.URL}
			for k, v := range tt.vars {
				vars[k] = at.Replace(v)
			}
			args := []string{"user", "info"}
			for _, a := range tt.args {
				args = append(args, at.Replace(a))
			}
			r := runCLI(t.Context(), args, testEnv(vars))
			want := "aivenctl: Invalid token (HTTP 401); the token came from " + filepath.FromSlash(at.Replace(tt.wantSource)) + "\n"
			if r.code != 1 || r.stderr != want {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 1, stderr:\n%s", r.code, r.stderr, want)
			}
			if diff := cmp.Diff([]string{"GET /v1/me"}, f.requests()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			assertNoToken(t, r)
		})
	}
}

// TestTokenProblems covers tokens that are missing or unusable: the
// command fails before sending anything, says where it looked, and never
// repeats what a file holds.
func TestTokenProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string // relative to the test's directory
		vars  map[string]string // "@" is the test's directory
		args  []string
		// wantStderr is the whole stderr, "@" for the test's directory.
		wantStderr string
		wantCode   int
	}{
		{name: "none anywhere",
			wantStderr: "aivenctl: project list needs an API token and found none in AIVEN_TOKEN, AIVEN_AUTH_TOKEN, MST_API_TOKEN or @/.config/aiven/aiven-credentials.json; run `avn user login`, set AIVEN_TOKEN, or use --token-file\n",
			wantCode:   1},
		{name: "no home", vars: map[string]string{"HOME": ""},
			wantStderr: "aivenctl: project list needs an API token and found none in AIVEN_TOKEN, AIVEN_AUTH_TOKEN, MST_API_TOKEN or ~/.config/aiven/aiven-credentials.json (HOME is not set); run `avn user login`, set AIVEN_TOKEN, or use --token-file\n",
			wantCode:   1},
		{name: "credentials file without auth_token", files: map[string]string{"c.json": `{"user_email": "paivi@example.com"}`},
			vars:       map[string]string{"AIVEN_CREDENTIALS_FILE": "@/c.json"},
			wantStderr: "aivenctl: project list needs an API token and found none in AIVEN_TOKEN, AIVEN_AUTH_TOKEN, MST_API_TOKEN or @/c.json (it has no auth_token); run `avn user login`, set AIVEN_TOKEN, or use --token-file\n",
			wantCode:   1},
		{name: "credentials file not JSON", files: map[string]string{"c.json": fakeToken + "\n"},
			vars:       map[string]string{"AIVEN_CREDENTIALS_FILE": "@/c.json"},
			wantStderr: "aivenctl: @/c.json is not valid JSON (at byte 1); want {\"auth_token\": \"...\"}\n",
			wantCode:   1},
		{name: "credentials file of the wrong shape", files: map[string]string{"aiven-credentials.json": `{"auth_token": ["` + fakeToken + `"]}`},
			vars:       map[string]string{"AIVEN_CONFIG_DIR": "@"},
			wantStderr: "aivenctl: @/aiven-credentials.json: want {\"auth_token\": \"...\"}\n",
			wantCode:   1},
		{name: "credentials file is a directory", files: map[string]string{"c.json/x": ""},
			vars:       map[string]string{"AIVEN_CREDENTIALS_FILE": "@/c.json"},
			wantStderr: "aivenctl: @/c.json is a directory, not a file\n",
			wantCode:   1},
		{name: "token file missing", args: []string{"--token-file", "@/nope"},
			wantStderr: "aivenctl: read @/nope: no such file or directory\n",
			wantCode:   1},
		{name: "token pasted as the token file", args: []string{"--token-file", fakeToken},
			wantStderr: fmt.Sprintf("aivenctl: read (%d characters, not shown): no such file or directory\n", len(fakeToken)),
			wantCode:   1},
		{name: "credentials file that is a token", vars: map[string]string{"AIVEN_CREDENTIALS_FILE": "@/" + fakeToken},
			wantStderr: fmt.Sprintf("aivenctl: project list needs an API token and found none in AIVEN_TOKEN, AIVEN_AUTH_TOKEN, MST_API_TOKEN or @/(%d characters, not shown); run `avn user login`, set AIVEN_TOKEN, or use --token-file\n", len(fakeToken)),
			wantCode:   1},
		{name: "token file empty", files: map[string]string{"t": "\n \n"}, args: []string{"--token-file", "@/t"},
			wantStderr: "aivenctl: --token-file @/t holds no token\n",
			wantCode:   1},
		{name: "token with a space", vars: map[string]string{"AIVEN_TOKEN": "aivenv1 " + fakeToken},
			wantStderr: "aivenctl: the token from AIVEN_TOKEN contains white space or control characters\n",
			wantCode:   1},
		{name: "token file with two lines", files: map[string]string{"t": fakeToken + "\n" + fakeToken}, args: []string{"--token-file", "@/t"},
			wantStderr: "aivenctl: the token from --token-file @/t contains white space or control characters\n",
			wantCode:   1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, content := range tt.files {
				writeFile(t, dir, name, content, 0o600)
			}
			at := strings.NewReplacer("@", dir)
			f := newFakeAPI(t, "", nil)
			vars := map[string]string{"HOME": dir, "AIVEN_WEB_URL": f.srv.URL}
			for k, v := range tt.vars {
				vars[k] = at.Replace(v)
			}
			args := []string{"project", "list"}
			for _, a := range tt.args {
				args = append(args, at.Replace(a))
			}
			r := runCLI(t.Context(), args, testEnv(vars))
			if r.code != tt.wantCode {
				t.Errorf("exit code %d, want %d", r.code, tt.wantCode)
			}
			if want := at.Replace(tt.wantStderr); r.stderr != want {
				t.Errorf("stderr:\n%s\nwant:\n%s", r.stderr, want)
			}
			if reqs := f.requests(); len(reqs) > 0 {
				t.Errorf("sent %v, want no request", reqs)
			}
			assertNoToken(t, r)
		})
	}
}

// TestCredentialsFileOpenToOthers checks the warning about a credentials
// file that other users can read; the command still runs.
func TestCredentialsFileOpenToOthers(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	t.Parallel()
	for _, tt := range []struct {
		mode     os.FileMode
		wantWarn bool
	}{{0o600, false}, {0o400, false}, {0o640, true}, {0o644, true}, {0o606, true}} {
		t.Run(tt.mode.String(), func(t *testing.T) {
			t.Parallel()
			home := t.TempDir()
			path := writeFile(t, home, ".config/aiven/aiven-credentials.json", `{"auth_token": "`+fakeToken+`"}`, tt.mode)
			f := newFakeAPI(t, "aivenv1 "+fakeToken, map[string][]reply{"/v1/project": okJSON(t, "projects.json")})
			r := runCLI(t.Context(), []string{"project", "list"}, testEnv(map[string]string{"HOME": home, "AIVEN_WEB_URL": f.srv.URL}))
			if r.code != 0 || !strings.HasPrefix(r.stdout, "PROJECT_NAME") {
				t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
			warning := "aivenctl: warning: " + path + " holds a token and is open to other users (mode " + modeOctal(tt.mode) + "); chmod 600 it\n"
			if tt.wantWarn && r.stderr != warning {
				t.Errorf("stderr %q, want %q", r.stderr, warning)
			}
			if !tt.wantWarn && r.stderr != "" {
				t.Errorf("stderr %q, want nothing", r.stderr)
			}
		})
	}
}

func modeOctal(m os.FileMode) string {
	const digits = "01234567"
	p := uint32(m.Perm())
	return "0" + string([]byte{digits[p>>6&7], digits[p>>3&7], digits[p&7]})
}
