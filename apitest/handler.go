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

	aivenapi "github.com/aivenapi/aivenapi"
	"github.com/aivenapi/aivenapi/internal/respcheck"
)

// The paths the fake serves, one per operation of openapi.yaml, as the
// description writes them. Stats, Requests and Inject name an operation by
// its path, so requests for every project count under
// PathListProjectClouds.
const (
	PathUserInfo          = "/v1/me"                       // operation UserInfo; needs the token
	PathProjectList       = "/v1/project"                  // operation ProjectList; needs the token
	PathListClouds        = "/v1/clouds"                   // operation ListClouds; token optional
	PathListProjectClouds = "/v1/project/{project}/clouds" // operation ListProjectClouds; needs the token
)

// Config configures a Handler. The zero Config serves the default data to
// a random token.
type Config struct {
	// Token is the API token the fake accepts, as Aiven accepts one:
	// "Authorization: aivenv1 <Token>" or "Authorization: Bearer <Token>"
	// (the scheme in any case). Empty means a random token, which
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

	// ListProjectClouds is the body of the 200 answer to GET
	// /v1/project/{project}/clouds for each project that the ProjectList
	// body lists; nil means the ListClouds body. A project it does not
	// list is answered 404 with Aiven's error body, as is an empty
	// project name (/v1/project//clouds, what avn asks for when no
	// project is given).
	ListProjectClouds []byte

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
	check    *respcheck.Checker
	token    string
	bodies   map[string]*fixture // by operation path
	projects map[string]bool     // the project names of the ProjectList body
	faults   func(*http.Request, int) *Fault
	onDrift  func(error)
	logf     func(string, ...any)

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
	check, err := loadChecker()
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
		check:   check,
		token:   token,
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
		{PathListProjectClouds, "ListProjectClouds", cfg.ListProjectClouds, nil},
	} {
		body := f.body
		if body == nil {
			body = f.def
		}
		if body == nil { // ListProjectClouds: the clouds
			body = h.bodies[PathListClouds].body
		}
		if !json.Valid(body) {
			return nil, fmt.Errorf("apitest: Config.%s is not valid JSON", f.name)
		}
		body = bytes.Clone(body)
		h.bodies[f.path] = &fixture{body: body, drift: h.checkFixture(f.path, body)}
	}
	h.projects = projectNames(h.bodies[PathProjectList].body)
	return h, nil
}

// projectNames returns the names of the projects of a ProjectList body,
// the projects whose clouds the fake lists; none when the body has no
// such list.
func projectNames(body []byte) map[string]bool {
	var list struct {
		Projects []struct {
			ProjectName string `json:"project_name"`
		} `json:"projects"`
	}
	_ = json.Unmarshal(body, &list) // a body that drifted has no projects
	names := map[string]bool{}
	for _, p := range list.Projects {
		names[p.ProjectName] = true
	}
	return names
}

// randomToken returns a token shaped like Aiven's: long and opaque.
func randomToken() string {
	b := make([]byte, 96)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawStdEncoding.EncodeToString(b)
}

// loadChecker reads the embedded openapi.yaml once.
var loadChecker = sync.OnceValues(func() (*respcheck.Checker, error) {
	return respcheck.New(aivenapi.OpenAPI())
})

// checkFixture checks a 200 body against the description.
func (h *Handler) checkFixture(path string, body []byte) error {
	hdr := http.Header{"Content-Type": {"application/json"}}
	if ms := h.check.Check(http.MethodGet, path, http.StatusOK, hdr, body); len(ms) > 0 {
		return driftError(http.MethodGet, path, http.StatusOK, ms)
	}
	return nil
}

// driftError describes how an answer differs from the description.
func driftError(method, path string, status int, ms []respcheck.Mismatch) error {
	var parts []string
	for i, m := range ms {
		if i == 8 {
			parts = append(parts, fmt.Sprintf("and %d more", len(ms)-i))
			break
		}
		parts = append(parts, m.String())
	}
	return fmt.Errorf("apitest: the %d answer to %s %s does not match openapi.yaml: %s",
		status, method, path, strings.Join(parts, "; "))
}

// CheckFixtures reports how the configured bodies differ from
// openapi.yaml, or nil when they all match. A drifted body is answered
// with a 500 whether or not this is called; cmd/aivenfake calls it to
// refuse to start.
func (h *Handler) CheckFixtures() error {
	var errs []error
	for _, p := range []string{PathUserInfo, PathProjectList, PathListClouds, PathListProjectClouds} {
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
	rec.Authorized = h.authorized(authz)
	op, params, routeErr := h.check.CheckRequest(r)

	// Requests count under the operation's path ("/v1/project/{project}/clouds"),
	// and paths outside the description share one count, so that a
	// long-running fake probed with random paths keeps a bounded map.
	key := OtherPaths
	switch {
	case op != nil:
		key = op.Path
	case h.bodies[r.URL.Path] != nil:
		key = r.URL.Path
	}
	h.mu.Lock()
	h.stats.Requests++
	h.stats.Paths[key]++
	n := h.stats.Paths[key]
	h.mu.Unlock()

	if status, msg, reason := h.checkRequest(op, params, routeErr, authz, rec.Authorized); status != 0 {
		if h.logf != nil {
			h.logf("apitest: %s %s: %d: %s", r.Method, r.URL.EscapedPath(), status, reason) // as sent: no control character reaches the log
		}
		if status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", strings.Join(h.check.Methods(r.URL.EscapedPath()), ", "))
		}
		rec.Status = status
		// Answers to requests for no operation have no description to match.
		h.send(w, r, &rec, nil, op, status, "application/json", aivenError(status, msg, ""), op != nil, true)
		return
	}

	f := h.nextFault(key, r, n)
	if f != nil {
		rec.Fault = f.String()
	}
	h.serve(w, r, &rec, op, f)
}

// authorized reports whether the Authorization headers are exactly one
// "aivenv1 <token>" or "Bearer <token>", the scheme in any case.
func (h *Handler) authorized(values []string) bool {
	if len(values) != 1 {
		return false
	}
	scheme, tok, _ := strings.Cut(values[0], " ")
	ok := strings.EqualFold(scheme, "aivenv1") || strings.EqualFold(scheme, "bearer")
	return subtle.ConstantTimeCompare([]byte(tok), []byte(h.token)) == 1 && ok
}

// checkRequest returns the status, message and log reason of a request
// that breaks the description, or 0 for a valid one. The message, sent to
// the client, says what was wrong without repeating any credential.
func (h *Handler) checkRequest(op *respcheck.Operation, ms []respcheck.Mismatch, routeErr error, authz []string, valid bool) (status int, msg, reason string) {
	switch {
	case errors.Is(routeErr, respcheck.ErrMethodNotAllowed):
		return http.StatusMethodNotAllowed, "Method not allowed", "no such operation on this path in openapi.yaml"
	case routeErr != nil:
		return http.StatusNotFound, "Not found", "no such path in openapi.yaml"
	case op.Token == respcheck.TokenNone:
	case len(authz) == 0 && op.Token == respcheck.TokenRequired:
		return http.StatusUnauthorized, "Missing (expired) db token: the request has no Authorization header", "no Authorization header"
	case len(authz) > 0 && !valid:
		// A token that is present must be right even where the
		// description also allows none (security [{}, tokenAuth]).
		why := describeAuth(authz, h.token)
		return http.StatusUnauthorized, "Invalid token: " + why, why
	}
	if len(ms) > 0 {
		var parts []string
		for _, m := range ms {
			parts = append(parts, m.String())
		}
		return http.StatusBadRequest, "Invalid request: " + strings.Join(parts, "; "), "request does not match openapi.yaml"
	}
	return 0, "", ""
}

// describeAuth says what is wrong with Authorization headers without
// repeating any part of them that may be secret: only a scheme from a
// short list of well-known ones is named.
func describeAuth(values []string, token string) string {
	if len(values) > 1 {
		return fmt.Sprintf("%d Authorization headers, want one", len(values))
	}
	scheme, rest, found := strings.Cut(values[0], " ")
	known := ""
	for _, s := range []string{"aivenv1", "Bearer", "Basic", "apiToken", "token", "Digest"} {
		if strings.EqualFold(scheme, s) {
			known = s
		}
	}
	switch {
	case !found || known == "":
		return `Authorization is not "aivenv1 <token>" nor "Bearer <token>"`
	case known != "aivenv1" && known != "Bearer":
		return fmt.Sprintf(`Authorization uses scheme %q, want "aivenv1 <token>" or "Bearer <token>"`, scheme)
	case rest != strings.TrimSpace(rest) || strings.TrimSpace(rest) == token:
		return "white space around the token"
	}
	return fmt.Sprintf("%s with a token this server does not accept", scheme)
}

// nextFault takes the fault for a valid request to the operation path
// key: the path's queue first, then Config.Faults.
func (h *Handler) nextFault(key string, r *http.Request, n int) *Fault {
	h.mu.Lock()
	if q := h.queue[key]; len(q) > 0 {
		f := q[0]
		if len(q) == 1 {
			delete(h.queue, key)
		} else {
			h.queue[key] = q[1:]
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
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, rec *Record, op *respcheck.Operation, f *Fault) {
	if f == nil {
		f = &Fault{}
	}
	if f.Delay > 0 && !h.wait(r.Context(), f.Delay) {
		// The client gave up or the server is closing: nobody reads an answer.
		h.finish(*rec, false)
		abort(w)
		return
	}
	if f.Drop {
		h.finish(*rec, false)
		abort(w)
		return
	}
	fx := h.bodies[op.Path]
	status, ctype, body, check := http.StatusOK, "application/json", fx.body, false
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
	case op.ID == "ListProjectClouds" && !h.projects[op.Params["project"]]:
		status, check = http.StatusNotFound, true
		body = aivenError(status, "Project does not exist", "project_not_found")
	default:
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
	h.send(w, r, rec, f, op, status, ctype, body, check, false)
}

// echoed returns what an echoing server repeats of the request.
func echoed(r *http.Request, echo bool) string {
	if !echo {
		return ""
	}
	return "request had Authorization: " + r.Header.Get("Authorization")
}

// send checks an answer the fake built against the description (when
// check is set), records it (finish; rejected counts a request refused
// before any fault) and writes it, cut short or padded as f says.
func (h *Handler) send(w http.ResponseWriter, r *http.Request, rec *Record, f *Fault, op *respcheck.Operation, status int, ctype string, body []byte, check, rejected bool) {
	if check {
		hdr := http.Header{"Content-Type": {ctype}}
		if ms := h.check.Check(r.Method, r.URL.EscapedPath(), status, hdr, body); len(ms) > 0 {
			derr := driftError(r.Method, op.Path, status, ms)
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
	// Counted and logged before the first byte goes out, so that a client
	// that has its answer finds it in Stats and Log.
	h.finish(*rec, rejected)
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
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // "<token>" reads better than "\u003ctoken\u003e"
	_ = enc.Encode(struct {
		Errors  []detail `json:"errors"`
		Message string   `json:"message"`
	}{[]detail{{code, msg, status}}, msg}) // cannot fail
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
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

// finish counts an answered request and adds it to the log. It runs
// before the answer is sent (or the connection dropped).
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
	// Authorized reports whether it carried the token, as "aivenv1
	// <token>" or "Bearer <token>".
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
