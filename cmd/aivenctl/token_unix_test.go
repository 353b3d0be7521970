//go:build unix

package main

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTokenFileFIFO gives --token-file a named pipe that nobody writes:
// aivenctl refuses it at once instead of waiting past --timeout.
func TestTokenFileFIFO(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "token")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second) // the test's bound, not a limit asserted
	defer cancel()
	r := runCLI(ctx, []string{"cloud", "list", "--token-file", fifo, "--timeout", "1s"}, testEnv(map[string]string{"HOME": t.TempDir()}))
	if r.code != 1 || !strings.Contains(r.stderr, "is not a regular file") {
		t.Errorf("exit %d, stderr %q; want exit 1 and the refusal", r.code, r.stderr)
	}
}
