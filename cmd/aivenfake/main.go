package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aivenapi/aivenapi/apitest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	var usage usageError
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, "aivenfake:", err)
		fmt.Fprintln(os.Stderr, "Run 'aivenfake -h' for usage.")
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "aivenfake:", err)
		os.Exit(1)
	}
}

// usageError is a mistake in the command line (exit status 2).
type usageError struct{ error }

// shutdownTimeout bounds the wait for requests in progress at exit.
const shutdownTimeout = 5 * time.Second

// run serves the fake until ctx ends. It prints the base URL on stdout and
// logs on stderr.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("aivenfake", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "`host:port` to listen on (port 0: any free port)")
	dataDir := fs.String("data", "", "`DIR` holding me.json, project.json, clouds.json and project_clouds.json to serve")
	rate := fs.Float64("fault-rate", 0, "share (0 to 1) of requests answered with a fault")
	faultList := fs.String("faults", "429,503,502,drop", "faults to draw from: 429, 500, 502, 503, 504, drop, truncate, slow")
	latency := fs.Duration("latency", 0, "delay each answer by a random duration up to this")
	seed := fs.Uint64("seed", 1, "seed of the random draws")
	quiet := fs.Bool("quiet", false, "log only rejected requests")
	fs.Usage = func() {} // a mistake is reported by main in two lines; -h prints the flags
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "usage: aivenfake [flags]   (token: $AIVENFAKE_TOKEN, or a random one printed at start)")
			fs.PrintDefaults()
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		// Not repeated: it may be a token pasted in the wrong place.
		return usageError{fmt.Errorf("unexpected argument (%d characters, not shown): aivenfake takes only flags; the token comes from AIVENFAKE_TOKEN", len(fs.Arg(0)))}
	}
	if *rate < 0 || *rate > 1 {
		return usageError{fmt.Errorf("-fault-rate %v: want a share from 0 to 1", *rate)}
	}
	if *latency < 0 {
		return usageError{fmt.Errorf("-latency %v: want a positive duration", *latency)}
	}
	faults, err := parseFaults(*faultList)
	if err != nil {
		return usageError{err}
	}

	var logMu sync.Mutex
	logf := func(format string, args ...any) {
		logMu.Lock()
		defer logMu.Unlock()
		fmt.Fprintf(stderr, format+"\n", args...)
	}
	cfg := apitest.Config{
		Token:   strings.TrimSpace(getenv("AIVENFAKE_TOKEN")),
		Faults:  chooser(*seed, *rate, faults, *latency),
		Logf:    logf,
		OnDrift: func(err error) { logf("aivenfake: %v", err) },
		LogSize: 1,
	}
	if *dataDir != "" {
		if err := loadData(*dataDir, &cfg); err != nil {
			return err
		}
	}
	h, err := apitest.NewHandler(cfg)
	if err != nil {
		return err
	}
	if err := h.CheckFixtures(); err != nil {
		return err
	}

	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", *addr)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() {
		logf("aivenfake: warning: listening on %s, beyond this machine: anyone who can reach it can use the token", host)
	}
	if cfg.Token == "" {
		logf("aivenfake: AIVENFAKE_TOKEN is not set; the token for this run is:\n%s", h.Token())
	}
	logf("aivenfake: try  AIVEN_WEB_URL=%s AIVEN_TOKEN=... go run ./cmd/aivenctl cloud list", url)
	fmt.Fprintln(stdout, url) // last: the URL tells a script the fake is ready

	var handler http.Handler = h
	if !*quiet {
		handler = logRequests(h, logf)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		h.Close()
		return err
	case <-ctx.Done():
	}
	logf("aivenfake: shutting down")
	h.Close() // ends latency faults in progress
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// parseFaults reads the -faults list.
func parseFaults(list string) ([]apitest.Fault, error) {
	var out []apitest.Fault
	for _, name := range strings.Split(list, ",") {
		var f apitest.Fault
		switch name = strings.TrimSpace(name); name {
		case "429":
			f = apitest.RateLimited(1)
		case "500", "503":
			f = apitest.Status(map[string]int{"500": 500, "503": 503}[name])
		case "502", "504":
			f = apitest.HTMLError(map[string]int{"502": 502, "504": 504}[name])
		case "drop":
			f = apitest.Drop()
		case "truncate":
			f = apitest.Truncate()
		case "slow":
			f = apitest.Latency(5 * time.Second)
			f.Name = "slow"
		case "":
			continue
		default:
			return nil, fmt.Errorf("-faults: unknown fault %q (want 429, 500, 502, 503, 504, drop, truncate, slow)", name)
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, errors.New("-faults: empty list")
	}
	return out, nil
}

// faultNote is where chooser notes the fault it chose for a request, for
// logRequests; it travels in the request's context.
type faultNote struct{ name string }

type faultNoteKey struct{}

// chooser returns the Config.Faults of the flags: a fault for a share rate
// of requests, and a random delay up to latency for every one.
func chooser(seed uint64, rate float64, faults []apitest.Fault, latency time.Duration) func(*http.Request, int) *apitest.Fault {
	random := apitest.RandomFaults(seed, rate, faults...)
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, ^seed))
	return func(r *http.Request, n int) *apitest.Fault {
		f := random(r, n)
		if latency > 0 {
			mu.Lock()
			d := time.Duration(rng.Int64N(int64(latency) + 1))
			mu.Unlock()
			if f == nil {
				f = &apitest.Fault{}
			}
			f.Delay += d
		}
		if note, ok := r.Context().Value(faultNoteKey{}).(*faultNote); ok && f != nil {
			note.name = f.String()
		}
		return f
	}
}

// loadData sets the bodies of cfg from the files in dir that exist.
func loadData(dir string, cfg *apitest.Config) error {
	found := 0
	for _, file := range []struct {
		name string
		body *[]byte
	}{{"me.json", &cfg.UserInfo}, {"project.json", &cfg.ProjectList}, {"clouds.json", &cfg.ListClouds}, {"project_clouds.json", &cfg.ListProjectClouds}} {
		b, err := os.ReadFile(filepath.Join(dir, file.name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("-data: %w", err)
		}
		*file.body = b
		found++
	}
	if found == 0 {
		return fmt.Errorf("-data %s: none of me.json, project.json, clouds.json, project_clouds.json is there", dir)
	}
	return nil
}

// logRequests logs each request's method, path, status, fault and time.
func logRequests(h http.Handler, logf func(string, ...any)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		note := &faultNote{}
		defer func() {
			status := "dropped"
			if sw.status != 0 {
				status = fmt.Sprint(sw.status)
			}
			if note.name != "" {
				status += " fault=" + note.name
			}
			logf("%s %s -> %s (%v)", r.Method, r.URL.EscapedPath(), status, time.Since(start).Round(time.Microsecond)) // as sent: no control character reaches the log
		}()
		h.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), faultNoteKey{}, note)))
	})
}

// statusWriter remembers the status written; Unwrap lets the handler
// reach the connection to drop it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
