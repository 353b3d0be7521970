package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// lockedBuffer is a bytes.Buffer safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// started is a running aivenfake.
type started struct {
	url    string
	stderr *lockedBuffer
	stop   func() error // interrupts run and returns its error
}

// start runs aivenfake with args and env on a free loopback port and
// waits for its URL.
func start(t *testing.T, env map[string]string, args ...string) *started {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	outR, outW := io.Pipe()
	stderr := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), func(k string) string { return env[k] }, outW, stderr)
		outW.CloseWithError(errors.New("run returned"))
		done <- err
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no URL on stdout: %v; stderr: %s; run: %v", err, stderr, <-done)
	}
	s := &started{url: strings.TrimSpace(line), stderr: stderr}
	var once sync.Once
	var runErr error
	s.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(10 * time.Second):
				runErr = errors.New("run did not return within 10s of the interrupt")
			}
		})
		return runErr
	}
	t.Cleanup(func() { _ = s.stop() })
	return s
}

func fetch(t *testing.T, url, auth string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", url, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// The server runs, serves the clouds without a token and the user with
// the token from AIVENFAKE_TOKEN, logs without the token, and stops
// cleanly on interrupt.
func TestRunServes(t *testing.T) {
	const tok = "fake-aivenfake-token-0123456789"
	s := start(t, map[string]string{"AIVENFAKE_TOKEN": tok})
	if !strings.HasPrefix(s.url, "http://127.0.0.1:") {
		t.Fatalf("URL %q", s.url)
	}

	code, body := fetch(t, s.url+"/v1/clouds", "")
	var clouds struct {
		Clouds []struct {
			CloudName string `json:"cloud_name"`
		} `json:"clouds"`
	}
	if err := json.Unmarshal(body, &clouds); code != 200 || err != nil || len(clouds.Clouds) != 145 {
		t.Fatalf("GET /v1/clouds: %d, %d clouds, %v", code, len(clouds.Clouds), err)
	}
	if code, _ := fetch(t, s.url+"/v1/me", "aivenv1 "+tok); code != 200 {
		t.Errorf("GET /v1/me with the token: %d", code)
	}
	if code, _ := fetch(t, s.url+"/v1/me", "aivenv1 wrong-token"); code != 401 {
		t.Errorf("GET /v1/me with another token: %d, want 401", code)
	}

	if err := s.stop(); err != nil {
		t.Fatalf("run after interrupt: %v", err)
	}
	log := s.stderr.String()
	for _, want := range []string{"GET /v1/clouds -> 200", "GET /v1/me -> 401", "aivenv1 with a token this server does not accept", "shutting down"} {
		if !strings.Contains(log, want) {
			t.Errorf("stderr lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, tok) || strings.Contains(log, "wrong-token") {
		t.Errorf("stderr shows a token given in the environment or a request:\n%s", log)
	}
}

// Without AIVENFAKE_TOKEN, a random token is printed once on stderr, and
// it is the one accepted.
func TestRunRandomToken(t *testing.T) {
	s := start(t, nil, "-quiet")
	var tok string
	lines := strings.Split(s.stderr.String(), "\n")
	for i, l := range lines {
		if strings.Contains(l, "the token for this run is:") && i+1 < len(lines) {
			tok = lines[i+1]
		}
	}
	if len(tok) < 64 {
		t.Fatalf("no token printed:\n%s", s.stderr)
	}
	if n := strings.Count(s.stderr.String(), tok); n != 1 {
		t.Errorf("the token is printed %d times, want once", n)
	}
	if code, _ := fetch(t, s.url+"/v1/project", "aivenv1 "+tok); code != 200 {
		t.Errorf("GET /v1/project with the printed token: %d", code)
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(s.stderr.String(), "GET /v1/project") {
		t.Errorf("-quiet logged a request:\n%s", s.stderr)
	}
}

// -fault-rate 1 with one fault answers every request with it; -data
// serves the files there.
func TestRunFaultsAndData(t *testing.T) {
	dir := t.TempDir()
	clouds := `{"clouds": [{"cloud_name": "google-europe-north1", "geo_region": "europe", "geo_latitude": 60.5696}]}`
	if err := os.WriteFile(filepath.Join(dir, "clouds.json"), []byte(clouds), 0o600); err != nil {
		t.Fatal(err)
	}
	s := start(t, map[string]string{"AIVENFAKE_TOKEN": "tok-faults"}, "-data", dir, "-fault-rate", "1", "-faults", "503", "-latency", "5ms")
	code, body := fetch(t, s.url+"/v1/clouds", "")
	if code != 503 || !strings.Contains(string(body), `"status":503`) {
		t.Errorf("GET /v1/clouds: %d %s, want Aiven's 503", code, body)
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.stderr.String(), "-> 503 fault=latency+503") {
		t.Errorf("stderr lacks the fault:\n%s", s.stderr)
	}

	s = start(t, nil, "-data", dir)
	if code, body := fetch(t, s.url+"/v1/clouds", ""); code != 200 || string(body) != clouds {
		t.Errorf("GET /v1/clouds: %d %s, want the file's body", code, body)
	}
	if code, _ := fetch(t, s.url+"/v1/me", ""); code != 401 {
		t.Errorf("GET /v1/me: %d, want 401 (built-in data, token required)", code)
	}
}

// Mistakes stop aivenfake before it listens: usage errors as such, a
// drifting data file with its mismatches.
func TestRunRefuses(t *testing.T) {
	drifted := t.TempDir()
	if err := os.WriteFile(filepath.Join(drifted, "me.json"), []byte(`{"user": {"user": 7}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args      []string
		usage     bool
		wantError string
	}{
		{[]string{"-fault-rate", "1.5"}, true, "want a share from 0 to 1"},
		{[]string{"-faults", "429,teapot"}, true, `unknown fault "teapot"`},
		{[]string{"-latency", "-1s"}, true, "want a positive duration"},
		{[]string{"-nosuchflag"}, true, "flag provided but not defined"},
		{[]string{"extra"}, true, `unexpected argument (5 characters, not shown): aivenfake takes only flags`},
		{[]string{"-data", t.TempDir()}, false, "none of me.json"},
		{[]string{"-data", drifted}, false, "/user/user: expected type string, got 7"},
		{[]string{"-addr", "127.0.0.1:99999"}, false, "invalid port"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(t.Context(), tt.args, func(string) string { return "" }, &stdout, &stderr)
			var usage usageError
			if err == nil || !strings.Contains(err.Error(), tt.wantError) || errors.As(err, &usage) != tt.usage {
				t.Fatalf("run error %v (usage %v), want one containing %q (usage %v)", err, errors.As(err, &usage), tt.wantError, tt.usage)
			}
			if stdout.Len() != 0 {
				t.Errorf("printed a URL: %q", stdout.String())
			}
			// main prints a usage error in two lines; run adds no
			// usage of all the flags to it.
			if tt.usage && stderr.Len() != 0 {
				t.Errorf("stderr of a usage error: %q, want nothing", stderr.String())
			}
		})
	}
	var help bytes.Buffer
	if err := run(t.Context(), []string{"-h"}, func(string) string { return "" }, io.Discard, &help); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v, want flag.ErrHelp", err)
	}
	if !strings.Contains(help.String(), "-fault-rate") {
		t.Errorf("-h printed %q, want the flags", help.String())
	}
}

// Each request is logged with its path as sent, escaped: a path cannot
// forge a log line nor drive the terminal the log is read on.
func TestRunLogEscapesPath(t *testing.T) {
	s := start(t, map[string]string{"AIVENFAKE_TOKEN": "tok-log"})
	if code, _ := fetch(t, s.url+"/v1/project/x%1b%5b31m%0aGET%20forged/clouds", "aivenv1 tok-log"); code != 404 {
		t.Errorf("status %d, want 404", code)
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	log := s.stderr.String()
	if strings.Contains(log, "\x1b") || strings.Contains(log, "\nGET forged") || !strings.Contains(log, "GET /v1/project/x%1b%5b31m%0aGET%20forged/clouds -> 404") {
		t.Errorf("log:\n%s\nwant the path escaped", log)
	}
}
