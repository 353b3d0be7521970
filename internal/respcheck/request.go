package respcheck

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// operation is one operation of the description.
type operation struct {
	method, path, id string
	segs             []string // path split at "/"; "{name}" for a parameter
	params           []param
	token            Token
	responses        map[string]map[string]*schema // status → media type → body
}

// param is a path or query parameter.
type param struct {
	name, in string
	required bool
	schema   *schema // nil: any value
}

// Token says what credential an operation asks for.
type Token int

// What an operation's security requirements ask for.
const (
	// TokenNone: no security requirement.
	TokenNone Token = iota
	// TokenOptional: one alternative asks for nothing ({}), another for a
	// token; a token that is sent must be right.
	TokenOptional
	// TokenRequired: every alternative asks for a token.
	TokenRequired
)

// Operation is the operation a request is for.
type Operation struct {
	// ID is the operationId, such as "ListProjectClouds".
	ID string
	// Method and Path are the operation's, Path as the description writes
	// it ("/v1/project/{project}/clouds").
	Method, Path string
	// Params holds the path parameters of the request, by name, decoded.
	Params map[string]string
	// Token is what the operation asks for; the Checker never sees the
	// credential itself.
	Token Token
}

// The errors of Route for a request that is for no operation.
var (
	ErrNotFound         = errors.New("respcheck: no path of the description matches")
	ErrMethodNotAllowed = errors.New("respcheck: the description has no operation for this method on this path")
)

// Route finds the operation for method and a request's escaped path
// (url.URL.EscapedPath, such as "/v1/project/p1/clouds"). A path parameter
// matches one non-empty path segment; a literal segment wins over a
// parameter. The error wraps ErrNotFound or ErrMethodNotAllowed.
func (c *Checker) Route(method, path string) (*Operation, error) {
	op, params, pathKnown := c.match(method, path)
	switch {
	case op != nil:
		return &Operation{ID: op.id, Method: op.method, Path: op.path, Params: params, Token: op.token}, nil
	case pathKnown:
		return nil, fmt.Errorf("%w: %s %s", ErrMethodNotAllowed, method, path)
	}
	return nil, fmt.Errorf("%w: %s", ErrNotFound, path)
}

// Methods returns the methods the description has operations for on a
// request's path, for an Allow header; none when no path matches.
func (c *Checker) Methods(path string) []string {
	var out []string
	for _, op := range c.ops {
		if _, ok := op.matchPath(splitPath(path)); ok && !slices.Contains(out, op.method) {
			out = append(out, op.method)
		}
	}
	slices.Sort(out)
	return out
}

// CheckRequest finds the operation of r (as Route) and returns how its
// parameters differ from the description: a path or query parameter of
// the wrong type, a required one missing. Query parameters the operation
// does not declare are allowed, as servers ignore them. The credential is
// not checked: Operation.Token says what the operation asks for.
func (c *Checker) CheckRequest(r *http.Request) (*Operation, []Mismatch, error) {
	op, err := c.Route(r.Method, r.URL.EscapedPath())
	if err != nil {
		return nil, nil, err
	}
	o, _, _ := c.match(r.Method, r.URL.EscapedPath())
	query := r.URL.Query()
	var out []Mismatch
	for _, p := range o.params {
		var values []string
		switch p.in {
		case "path":
			values = []string{op.Params[p.name]}
		case "query":
			values = query[p.name]
		}
		if len(values) == 0 {
			if p.required {
				out = append(out, Mismatch{Field: p.in + " " + p.name, Expected: "a required parameter", Got: "absent"})
			}
			continue
		}
		if p.schema == nil {
			continue
		}
		for _, v := range values {
			var got []Mismatch
			p.schema.check(p.schema.fromText(v), "", &got)
			for _, m := range got {
				m.Field = p.in + " " + p.name
				out = append(out, m)
			}
		}
	}
	return op, out, nil
}

// fromText turns a parameter's text into the JSON value its schema's type
// asks for, or leaves it a string (which the check then reports).
func (s *schema) fromText(v string) any {
	switch s.typ {
	case "boolean":
		if b, err := strconv.ParseBool(v); err == nil && (v == "true" || v == "false") {
			return b
		}
	case "integer", "number":
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f
		}
	}
	return v
}

// match finds the operation for method and path, with its decoded path
// parameters; pathKnown reports whether some operation has the path.
func (c *Checker) match(method, path string) (op *operation, params map[string]string, pathKnown bool) {
	segs := splitPath(path)
	best := -1
	for _, o := range c.ops {
		p, ok := o.matchPath(segs)
		if !ok {
			continue
		}
		pathKnown = true
		if o.method != method {
			continue
		}
		if len(p) < best || best < 0 {
			op, params, best = o, p, len(p)
		}
	}
	return op, params, pathKnown
}

func splitPath(path string) []string { return strings.Split(path, "/") }

// matchPath matches the segments of a request's escaped path.
func (o *operation) matchPath(segs []string) (map[string]string, bool) {
	if len(segs) != len(o.segs) {
		return nil, false
	}
	var params map[string]string
	for i, t := range o.segs {
		name, isParam := paramName(t)
		if !isParam {
			if segs[i] != t {
				return nil, false
			}
			continue
		}
		v, err := url.PathUnescape(segs[i])
		if err != nil || v == "" {
			return nil, false
		}
		if params == nil {
			params = map[string]string{}
		}
		params[name] = v
	}
	return params, true
}

func paramName(seg string) (string, bool) {
	if len(seg) > 2 && seg[0] == '{' && seg[len(seg)-1] == '}' {
		return seg[1 : len(seg)-1], true
	}
	return "", false
}

// template splits a path of the description, refusing parameters that do
// not fill a whole segment.
func template(path string) ([]string, error) {
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("respcheck: path %q does not start with /", path)
	}
	segs := splitPath(path)
	for _, s := range segs {
		if _, ok := paramName(s); !ok && strings.ContainsAny(s, "{}") {
			return nil, fmt.Errorf("respcheck: path %s: a parameter must be a whole segment", path)
		}
	}
	return segs, nil
}

// checkPathParams requires a declared path parameter for each one in the
// path, and no other.
func (o *operation) checkPathParams() error {
	var inPath []string
	for _, s := range o.segs {
		if name, ok := paramName(s); ok {
			inPath = append(inPath, name)
		}
	}
	for _, p := range o.params {
		if p.in == "path" && !slices.Contains(inPath, p.name) {
			return fmt.Errorf("respcheck: %s %s: path parameter %q is not in the path", o.method, o.path, p.name)
		}
	}
	for _, name := range inPath {
		if !slices.ContainsFunc(o.params, func(p param) bool { return p.in == "path" && p.name == name }) {
			return fmt.Errorf("respcheck: %s %s: path parameter %q is not declared", o.method, o.path, name)
		}
	}
	return nil
}

// parameters compiles an operation's parameters, resolving references to
// #/components/parameters/.
func (c *compiler) parameters(raw any, components map[string]map[string]any, where string) ([]param, error) {
	if raw == nil {
		return nil, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("respcheck: %s: parameters must be a list", where)
	}
	var out []param
	for _, item := range list {
		m := asMap(item)
		if ref, ok := m["$ref"].(string); ok {
			name, ok := strings.CutPrefix(ref, "#/components/parameters/")
			if !ok || components[name] == nil {
				return nil, fmt.Errorf("respcheck: %s: parameter $ref %q: only existing #/components/parameters/ are supported", where, ref)
			}
			m = components[name]
		}
		p := param{}
		p.name, _ = m["name"].(string)
		p.in, _ = m["in"].(string)
		p.required, _ = m["required"].(bool)
		at := where + " parameter " + p.name
		if p.in != "path" && p.in != "query" {
			// Header and cookie parameters would go unchecked.
			return nil, fmt.Errorf("respcheck: %s: parameters in %q are not supported", at, p.in)
		}
		for key := range m {
			switch key {
			case "name", "in", "required", "schema", "description", "example", "deprecated":
			default:
				if !strings.HasPrefix(key, "x-") {
					return nil, fmt.Errorf("respcheck: %s: keyword %q is not supported", at, key)
				}
			}
		}
		if s, ok := m["schema"]; ok {
			var err error
			if p.schema, err = c.compile(s, at); err != nil {
				return nil, err
			}
			if t := p.schema.typ; t == "object" || t == "array" {
				return nil, fmt.Errorf("respcheck: %s: %s parameters are not supported", at, t)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// securityList reads an operation's security requirements.
func securityList(raw any, where string) ([]map[string][]string, error) {
	list, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("respcheck: %s: security must be a list", where)
	}
	out := make([]map[string][]string, 0, len(list))
	for _, alt := range list {
		req := map[string][]string{}
		for name := range asMap(alt) {
			req[name] = nil // scopes are OAuth's business
		}
		if alt != nil && asMap(alt) == nil {
			return nil, fmt.Errorf("respcheck: %s: a security requirement must be an object", where)
		}
		out = append(out, req)
	}
	return out, nil
}

// tokenNeed is what a list of security requirements asks for. Every
// scheme named must be a token in the Authorization header (an apiKey
// named Authorization, or http bearer), the only kind of credential the
// callers of this package tell apart.
func tokenNeed(security []map[string][]string, schemes map[string]map[string]any, where string) (Token, error) {
	if len(security) == 0 {
		return TokenNone, nil
	}
	optional := false
	for _, req := range security {
		if len(req) == 0 {
			optional = true
			continue
		}
		for name := range req {
			s := schemes[name]
			switch {
			case s == nil:
				return 0, fmt.Errorf("respcheck: %s: security scheme %q is not defined", where, name)
			case s["type"] == "apiKey" && s["in"] == "header" && strings.EqualFold(fmt.Sprint(s["name"]), "Authorization"):
			case s["type"] == "http" && strings.EqualFold(fmt.Sprint(s["scheme"]), "bearer"):
			default:
				return 0, fmt.Errorf("respcheck: %s: security scheme %q is not a token in the Authorization header", where, name)
			}
		}
	}
	if optional {
		return TokenOptional, nil
	}
	return TokenRequired, nil
}
