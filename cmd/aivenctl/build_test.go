package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// The binary is built once per test run, for the process tests and the
// benchmarks, into binDir (removed by TestMain).
var (
	binDir   string
	binOnce  sync.Once
	binPath  string
	binError string
)

// aivenctlBinary builds the command with the go tool and returns its path;
// it skips in -short mode and when there is no go tool.
func aivenctlBinary(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds the binary; skipped in -short mode")
	}
	binOnce.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			binError = "no go tool: " + err.Error()
			return
		}
		dir, err := os.MkdirTemp("", "aivenctl-test-")
		if err != nil {
			binError = err.Error()
			return
		}
		binDir = dir
		out := filepath.Join(dir, "aivenctl")
		if runtime.GOOS == "windows" {
			out += ".exe"
		}
		cmd := exec.Command(goTool, "build", "-o", out, ".")
		if b, err := cmd.CombinedOutput(); err != nil {
			binError = "go build: " + err.Error() + "\n" + string(b)
			return
		}
		binPath = out
	})
	if binPath == "" {
		tb.Fatal(binError)
	}
	return binPath
}
