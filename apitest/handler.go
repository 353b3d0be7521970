package apitest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/aivenapi/aivenapi/internal/oas"
)

// The paths the fake serves, one per operation of openapi.yaml.
const (
	PathUserInfo    = "/v1/me"      // operation UserInfo; needs the token
	PathProjectList = "/v1/project" // operation ProjectList; needs the token
	PathListClouds  = "/v1/clouds"  // operation ListClouds; token optional
)

// Config configures a Handler. The zero Config serves the default data to
// a random token.
type Config struct {
	// Token is the API token the fake accepts, in exactly the form
	// "Authorization: aivenv1 <Token>". Empty means a random token, which
	// Handler.Token returns.
	Token string

	// UserInfo, ProjectList and ListClouds are the whole bodies of the 200
	// answers to GET /v1/me, /v1/project and /v1/clouds, as raw JSON, so
	// that nulls, absent fields, unknown fields and number spellings reach
	// the client exactly as written. Nil means DefaultUserInfo(),
	// DefaultProjectList() and DefaultListClouds(). Each is checked against
	// openapi.yaml: one that does not match is answered with a 500 that
	// says why, and reported to OnDrift.
	UserInfo, ProjectList, ListClouds []byte

	// Faults, when set, chooses the fault for each valid request that no
	// fault queued with Handler.Inject claims; nil means a normal answer.
	// n counts the requests to r's path so far, this one included. It is
	// called from many goroutines at once. See RandomFaults.
	Faults func(r *http.Request, n int) *Fault

	// OnDrift, when set, is told of every answer the fake built that does
	// not match openapi.yaml (a fixture only the first time). NewServer
	// makes it fail the test.
	OnDrift func(err error)

	// Logf, when set, gets a line for each request the fake rejects and
	// why. The lines never hold the request's credentials.
	Logf func(format string, args ...any)

	// LogSize is how many of the latest requests Handler.Log keeps;
	// 0 means 10,000.
	LogSize int
}

// Handler is the fake Aiven API as an http.Handler. It checks every
// request against openapi.yaml and the token, answers the configured data
// or a fault, checks its own answers against openapi.yaml, and counts
// everything. It is safe for concurrent use.
type Handler struct {
	spec    *oas.Spec
	token   string
	want    []byte // "aivenv1 <token>"
	bodies  map[string]*fixture
	faults  func(*http.Request, int) *Fault
	onDrift func(error)
	logf    func(string, ...any)

	stop     chan struct{}
	stopOnce sync.Once

	mu      sync.Mutex
	queue   map[string][]Fault
	stats   Stats
	log     []Record // the latest logMax requests, a ring from logNext
	logMax  int
	logNext int
}

// fixture is a 200 body and what checking it against the description found.
type fixture struct {
	body     []byte
	drift    error
	reported bool // guarded by Handler.mu
}

// NewHandler returns a Handler for cfg. It fails when a body in cfg is not
// JSON or the embedded description cannot be loaded.
func NewHandler(cfg Config) (*Handler, error) {
	spec, err := oas.Load()
	if err != nil {
		return nil, fmt.Errorf("apitest: %w", err)
	}
	token := cfg.Token
	if token == "" {
		token = randomToken()
	}
	if strings.ContainsAny(token, " \t\r\n") {
		return nil, errors.New("apitest: Config.Token contains white space")
	}
	h := &Handler{
		spec:    spec,
		token:   token,
		want:    []byte("aivenv1 " + token),
		bodies:  map[string]*fixture{},
		faults:  cfg.Faults,
		onDrift: cfg.OnDrift,
		logf:    cfg.Logf,
		stop:    make(chan struct{}),
		queue:   map[string][]Fault{},
		stats:   Stats{Paths: map[string]int{}, Faults: map[string]int{}, Statuses: map[int]int{}},
		logMax:  orDefault(cfg.LogSize, 10000),
	}
	for _, f := range []struct {
		path, name string
		body, def  []byte
	}{
		{PathUserInfo, "UserInfo", cfg.UserInfo, userInfoJSON},
		{PathProjectList, "ProjectList", cfg.ProjectList, projectListJSON},
		{PathListClouds, "ListClouds", cfg.ListClouds, listCloudsJSON},
	} {
		body := f.body
		if body == nil {
			body = f.def
		}
		if !json.Valid(body) {
			return nil, fmt.Errorf("apitest: Config.%s is not valid JSON", f.name)
		}
		body = bytes.Clone(body)
		h.bodies[f.path] = &fixture{body: body, drift: h.checkFixture(f.path, body)}
	}
	return h, nil
}

// randomToken returns a token shaped like Aiven's: long and opaque.
func randomToken() string {
	b := make([]byte, 96)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawStdEncoding.EncodeToString(b)
}

// checkFixture checks a 200 body against the description.
func (h *Handler) checkFixture(path string, body []byte) error {
	req, err := http.NewRequest(http.MethodGet, "http://apitest.invalid"+path, nil)
	if err != nil {
		return err
	}
	hdr := http.Header{"Content-Type": {"application/json"}}
	if err := h.spec.ValidateResponse(context.Background(), req, http.StatusOK, hdr, body); err != nil {
		return driftError(req, http.StatusOK, err)
	}
	return nil
}

// driftError describes how an answer differs from the description.
func driftError(req *http.Request, status int, err error) error {
	ms := oas.Mismatches(err)
	var parts []string
	for i, m := range ms {
		if i == 8 {
			parts = append(parts, fmt.Sprintf("and %d more", len(ms)-i))
			break
		}
		parts = append(parts, m.String())
	}
	return fmt.Errorf("apitest: the %d answer to %s %s does not match openapi.yaml: %s",
		status, req.Method, req.URL.Path, strings.Join(parts, "; "))
}

// CheckFixtures reports how the configured bodies differ from
// openapi.yaml, or nil when they all match. A drifted body is answered
// with a 500 whether or not this is called; cmd/aivenfake calls it to
// refuse to start.
func (h *Handler) CheckFixtures() error {
	var errs []error
	for _, p := range []string{PathUserInfo, PathProjectList, PathListClouds} {
		if err := h.bodies[p].drift; err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Token returns the token the fake accepts.
func (h *Handler) Token() string { return h.token }

// Inject queues faults for the next requests to path (such as
// PathUserInfo): the next valid request gets faults[0], the one after
// faults[1], and so on; after the queue, Config.Faults decides again. A
// zero Fault in the queue lets one request through unharmed.
func (h *Handler) Inject(path string, faults ...Fault) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.queue[path] = append(h.queue[path], faults...)
}

// Close ends the waits of latency faults in progress and skips those of
// later requests, so that a server holding the Handler can shut down at
// once. The Handler goes on answering. Close is idempotent.
func (h *Handler) Close() {
	h.stopOnce.Do(func() { close(h.stop) })
}

// ServeHTTP answers one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := Record{Time: time.Now(), Method: r.Method, Path: r.URL.Path}
	authz := r.Header.Values("Authorization")
	rec.Authorized = len(authz) == 1 && subtle.ConstantTimeCompare([]byte(authz[0]), h.want) == 1

	// Paths outside the description share one count, so that a long-running
	// fake probed with random paths keeps a bounded map.
	key := r.URL.Path
	if h.bodies[key] == nil {
		key = OtherPaths
	}
	h.mu.Lock()
	h.stats.Requests++
	h.stats.Paths[key]++
	n := h.stats.Paths[key]
	h.mu.Unlock()

	if status, msg, reason := h.checkRequest(r, authz, rec.Authorized); status != 0 {
		if h.logf != nil {
			h.logf("apitest: %s %s: %d: %s", r.Method, r.URL.Path, status, reason)
		}
		if status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", http.MethodGet)
		}
		rec.Status = status
		// Answers to requests for no operation have no description to match.
		routed := status != http.StatusNotFound && status != http.StatusMethodNotAllowed
		h.send(w, r, &rec, nil, status, "application/json", aivenError(status, msg, ""), routed)
		h.finish(rec, true)
		return
	}

	f := h.nextFault(r, n)
	if f != nil {
		rec.Fault = f.String()
	}
	h.serve(w, r, &rec, f)
	h.finish(rec, false)
}

// checkRequest returns the status, message and log reason of a request
// that breaks the description, or 0 for a valid one.
func (h *Handler) checkRequest(r *http.Request, authz []string, valid bool) (status int, msg, reason string) {
	errInvalid := errors.New("invalid token")
	err := h.spec.ValidateRequest(r.Context(), r, func(_, _ string) error {
		if !valid {
			return errInvalid
		}
		return nil
	})
	var sec *openapi3filter.SecurityRequirementsError
	switch {
	case errors.Is(err, oas.ErrNoRoute):
		if item := h.spec.Doc.Paths.Find(r.URL.Path); item != nil && item.GetOperation(r.Method) == nil {
			return http.StatusMethodNotAllowed, "Method not allowed", "no " + r.Method + " operation on this path"
		}
		return http.StatusNotFound, "Not found", "no such path in openapi.yaml"
	case errors.As(err, &sec) || (err == nil && len(authz) > 0 && !valid):
		// A token that is present must be right even where the
		// description also allows none (security [{}, tokenAuth]).
		if len(authz) == 0 {
			return http.StatusUnauthorized, "Missing (expired) db token", "no Authorization header"
		}
		return http.StatusUnauthorized, "Invalid token", describeAuth(authz, h.token)
	case err != nil:
		var parts []string
		for _, m := range oas.Mismatches(err) {
			parts = append(parts, m.String())
		}
		return http.StatusBadRequest, "Invalid request: " + strings.Join(parts, "; "), "request does not match openapi.yaml"
	}
	return 0, "", ""
}

// describeAuth says what is wrong with Authorization headers without
// repeating any part of them that may be secret.
func describeAuth(values []string, token string) string {
	if len(values) > 1 {
		return fmt.Sprintf("%d Authorization headers, want one", len(values))
	}
	scheme, rest, found := strings.Cut(values[0], " ")
	known := false
	for _, s := range []string{"aivenv1", "bearer", "basic", "apitoken", "token"} {
		known = known || strings.EqualFold(scheme, s)
	}
	switch {
	case !found || !known:
		return `Authorization is not "aivenv1 <token>"`
	case scheme != "aivenv1":
		return fmt.Sprintf(`Authorization uses scheme %q, want "aivenv1 <token>"`, scheme)
	case rest != strings.TrimSpace(rest) || strings.TrimSpace(rest) == token:
		return "white space around the token"
	}
	return "aivenv1 with another token"
}

// nextFault takes the fault for a valid request: the path's queue first,
// then Config.Faults.
func (h *Handler) nextFault(r *http.Request, n int) *Fault {
	h.mu.Lock()
	if q := h.queue[r.URL.Path]; len(q) > 0 {
		f := q[0]
		if len(q) == 1 {
			delete(h.queue, r.URL.Path)
		} else {
			h.queue[r.URL.Path] = q[1:]
		}
		h.mu.Unlock()
		if !f.active() {
			return nil
		}
		return &f
	}
	h.mu.Unlock()
	if h.faults == nil {
		return nil
	}
	if f := h.faults(r, n); f.active() {
		return f
	}
	return nil
}

// serve answers a valid request, with fault f when not nil.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, rec *Record, f *Fault) {
	if f == nil {
		f = &Fault{}
	}
	if f.Delay > 0 && !h.wait(r.Context(), f.Delay) {
		// The client gave up or the server is closing: nobody reads an answer.
		abort(w)
		return
	}
	if f.Drop {
		abort(w)
		return
	}
	status, ctype, body, check := http.StatusOK, "application/json", h.bodies[r.URL.Path].body, false
	switch {
	case f.Raw:
		status, ctype, body = orDefault(f.Status, http.StatusOK), f.ContentType, f.Body
	case f.HTML:
		status, ctype, check = orDefault(f.Status, http.StatusBadGateway), "text/html", true
		body = htmlPage(status, echoed(r, f.Echo))
	case f.Status != 0 && f.Status != http.StatusOK:
		msg, code := usualError(f.Status)
		if f.Message != "" {
			msg = f.Message
		}
		if f.ErrorCode != "" {
			code = f.ErrorCode
		}
		if e := echoed(r, f.Echo); e != "" {
			msg += ": " + e
		}
		status, check, body = f.Status, true, aivenError(f.Status, msg, code)
	default:
		fx := h.bodies[r.URL.Path]
		if fx.drift != nil {
			h.mu.Lock()
			first := !fx.reported
			fx.reported = true
			h.stats.Drift++
			h.mu.Unlock()
			if first && h.onDrift != nil {
				h.onDrift(fx.drift)
			}
			status, body = http.StatusInternalServerError, aivenError(http.StatusInternalServerError, fx.drift.Error(), "")
		}
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	rec.Status = status
	h.send(w, r, rec, f, status, ctype, body, check)
}

// echoed returns what an echoing server repeats of the request.
func echoed(r *http.Request, echo bool) string {
	if !echo {
		return ""
	}
	return "request had Authorization: " + r.Header.Get("Authorization")
}

// send checks an answer the fake built against the description (when
// check is set) and writes it, cut short or padded as f says.
func (h *Handler) send(w http.ResponseWriter, r *http.Request, rec *Record, f *Fault, status int, ctype string, body []byte, check bool) {
	if check {
		hdr := http.Header{"Content-Type": {ctype}}
		if err := h.spec.ValidateResponse(r.Context(), r, status, hdr, body); err != nil {
			derr := driftError(r, status, err)
			h.mu.Lock()
			h.stats.Drift++
			h.mu.Unlock()
			if h.onDrift != nil {
				h.onDrift(derr)
			}
			status, ctype, body = http.StatusInternalServerError, "application/json", aivenError(http.StatusInternalServerError, derr.Error(), "")
			rec.Status = status
		}
	}
	if f == nil {
		f = &Fault{}
	}
	if ctype != "" {
		w.Header().Set("Content-Type", ctype)
	}
	size := int64(len(body))
	pad := max(f.Oversize-size, 0)
	if !f.Chunked {
		w.Header().Set("Content-Length", strconv.FormatInt(size+pad, 10))
	}
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	if f.Truncate {
		// Half of what was announced, then the connection ends.
		half := (size + pad) / 2
		if err := writePadding(w, min(pad, half)); err == nil && half > pad {
			_, _ = w.Write(body[:half-pad])
		}
		_ = http.NewResponseController(w).Flush()
		abort(w)
		return
	}
	if err := writePadding(w, pad); err != nil {
		return
	}
	_, _ = w.Write(body)
}

var spaces = bytes.Repeat([]byte(" "), 32<<10)

// writePadding writes n spaces, stopping at the first failed write (the
// client hung up).
func writePadding(w io.Writer, n int64) error {
	for n > 0 {
		chunk := spaces[:min(n, int64(len(spaces)))]
		if _, err := w.Write(chunk); err != nil {
			return err
		}
		n -= int64(len(chunk))
	}
	return nil
}

// abort ends the connection without (more of) an answer: hijacked and
// closed where the server allows it (through wrappers that have Unwrap),
// otherwise by the panic net/http reserves for it.
func abort(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		_ = conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
}

// wait waits d, and reports false when the request's context ended or the
// Handler was closed first.
func (h *Handler) wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-h.stop:
		return false
	}
}

// aivenError returns Aiven's JSON error body.
func aivenError(status int, msg, code string) []byte {
	type detail struct {
		ErrorCode string `json:"error_code,omitempty"`
		Message   string `json:"message"`
		Status    int    `json:"status"`
	}
	b, _ := json.Marshal(struct {
		Errors  []detail `json:"errors"`
		Message string   `json:"message"`
	}{[]detail{{code, msg, status}}, msg})
	return b
}

// htmlPage returns an error page like the ones of the nginx proxies in
// front of many APIs.
func htmlPage(status int, extra string) []byte {
	title := fmt.Sprintf("%d %s", status, http.StatusText(status))
	var b strings.Builder
	b.WriteString("<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n")
	b.WriteString("<center><h1>" + title + "</h1></center>\r\n")
	if extra != "" {
		b.WriteString("<p>" + extra + "</p>\r\n")
	}
	b.WriteString("<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
	return []byte(b.String())
}

// finish counts an answered request and adds it to the log.
func (h *Handler) finish(rec Record, rejected bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if rejected {
		h.stats.Rejected++
	}
	if rec.Fault != "" {
		h.stats.Faults[rec.Fault]++
	}
	h.stats.Statuses[rec.Status]++
	if len(h.log) < h.logMax {
		h.log = append(h.log, rec)
		return
	}
	h.log[h.logNext] = rec
	h.logNext = (h.logNext + 1) % len(h.log)
}

// Stats counts what a Handler has served.
type Stats struct {
	// Requests counts every request received.
	Requests int
	// Paths counts requests by URL path; requests for paths the fake does
	// not serve count under OtherPaths.
	Paths map[string]int
	// Faults counts the faults served, by Fault.String().
	Faults map[string]int
	// Statuses counts answers by status code; 0 counts connections closed
	// without an answer (Drop, or a client that gave up during a Delay).
	Statuses map[int]int
	// Rejected counts requests answered 400, 401, 404 or 405 because
	// they broke openapi.yaml or lacked the token.
	Rejected int
	// Drift counts answers replaced by a 500 because they broke
	// openapi.yaml.
	Drift int
}

// Stats returns a copy of the counts so far.
func (h *Handler) Stats() Stats {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.stats
	s.Paths = cloneMap(s.Paths)
	s.Faults = cloneMap(s.Faults)
	s.Statuses = cloneMap(s.Statuses)
	return s
}

func cloneMap[K comparable](m map[K]int) map[K]int {
	out := make(map[K]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// OtherPaths is the key under which Stats.Paths counts requests for paths
// the fake does not serve.
const OtherPaths = "(other)"

// Requests returns how many requests to path were received.
func (h *Handler) Requests(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stats.Paths[path]
}

// Record is one request as the fake saw it.
type Record struct {
	// Time is when the request arrived.
	Time time.Time
	// Method and Path are the request's.
	Method, Path string
	// Authorized reports whether it carried "aivenv1 <token>".
	Authorized bool
	// Fault names the fault served, or is empty.
	Fault string
	// Status is the answer's status code; 0 when the connection was
	// closed without one.
	Status int
}

// Log returns the latest requests (Config.LogSize of them), ordered by
// arrival time.
func (h *Handler) Log() []Record {
	h.mu.Lock()
	out := append([]Record(nil), h.log...)
	h.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}
