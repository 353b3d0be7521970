// Package oas validates HTTP requests and responses against openapi.yaml,
// the description package api is generated from, with kin-openapi. Only
// tests import it: it is the oracle that internal/respcheck, the checker
// the fake server (apitest) and the response validator (validate) run
// with, is held to, and it is internal because it exposes kin-openapi
// types. TestLibraryDependencies in apitest keeps it out of both.
package oas

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	aivenapi "github.com/aivenapi/aivenapi"
	"github.com/aivenapi/aivenapi/internal/respcheck"
)

// Spec is openapi.yaml, validated, with a router that matches a request by
// method and path whatever its host (so loopback test servers match too).
// It is safe for concurrent use.
type Spec struct {
	// Doc is the loaded description. Do not modify it.
	Doc    *openapi3.T
	router routers.Router
}

var load = sync.OnceValues(func() (*Spec, error) { return Parse(aivenapi.OpenAPI()) })

// Load returns the embedded openapi.yaml, loaded and validated once.
func Load() (*Spec, error) { return load() }

func init() {
	// The default responses declare text/html for proxies' error pages.
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
}

// Parse loads and validates an OpenAPI description (JSON or YAML).
func Parse(data []byte) (*Spec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("oas: load: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("oas: invalid description: %w", err)
	}
	// Route on paths alone: the server URL names the production host.
	routed := *doc
	routed.Servers = nil
	router, err := gorillamux.NewRouter(&routed)
	if err != nil {
		return nil, fmt.Errorf("oas: router: %w", err)
	}
	return &Spec{Doc: doc, router: router}, nil
}

// ErrNoRoute is wrapped by the error for a request that matches no
// operation of the description.
var ErrNoRoute = errors.New("oas: no operation for this method and path")

// Route finds the operation a request is for.
func (s *Spec) Route(req *http.Request) (*routers.Route, map[string]string, error) {
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s %s", ErrNoRoute, req.Method, req.URL.Path)
	}
	return route, params, nil
}

// TokenCheck decides whether the value of a security scheme is acceptable.
// scheme is the scheme's name in the description ("tokenAuth"); value is
// what the request carries for it (for tokenAuth, the whole Authorization
// header). A nil TokenCheck accepts any present value.
type TokenCheck func(scheme, value string) error

// ValidateRequest checks that req is an operation of the description, with
// valid parameters and a credential satisfying its security requirements.
// The request body, if any, is left readable.
func (s *Spec) ValidateRequest(ctx context.Context, req *http.Request, check TokenCheck) error {
	route, params, err := s.Route(req)
	if err != nil {
		return err
	}
	input := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			MultiError: true,
			AuthenticationFunc: func(_ context.Context, in *openapi3filter.AuthenticationInput) error {
				return authenticate(in, check)
			},
		},
	}
	return openapi3filter.ValidateRequest(ctx, input)
}

func authenticate(in *openapi3filter.AuthenticationInput, check TokenCheck) error {
	scheme := in.SecurityScheme
	req := in.RequestValidationInput.Request
	var value string
	switch {
	case scheme.Type == "apiKey" && scheme.In == "header":
		value = req.Header.Get(scheme.Name)
	case scheme.Type == "apiKey" && scheme.In == "query":
		value = req.URL.Query().Get(scheme.Name)
	case scheme.Type == "http":
		value = req.Header.Get("Authorization")
	default:
		return fmt.Errorf("security scheme %q of type %q is not supported", in.SecuritySchemeName, scheme.Type)
	}
	if value == "" {
		return fmt.Errorf("no credential for security scheme %q", in.SecuritySchemeName)
	}
	if check == nil {
		return nil
	}
	return check(in.SecuritySchemeName, value)
}

// ValidateResponse checks a response to req against the description: its
// status, content type and body.
func (s *Spec) ValidateResponse(ctx context.Context, req *http.Request, status int, header http.Header, body []byte) error {
	route, params, err := s.Route(req)
	if err != nil {
		return err
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    req,
			PathParams: params,
			Route:      route,
			Options:    &openapi3filter.Options{ExcludeRequestBody: true},
		},
		Status:  status,
		Header:  header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true},
	}
	// kin-openapi decodes the first JSON value of a body and ignores what
	// follows it, which every client, this one included, rejects. What it
	// would find in that first value means nothing then.
	if mt, _, err := mime.ParseMediaType(header.Get("Content-Type")); err == nil && respcheck.IsJSON(mt) && !json.Valid(body) {
		var v any
		return &bodyError{json.Unmarshal(body, &v)}
	}
	return openapi3filter.ValidateResponse(ctx, in)
}

// bodyError is a JSON body that is not exactly one JSON value.
type bodyError struct{ err error }

func (e *bodyError) Error() string { return "response body is not valid JSON: " + e.err.Error() }

// Mismatch is one way a value differs from the description, as package
// respcheck, the validator without kin-openapi, reports it too.
type Mismatch = respcheck.Mismatch

// Mismatches turns a validation error into its single mismatches.
func Mismatches(err error) []Mismatch {
	if err == nil {
		return nil
	}
	var out []Mismatch
	var walk func(error)
	walk = func(err error) {
		var be *bodyError
		if errors.As(err, &be) {
			out = append(out, respcheck.InvalidJSON(be.err))
			return
		}
		var multi openapi3.MultiError
		if errors.As(err, &multi) {
			for _, e := range multi {
				walk(e)
			}
			return
		}
		var se *openapi3.SchemaError
		if errors.As(err, &se) {
			if inner, ok := se.Origin.(openapi3.MultiError); ok {
				walk(inner)
				return
			}
			m := Mismatch{
				Field:    "/" + strings.Join(se.JSONPointer(), "/"),
				Expected: expected(se),
				Got:      respcheck.Describe(se.Value),
			}
			if se.SchemaField == "required" {
				m.Expected, m.Got = "a required field", "absent"
			}
			out = append(out, m)
			return
		}
		var re *openapi3filter.ResponseError
		if errors.As(err, &re) && re.Err != nil && re.Err != err {
			walk(re.Err)
			return
		}
		out = append(out, Mismatch{Expected: err.Error()})
	}
	walk(err)
	return out
}

func expected(se *openapi3.SchemaError) string {
	if se.SchemaField == "" {
		return se.Reason
	}
	if se.Schema != nil {
		switch se.SchemaField {
		case "nullable":
			return "a value, not null"
		case "type":
			if se.Schema.Type != nil {
				return "type " + strings.Join(se.Schema.Type.Slice(), "|")
			}
		}
	}
	return se.SchemaField + ": " + se.Reason
}
