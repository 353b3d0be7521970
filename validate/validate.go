// Package validate checks live API responses against openapi.yaml, the
// description the client in package api is generated from, so that drift
// between Aiven's API and this client shows up the day it happens.
//
// A Validator is an HTTP doer that wraps another: it validates every response
// to an operation of the description and reports each mismatch (field,
// expected, got). By default it only reports; with Options.Strict a response
// that drifted fails the call. Wire it into the client under api.New, which
// then validates every attempt:
//
//	v, err := validate.New(http.DefaultClient, validate.Options{})
//	c, err := api.New(api.WithHTTPClient(v), api.WithRequestEditorFn(auth.Aiven(token)))
//
// It checks with a small validator of its own (internal/respcheck) rather
// than kin-openapi, whose package initialisation would cost every program
// that links this package, aivenctl among them, about 5 ms at start-up.
//
// Checking costs a second decode of each body: about 1.2 ms for a list of
// 150 clouds, three times the call itself (BenchmarkCheck in
// internal/respcheck; see BENCHMARKS.md). It is meant for CI and for
// watching drift, not for a hot path.
package validate

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	aivenapi "github.com/aivenapi/aivenapi"
	"github.com/aivenapi/aivenapi/internal/respcheck"
	"github.com/aivenapi/aivenapi/internal/secret"
)

// Doer sends an HTTP request, as *http.Client and api.HttpRequestDoer do.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Mismatch is one way a response differs from openapi.yaml.
type Mismatch struct {
	// Method and Path name the request (the path only, never the query).
	Method, Path string
	// Status is the response's HTTP status code.
	Status int
	// Field is the JSON pointer of the value in the body, such as
	// "/clouds/3/geo_latitude"; empty for the response as a whole.
	Field string
	// Expected is what the description asks for, such as "type number".
	Expected string
	// Got is a short description of what came, such as `string "53.1"`.
	Got string
}

// String returns "GET /v1/clouds (HTTP 200) /clouds/3/geo_latitude: expected type number, got string".
func (m Mismatch) String() string {
	s := respcheck.Mismatch{Field: m.Field, Expected: m.Expected, Got: m.Got}.String()
	return fmt.Sprintf("%s %s (HTTP %d) %s", m.Method, m.Path, m.Status, s)
}

// Error is returned, in strict mode, for a response that drifted.
type Error struct {
	Mismatches []Mismatch
}

// Error lists the first mismatches on one line.
func (e *Error) Error() string {
	var b strings.Builder
	places := "places"
	if len(e.Mismatches) == 1 {
		places = "place"
	}
	fmt.Fprintf(&b, "validate: response differs from openapi.yaml in %d %s", len(e.Mismatches), places)
	for i, m := range e.Mismatches {
		if i == 3 {
			b.WriteString("; …")
			break
		}
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(m.String())
	}
	return b.String()
}

// Options configure a Validator. The zero value logs each mismatch with
// slog.Default at level Warn and never fails a call.
type Options struct {
	// Report is called with the mismatches of each response that drifted,
	// possibly from several goroutines at once. nil logs them.
	Report func(context.Context, []Mismatch)
	// Strict makes a response that drifted fail the call with an *Error
	// (the response body is closed).
	Strict bool
	// MaxBody is the largest body validated (default 32 MiB); a larger body
	// passes through unvalidated and is reported as such.
	MaxBody int64
}

// Validator is a Doer that validates the responses of the Doer it wraps.
// It is safe for concurrent use if that Doer is.
type Validator struct {
	next Doer
	spec *respcheck.Checker
	opts Options
}

// New returns a Validator around next (when nil, the HTTP client api.New
// uses by default).
func New(next Doer, opts Options) (*Validator, error) {
	spec, err := respcheck.New(aivenapi.OpenAPI())
	if err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	if next == nil {
		next = secret.NewHTTPClient(nil)
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = 32 << 20
	}
	if opts.Report == nil {
		opts.Report = logMismatches
	}
	return &Validator{next: next, spec: spec, opts: opts}, nil
}

// Do sends req through the wrapped Doer and validates the response. The
// response returned carries the whole body, as received.
func (v *Validator) Do(req *http.Request) (*http.Response, error) {
	resp, err := v.next.Do(req)
	if err != nil || resp == nil {
		return resp, err
	}
	path := operationPath(req)
	if !v.spec.Knows(req.Method, path) {
		return resp, nil // not an operation of openapi.yaml: nothing to check
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, v.opts.MaxBody+1))
	rest := resp.Body
	resp.Body = readCloser{io.MultiReader(bytes.NewReader(body), rest), rest}
	if rerr != nil {
		return resp, nil // the caller meets the read error itself
	}
	base := Mismatch{Method: req.Method, Path: path, Status: resp.StatusCode}
	if int64(len(body)) > v.opts.MaxBody {
		m := base
		m.Expected = fmt.Sprintf("a body of at most %d bytes to validate", v.opts.MaxBody)
		m.Got = "a larger body, not validated"
		v.opts.Report(req.Context(), []Mismatch{m})
		return resp, nil
	}
	mismatches := v.spec.Check(req.Method, path, resp.StatusCode, resp.Header, body)
	if len(mismatches) == 0 {
		return resp, nil
	}
	set := secret.ForRequest(req)
	var found []Mismatch
	for _, om := range mismatches {
		m := base
		m.Field, m.Expected, m.Got = set.Text(om.Field), set.Text(om.Expected), set.Text(om.Got)
		found = append(found, m)
	}
	v.opts.Report(req.Context(), found)
	if v.opts.Strict {
		resp.Body.Close()
		return nil, &Error{Mismatches: found}
	}
	return resp, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// operationPath returns req's path as the description names it: from the
// /v1 of its path, whatever base path the client was given.
func operationPath(req *http.Request) string {
	path := req.URL.Path
	if i := strings.Index(path, "/v1/"); i > 0 {
		path = path[i:]
	}
	return path
}

func logMismatches(ctx context.Context, ms []Mismatch) {
	for _, m := range ms {
		slog.Default().LogAttrs(ctx, slog.LevelWarn, "response differs from openapi.yaml",
			slog.String("method", m.Method), slog.String("path", m.Path), slog.Int("status", m.Status),
			slog.String("field", m.Field), slog.String("expected", m.Expected), slog.String("got", m.Got))
	}
}
