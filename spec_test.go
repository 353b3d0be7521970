package aivenapi_test

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/internal/oas"
)

// upstreamCopy is the upstream description openapi.yaml is derived from,
// beside the checkout where it is available (as in CI). It is reference
// data and never committed.
const upstreamCopy = "../shared/upstream/aiven-openapi-2026-06.json"

var operations = []struct{ id, method, path string }{
	{"UserInfo", "GET", "/v1/me"},
	{"ProjectList", "GET", "/v1/project"},
	{"ListClouds", "GET", "/v1/clouds"},
	{"ListProjectClouds", "GET", "/v1/project/{project}/clouds"},
}

// TestSpecFixesTraps checks, on the committed openapi.yaml, every fix the
// overlay promises: the spec is valid (kin-openapi), and right about reality.
func TestSpecFixesTraps(t *testing.T) {
	spec, err := oas.Load() // loads and validates with kin-openapi
	if err != nil {
		t.Fatal(err)
	}
	doc := spec.Doc
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "https://api.aiven.io" {
		t.Errorf("servers = %v, want https://api.aiven.io", doc.Servers)
	}
	// More operations may be kept (make update-spec KEEP=...): these must be.
	for _, op := range operations {
		if doc.Paths.Find(op.path) == nil {
			t.Errorf("path %s of %s is missing", op.path, op.id)
		}
	}
	for _, op := range operations {
		o := doc.Paths.Find(op.path).GetOperation(op.method)
		if o == nil || o.OperationID != op.id {
			t.Fatalf("%s %s: operation %v, want %s", op.method, op.path, o, op.id)
		}
		def := o.Responses.Default()
		if def == nil || def.Value.Content.Get("application/json") == nil || def.Value.Content.Get("text/html") == nil {
			t.Errorf("%s: no default response with Aiven's JSON error and an HTML page", op.id)
		} else if ref := def.Value.Content.Get("application/json").Schema.Ref; ref != "#/components/schemas/ErrorResponse" {
			t.Errorf("%s: default response schema %q, want ErrorResponse", op.id, ref)
		}
		var sec []string
		for _, req := range *o.Security {
			sec = append(sec, strings.Join(slices.Sorted(func(yield func(string) bool) {
				for k := range req {
					if !yield(k) {
						return
					}
				}
			}), "+"))
		}
		want := "tokenAuth"
		if op.id == "ListClouds" {
			want = "|tokenAuth" // no credential, or the token
		}
		if got := strings.Join(sec, "|"); got != want {
			t.Errorf("%s: security %q, want %q", op.id, got, want)
		}
		if got := o.Deprecated; got != (op.id == "ProjectList") {
			t.Errorf("%s: deprecated = %v", op.id, got)
		}
	}
	scheme := doc.Components.SecuritySchemes["tokenAuth"].Value
	if scheme.Type != "apiKey" || scheme.In != "header" || scheme.Name != "Authorization" {
		t.Errorf("tokenAuth = %+v, want the Authorization header", scheme)
	}

	times := []string{"create_time", "token_validity_begin", "invite_time", "trial_expiration_time"}
	nullable := []string{"account_id", "billing_extra_text", "card_info", "trial_expiration_time"}
	seen := map[string]bool{}
	visit(doc, func(path string, name string, s *openapi3.Schema) {
		if _, ok := s.Properties["ANY"]; ok {
			t.Errorf("%s: a property named ANY is left", path)
		}
		if len(s.Enum) > 0 {
			t.Errorf("%s: enum %v would make a new value fail", path, s.Enum)
		}
		if s.Type.Is("number") && s.Format != "double" {
			t.Errorf("%s: number without format double", path)
		}
		if slices.Contains(times, name) {
			seen["time "+name] = true
			if s.Extensions["x-go-type"] != "Time" || s.Format != "" {
				t.Errorf("%s: time field is %q with x-go-type %v, want an api.Time that keeps any string", path, s.Format, s.Extensions["x-go-type"])
			}
		}
		if slices.Contains(nullable, name) && strings.HasPrefix(path, "/v1/project 200 ") {
			seen["null "+name] = true
			if !s.Nullable {
				t.Errorf("%s: not nullable, but real responses carry null", path)
			}
		}
		if name == "projects" && s.Items != nil && slices.Contains(s.Items.Value.Required, "organization_id") {
			t.Errorf("%s: organization_id required, but real responses omit it", path)
		}
	})
	for _, n := range times {
		if !seen["time "+n] {
			t.Errorf("time field %s not found", n)
		}
	}
	for _, n := range nullable {
		if !seen["null "+n] {
			t.Errorf("nullable field %s not found", n)
		}
	}
}

// visit calls f for every schema of every response in doc.
func visit(doc *openapi3.T, f func(path, name string, s *openapi3.Schema)) {
	var walk func(path, name string, s *openapi3.SchemaRef)
	walk = func(path, name string, s *openapi3.SchemaRef) {
		if s == nil || s.Value == nil {
			return
		}
		f(path, name, s.Value)
		for k, p := range s.Value.Properties {
			walk(path+"/"+k, k, p)
		}
		walk(path+"/items", name, s.Value.Items)
		walk(path+"/*", name, s.Value.AdditionalProperties.Schema)
	}
	for p, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for code, r := range op.Responses.Map() {
				for ct, mt := range r.Value.Content {
					walk(p+" "+code+" "+ct, "", mt.Schema)
				}
			}
		}
	}
}

// TestAPIDependencies: a program that imports only api (or auth) links no
// kin-openapi, no YAML library and no generator code.
func TestAPIDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "./api", "./auth").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	var third []string
	for _, pkg := range strings.Fields(string(out)) {
		if strings.Contains(strings.SplitN(pkg, "/", 2)[0], ".") && !strings.HasPrefix(pkg, "github.com/aivenapi/aivenapi/") {
			third = append(third, pkg)
		}
	}
	// The runtime (and what it imports) binds path parameters
	// (/v1/project/{project}/clouds).
	if want := []string{
		"github.com/oapi-codegen/nullable",
		"github.com/apapsch/go-jsonmerge/v2",
		"github.com/google/uuid",
		"github.com/oapi-codegen/runtime/types",
		"github.com/oapi-codegen/runtime",
	}; !slices.Equal(slices.Sorted(slices.Values(third)), slices.Sorted(slices.Values(want))) {
		t.Errorf("api and auth link %v, want only %v", third, want)
	}
}

// TestCommandDependencies: aivenctl, which links validate for --validate,
// links no kin-openapi and no JSON Schema library, whose package
// initialisation would cost every run about 5 ms (internal/respcheck
// checks responses instead).
func TestCommandDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "./validate", "./cmd/aivenctl").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.Contains(pkg, "kin-openapi") || strings.Contains(pkg, "jsonschema") {
			t.Errorf("validate or aivenctl links %s", pkg)
		}
	}
}

// TestUpstreamValidResponsesDecode: every response the upstream description
// allows for the three operations decodes without error. Random responses,
// valid under the upstream schemas (any string in a time field, unknown
// fields, free-form objects holding anything, absent optional fields), are
// decoded into the generated types. Values beyond the listed enums, which
// upstream forbids but reality sends, are the contract tests' business.
func TestUpstreamValidResponsesDecode(t *testing.T) {
	if _, err := os.Stat(upstreamCopy); err != nil {
		t.Skipf("%s not found: %v", upstreamCopy, err)
	}
	doc, err := openapi3.NewLoader().LoadFromFile(upstreamCopy)
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string]func() any{
		"UserInfo":          func() any { return new(api.UserInfoResponse) },
		"ProjectList":       func() any { return new(api.ProjectListResponse) },
		"ListClouds":        func() any { return new(api.ListCloudsResponse) },
		"ListProjectClouds": func() any { return new(api.ListProjectCloudsResponse) },
	}
	n := 400
	if testing.Short() {
		n = 50
	}
	for _, op := range operations {
		t.Run(op.id, func(t *testing.T) {
			path := strings.TrimPrefix(op.path, "/v1")
			o := doc.Paths.Find(path).GetOperation(op.method)
			if o == nil || o.OperationID != op.id {
				t.Fatalf("upstream has no %s at %s", op.id, path)
			}
			schema := o.Responses.Status(200).Value.Content.Get("application/json").Schema.Value
			r := rand.New(rand.NewPCG(1, uint64(len(op.id))))
			for i := range n {
				v := instance(r, schema, 0)
				if err := schema.VisitJSON(v); err != nil {
					t.Fatalf("instance %d is not valid upstream (the generator is wrong): %v", i, err)
				}
				body, err := json.Marshal(v)
				if err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(body, targets[op.id]()); err != nil {
					t.Fatalf("a response valid upstream does not decode: %v\n%s", err, body)
				}
			}
		})
	}
}

// instance returns a random value valid under s. A property named ANY is
// read as upstream means it: the schema of every key of a map.
func instance(r *rand.Rand, s *openapi3.Schema, depth int) any {
	if len(s.Enum) > 0 {
		return s.Enum[r.IntN(len(s.Enum))]
	}
	switch {
	case s.Type.Is("object"):
		out := map[string]any{}
		if anyProp, ok := s.Properties["ANY"]; ok && len(s.Properties) == 1 {
			for range r.IntN(4) {
				out[randString(r, 1, 20)] = instance(r, anyProp.Value, depth+1)
			}
			return out
		}
		for name, p := range s.Properties {
			if slices.Contains(s.Required, name) || r.IntN(2) == 0 {
				out[name] = instance(r, p.Value, depth+1)
			}
		}
		if len(s.Properties) == 0 || r.IntN(4) == 0 {
			for range r.IntN(3) {
				out["x_"+randString(r, 1, 10)] = anyJSON(r, depth+1)
			}
		}
		return out
	case s.Type.Is("array"):
		n := r.IntN(4)
		if s.MaxItems != nil {
			n = min(n, int(*s.MaxItems))
		}
		out := make([]any, n)
		for i := range out {
			out[i] = instance(r, s.Items.Value, depth+1)
		}
		return out
	case s.Type.Is("string"):
		lo, hi := int(s.MinLength), 40
		if s.MaxLength != nil {
			hi = min(hi, int(*s.MaxLength))
		}
		return randString(r, lo, max(lo, hi))
	case s.Type.Is("integer"):
		lo, hi := -1000.0, 1e6
		if s.Min != nil {
			lo = *s.Min
		}
		if s.Max != nil {
			hi = *s.Max
		}
		return int64(lo) + r.Int64N(int64(hi-lo)+1)
	case s.Type.Is("number"):
		lo, hi := -180.0, 180.0
		if s.Min != nil {
			lo = *s.Min
		}
		if s.Max != nil {
			hi = *s.Max
		}
		return lo + r.Float64()*(hi-lo)
	case s.Type.Is("boolean"):
		return r.IntN(2) == 0
	}
	return anyJSON(r, depth)
}

func anyJSON(r *rand.Rand, depth int) any {
	k := r.IntN(7)
	if depth > 4 {
		k = r.IntN(4)
	}
	switch k {
	case 0:
		return nil
	case 1:
		return r.IntN(2) == 0
	case 2:
		return r.NormFloat64() * 1e6
	case 3:
		return randString(r, 0, 12)
	case 4:
		return []any{anyJSON(r, depth+1), anyJSON(r, depth+1)}
	default:
		return map[string]any{randString(r, 1, 6): anyJSON(r, depth+1)}
	}
}

var runes = []rune("abcxyzABC019 -_:./\"\\\t\nßÅø東京🦀\u00a0\u2028")

func randString(r *rand.Rand, lo, hi int) string {
	n := lo + r.IntN(hi-lo+1)
	var b strings.Builder
	for range n {
		b.WriteRune(runes[r.IntN(len(runes))])
	}
	return b.String()
}
