//go:build unix

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTokenFileStream gives --token-file what is not a regular file: a
// pipe (as /dev/fd/N, which is what /dev/stdin is), a FIFO whose writer
// comes after aivenctl opened it, one whose writer writes nothing, and one
// that nobody writes, which must end at --timeout with a clear message.
func TestTokenFileStream(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t, "aivenv1 "+fakeToken, map[string][]reply{"/v1/me": okJSON(t, "me.json")})
	fifo := func(t *testing.T, write func(w *os.File)) string {
		path := filepath.Join(t.TempDir(), "token")
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		if write != nil {
			go func() {
				w, err := os.OpenFile(path, os.O_WRONLY, 0) // waits for aivenctl to open it
				if err != nil {
					return
				}
				write(w)
				w.Close()
			}()
		}
		return path
	}
	for _, tt := range []struct {
		name       string
		path       func(t *testing.T) string
		wantStderr string // a regular expression; "" for success
	}{
		{"pipe", func(t *testing.T) string {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Close() })
			go func() { fmt.Fprintln(w, fakeToken); w.Close() }()
			return fmt.Sprintf("/dev/fd/%d", r.Fd())
		}, ""},
		{"FIFO with a late writer", func(t *testing.T) string {
			return fifo(t, func(w *os.File) { fmt.Fprintln(w, fakeToken) })
		}, ""},
		// A writer that leaves at once may leave before aivenctl waits: then
		// the wait lasts until --timeout. Either way, no token and no hang.
		{"FIFO with an empty writer", func(t *testing.T) string { return fifo(t, func(*os.File) {}) }, "(holds no token|no token arrived within --timeout)"},
		{"FIFO without a writer", func(t *testing.T) string { return fifo(t, nil) }, `token: no token arrived within --timeout; is anything writing to it\?`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second) // the test's bound, not a limit asserted
			defer cancel()
			args := []string{"user", "info", "--token-file", tt.path(t), "--timeout", "1s"}
			r := runCLI(ctx, args, testEnv(map[string]string{"HOME": t.TempDir(), "AIVEN_WEB_URL": f.srv.URL}))
			if tt.wantStderr == "" && (r.code != 0 || !strings.Contains(r.stdout, "paivi@example.com")) ||
				tt.wantStderr != "" && (r.code != 1 || !regexp.MustCompile(tt.wantStderr).MatchString(r.stderr)) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %q", r.code, r.stdout, r.stderr, tt.wantStderr)
			}
			assertNoToken(t, r)
		})
	}
}

// TestTokenFileStdin pipes the token into the built command, as in
// pass show aiven | aivenctl --token-file /dev/stdin user info.
func TestTokenFileStdin(t *testing.T) {
	bin := aivenctlBinary(t)
	t.Parallel()
	f := newFakeAPI(t, "aivenv1 "+fakeToken, map[string][]reply{"/v1/me": okJSON(t, "me.json")})
	for _, tt := range []struct{ stdin, want string }{
		{fakeToken + "\n", "paivi@example.com"},
		{"", "--token-file /dev/stdin holds no token"},
	} {
		cmd := exec.CommandContext(t.Context(), bin, "user", "info", "--token-file", "/dev/stdin", "--timeout", "10s")
		cmd.Env = []string{"HOME=" + t.TempDir(), "AIVEN_WEB_URL=" + f.srv.URL}
		cmd.Stdin = strings.NewReader(tt.stdin) // a pipe, fed by exec
		out, _ := cmd.CombinedOutput()
		if !strings.Contains(string(out), tt.want) || strings.Contains(string(out), fakeToken) {
			t.Errorf("stdin %q: output %q, want %q", tt.stdin, out, tt.want)
		}
	}
}
