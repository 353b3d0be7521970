package respcheck_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	aivenapi "github.com/aivenapi/aivenapi"
	"github.com/aivenapi/aivenapi/internal/oas"
	"github.com/aivenapi/aivenapi/internal/respcheck"
)

// The tests hold the checker to kin-openapi (through internal/oas, which the
// fake server and the contract tests use) on the same responses.

func load(t testing.TB) (*respcheck.Checker, *oas.Spec) {
	t.Helper()
	c, err := respcheck.New(aivenapi.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	spec, err := oas.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c, spec
}

// kin returns kin-openapi's mismatches for a response, sorted.
func kin(t testing.TB, spec *oas.Spec, path string, status int, contentType string, body []byte) []respcheck.Mismatch {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "aivenv1 token")
	err := spec.ValidateResponse(t.Context(), req, status, http.Header{"Content-Type": {contentType}}, body)
	return sorted(oas.Mismatches(err))
}

func mine(c *respcheck.Checker, path string, status int, contentType string, body []byte) []respcheck.Mismatch {
	return sorted(c.Check(http.MethodGet, path, status, http.Header{"Content-Type": {contentType}}, body))
}

func sorted(ms []respcheck.Mismatch) []respcheck.Mismatch {
	slices.SortFunc(ms, func(a, b respcheck.Mismatch) int {
		return strings.Compare(a.Field+"\x00"+a.Expected, b.Field+"\x00"+b.Expected)
	})
	return ms
}

// fixtures are the contract tests' realistic bodies, by path.
func fixtures(t testing.TB) map[string][][]byte {
	t.Helper()
	out := map[string][][]byte{}
	for file, path := range map[string]string{"me.json": "/v1/me", "me_minimal.json": "/v1/me", "projects.json": "/v1/project", "clouds.json": "/v1/clouds"} {
		body, err := os.ReadFile(filepath.Join("..", "..", "api", "testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		out[path] = append(out[path], body)
	}
	return out
}

// TestAgreesWithKin: on the fixtures and on thousands of mutations of
// them, the checker finds what kin-openapi finds.
func TestAgreesWithKin(t *testing.T) {
	t.Parallel()
	c, spec := load(t)
	rng := rand.New(rand.NewPCG(7, 11))
	invalid := 0
	for path, bodies := range fixtures(t) {
		for _, body := range bodies {
			if want := kin(t, spec, path, 200, "application/json", body); len(want) != 0 {
				t.Fatalf("%s: kin finds the fixture invalid: %v", path, want)
			}
			for range 1500 {
				var v any
				if err := json.Unmarshal(body, &v); err != nil {
					t.Fatal(err)
				}
				v, what := mutate(rng, v)
				mutated, err := json.Marshal(v)
				if err != nil {
					t.Fatal(err)
				}
				want := kin(t, spec, path, 200, "application/json", mutated)
				got := mine(c, path, 200, "application/json", mutated)
				if len(want) > 0 {
					invalid++
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("%s after %s: mismatches differ (-kin +respcheck):\n%s", path, what, diff)
				}
			}
		}
	}
	if invalid < 1000 {
		t.Errorf("only %d mutations were invalid; the test proves little", invalid)
	}
}

// TestResponsesAgreeWithKin: statuses, content types and bodies that are
// not JSON.
func TestResponsesAgreeWithKin(t *testing.T) {
	t.Parallel()
	c, spec := load(t)
	for _, tt := range []struct {
		status      int
		contentType string
		body        string
	}{
		{403, "application/json", `{"message": "Forbidden", "errors": [{"message": "Forbidden", "status": 403}]}`},
		{502, "text/html", "<html>502</html>"},
		{502, "text/html; charset=utf-8", "<html>502</html>"},
		{500, "application/json", `{"message": 5}`},
		{500, "application/json", `{"errors": [{"status": "x", "metadata": []}]}`},
	} {
		want := kin(t, spec, "/v1/clouds", tt.status, tt.contentType, []byte(tt.body))
		got := mine(c, "/v1/clouds", tt.status, tt.contentType, []byte(tt.body))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%d %s %s: (-kin +respcheck):\n%s", tt.status, tt.contentType, tt.body, diff)
		}
	}
	// Both reject these; the texts differ (kin's name its internals).
	for _, tt := range []struct {
		status            int
		contentType, body string
	}{
		{200, "text/plain", "ok"},
		{200, "application/json", `{"clouds": [`},
		{200, "application/json", ``},
	} {
		want := kin(t, spec, "/v1/clouds", tt.status, tt.contentType, []byte(tt.body))
		got := mine(c, "/v1/clouds", tt.status, tt.contentType, []byte(tt.body))
		if len(want) == 0 || len(got) != 1 || got[0].Field != "" {
			t.Errorf("%d %s %q: kin %v, respcheck %v; want both to reject the response as a whole", tt.status, tt.contentType, tt.body, want, got)
		}
	}
}

// TestNumberOutOfRange: a number no float64 holds is a mismatch at its own
// field, and the rest of the body is still checked.
func TestNumberOutOfRange(t *testing.T) {
	t.Parallel()
	c, spec := load(t)
	body := []byte(`{"clouds": [{"cloud_name": "x", "geo_region": "y", "geo_latitude": 1e400, "geo_longitude": -2e308}, {"geo_region": "z", "geo_latitude": 1e-400}]}`)
	want := []respcheck.Mismatch{
		{Field: "/clouds/0/geo_latitude", Expected: "type number", Got: "number 1e400 (out of range)"},
		{Field: "/clouds/0/geo_longitude", Expected: "type number", Got: "number -2e308 (out of range)"},
		{Field: "/clouds/1/cloud_name", Expected: "a required field", Got: "absent"},
	}
	got := mine(c, "/v1/clouds", 200, "application/json", body)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(got, kin(t, spec, "/v1/clouds", 200, "application/json", body)); diff != "" {
		t.Errorf("kin disagrees (-respcheck +kin):\n%s", diff)
	}
}

// TestNewRefusesWhatItDoesNotCheck: a description with a keyword the
// checker would ignore is refused, not half-checked.
func TestNewRefusesWhatItDoesNotCheck(t *testing.T) {
	t.Parallel()
	base := `openapi: 3.0.1
paths:
  /v1/x:
    get:
      responses:
        "200":
          content:
            application/json:
              schema:
                type: object
                properties:
                  a:
                    %s
`
	for _, kw := range []string{"oneOf: {type: string}", "allOf: 5", "not: [5]", "pattern: 5", "exclusiveMinimum: x", "$ref: '#/components/schemas/Missing'", "type: [string, number]"} {
		if _, err := respcheck.New(fmt.Appendf(nil, base, kw)); err == nil {
			t.Errorf("New accepted a schema with %s", kw)
		}
	}
	for _, kw := range []string{"type: string\n                    maxLength: 3\n                    x-go-type: T",
		"pattern: '^a'", "pattern: '(?=a)'", "oneOf: []", "allOf: []", "anyOf: [{type: string}]", "not: {type: string}",
		"format: date-time", "format: uuid", "multipleOf: 2", "uniqueItems: true", "exclusiveMinimum: true", "exclusiveMaximum: 3", "minProperties: 1", "multipleOf: 0", "discriminator: {}"} {
		if _, err := respcheck.New(fmt.Appendf(nil, base, kw)); err != nil {
			t.Errorf("New refused a schema it checks (%s): %v", kw, err)
		}
	}
	if _, err := respcheck.New([]byte("openapi: 3.1.0\npaths: {}\n")); err == nil {
		t.Error("New accepted OpenAPI 3.1")
	}
}

// mutate changes one random value inside v and says what it did.
func mutate(rng *rand.Rand, v any) (any, string) {
	path := "/"
	for {
		switch x := v.(type) {
		case map[string]any:
			if len(x) == 0 || rng.IntN(4) == 0 {
				return change(rng, v, path)
			}
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			k := keys[rng.IntN(len(keys))]
			if rng.IntN(6) == 0 {
				delete(x, k)
				return v, "deleting " + path + k
			}
			if rng.IntN(10) == 0 {
				x["surprise_field"] = k
				return v, "adding a field at " + path
			}
			inner, what := mutate(rng, x[k])
			x[k] = inner
			return v, path + k + ": " + what
		case []any:
			if len(x) == 0 || rng.IntN(4) == 0 {
				return change(rng, v, path)
			}
			i := rng.IntN(len(x))
			inner, what := mutate(rng, x[i])
			x[i] = inner
			return v, fmt.Sprintf("%s%d: %s", path, i, what)
		default:
			return change(rng, v, path)
		}
	}
}

func change(rng *rand.Rand, v any, path string) (any, string) {
	replacements := []any{nil, "text", strings.Repeat("long ", 30), 7.0, 7.5, -1.0, 3000.0, true, map[string]any{}, []any{}, []any{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}}
	r := replacements[rng.IntN(len(replacements))]
	return r, fmt.Sprintf("replacing %s (%T) by %#v", path, v, r)
}

// FuzzCheck gives any body, under any status, to both checkers, on
// openapi.yaml and on testdata/compose.yaml (allOf, anyOf, oneOf, not,
// pattern, formats, multipleOf, uniqueItems, exclusive bounds). On valid JSON they must report the same mismatches (compared
// as comparable says); on anything else both must reject the body as a
// whole (their texts differ: kin's name its internals). The checker must
// never panic on what a server sends.
func FuzzCheck(f *testing.F) {
	// sel picks the path (sel % 4) and the status (sel / 4 % 5).
	paths := []string{"/v1/me", "/v1/project", "/v1/clouds", "/v1/x"}
	statuses := []int{200, 200, 500, 404, 429}
	for path, bodies := range fixtures(f) {
		for _, body := range bodies {
			f.Add(byte(slices.Index(paths, path)), body)
		}
	}
	for _, s := range []string{
		``, `null`, `{}`, `[]`, `"x"`, `{"clouds": [`, `{"clouds": null}`, `{"clouds": [null, 1, "x"]}`,
		`{"clouds": [{"cloud_name": "x", "geo_latitude": 1e400, "geo_region": "y"}]}`,
		`{"clouds": [{"cloud_name": "\u00e9\ud83e\udd80", "geo_region": "y", "geo_latitude": -0}]}`,
		`{"user": {"user": "a", "user_id": "u", "state": "new", "create_time": 5}}`,
		`{"projects": [{"project_name": "p", "card_info": null, "tags": {"a": 1}}], "projects": []}`,
		`{"message": 5, "errors": [{"status": "x", "metadata": []}]}`,
		`{}0`, `{"clouds": []} {"clouds": 1}`,
	} {
		f.Add(byte(2), []byte(s))  // /v1/clouds, 200
		f.Add(byte(10), []byte(s)) // /v1/clouds, 500: the error schema
	}
	for _, s := range []string{
		`{"both": {"name": "db-1", "tags": {"a": "b"}}, "either": "abc", "exactly": 3, "notString": 1, "code": "AB12", "unicode": "\u00e9"}`,
		`{"both": {"name": "Db", "tags": {"a": 1}}, "either": -1, "exactly": 7, "notString": "s", "code": "ab", "unicode": "e"}`,
		`{"nullableOne": null, "nullBranch": null, "anything": 1, "loop": {"next": {"next": {}}}}`,
		`{"nullableOne": 1.5, "nullBranch": true, "anything": null, "loop": {"next": {"a": 1, "b": 2}}}`,
		`{"list": ["none", {"name": "a"}, "some", {"name": "A"}, {}, 3, null]}`,
		`{"either": 1e400, "exactly": 1e400, "code": null}`,
		`{"day": "2026-12-02", "at": "2026-12-02T05:30:00Z", "b64": "aGk=", "small": 5, "big": 1e19, "step": 2.25, "set": [1, 1]}`,
		`{"day": "2026-13-02", "at": "x", "b64": "a b", "uuid": 5, "small": 0, "step": 2.5, "set": [{"a": 1}, {"a": 2}]}`,
		`{"pet": {"kind": "cat", "lives": 9}, "anyPet": {"kind": "dog"}}`, `{"pet": {"kind": "cow"}, "anyPet": {}}`,
		`{"secret": {"name": "a"}}`, `{"secret": {"password": 5, "id": "i"}}`,
		`{"message": "x"}`, `"error"`, `"oops"`, `{"message": 5}`,
	} {
		f.Add(byte(3), []byte(s))  // /v1/x, 200
		f.Add(byte(11), []byte(s)) // /v1/x, 500: a oneOf
	}
	c, spec := load(f)
	cc, cspec := loadCompose(f)
	f.Fuzz(func(t *testing.T, sel byte, body []byte) {
		path, status := paths[int(sel)%len(paths)], statuses[int(sel/4)%len(statuses)]
		c, spec := c, spec
		if path == "/v1/x" {
			c, spec = cc, cspec
		}
		want := kin(t, spec, path, status, "application/json", body)
		got := mine(c, path, status, "application/json", body)
		if !json.Valid(body) {
			whole := func(ms []respcheck.Mismatch) bool {
				return len(ms) > 0 && !slices.ContainsFunc(ms, func(m respcheck.Mismatch) bool { return m.Field != "" })
			}
			if len(got) != 1 || !whole(got) || !whole(want) {
				t.Fatalf("%s %d %q: kin %v, respcheck %v; want both to reject the body as a whole", path, status, body, want, got)
			}
			return
		}
		want, got = comparable(t, want, got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("%s %d %q: mismatches differ (-kin +respcheck):\n%s", path, status, body, diff)
		}
	})
}

// BenchmarkCheck measures what validation adds to a call: per fixture, and
// for a list of 150 clouds (the fixture's clouds repeated), the size of
// Aiven's real cloud list and of the clouds body in bench/.
func BenchmarkCheck(b *testing.B) {
	c, _ := load(b)
	bodies := fixtures(b)
	var list struct {
		Clouds []json.RawMessage `json:"clouds"`
	}
	if err := json.Unmarshal(bodies["/v1/clouds"][0], &list); err != nil || len(list.Clouds) == 0 {
		b.Fatalf("clouds fixture: %v, %d clouds", err, len(list.Clouds))
	}
	for len(list.Clouds) < 150 {
		list.Clouds = append(list.Clouds, list.Clouds...)
	}
	list.Clouds = list.Clouds[:150]
	many, err := json.Marshal(list)
	if err != nil {
		b.Fatal(err)
	}
	type bench struct {
		name, path string
		body       []byte
	}
	var all []bench
	for path, bs := range bodies {
		for i, body := range bs {
			all = append(all, bench{fmt.Sprintf("%s/%d", strings.TrimPrefix(path, "/v1/"), i), path, body})
		}
	}
	all = append(all, bench{"clouds/150", "/v1/clouds", many})
	for _, bc := range all {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.body)))
			b.ReportAllocs()
			for b.Loop() {
				if ms := c.Check(http.MethodGet, bc.path, 200, http.Header{"Content-Type": {"application/json"}}, bc.body); len(ms) != 0 {
					b.Fatal(ms)
				}
			}
		})
	}
}

// TestRouteAgreesWithKin: respcheck finds an operation for exactly the
// requests kin-openapi's router finds one for.
func TestRouteAgreesWithKin(t *testing.T) {
	t.Parallel()
	c, spec := load(t)
	for _, method := range []string{"GET", "POST", "DELETE", "HEAD"} {
		for _, path := range []string{"/v1/me", "/v1/project", "/v1/clouds", "/v1/clouds/", "/v1/%63louds", "/me", "/", "/v1/project/p1/clouds",
			"/v1/project//clouds", "/v1/project/a%2Fb/clouds", "/v1/project/p1/clouds/x", "/v1/project/p1"} {
			req := httptest.NewRequest(method, "http://127.0.0.1"+path, nil)
			_, _, kinErr := spec.Route(req)
			op, err := c.Route(method, req.URL.EscapedPath())
			if (kinErr == nil) != (err == nil) {
				t.Errorf("%s %s: kin-openapi error %v, respcheck error %v", method, path, kinErr, err)
			}
			if err == nil && op.Method != method {
				t.Errorf("%s %s: routed to %s %s", method, path, op.Method, op.Path)
			}
		}
	}
}

// TestCheckRequest: routing with path templates, parameters, and what each
// operation asks of the credential, on a description of its own.
func TestCheckRequest(t *testing.T) {
	t.Parallel()
	c, err := respcheck.New([]byte(`openapi: 3.0.1
security:
  - tokenAuth: []
paths:
  /v1/clouds:
    get:
      operationId: ListClouds
      security: [{}, {tokenAuth: []}]
      responses: {"200": {description: ok}}
  /v1/project/{project}/clouds:
    get:
      operationId: ListProjectClouds
      parameters:
        - $ref: '#/components/parameters/project'
        - {in: query, name: sort_by_proximity, schema: {type: boolean}}
      responses: {"200": {description: ok}}
  /v1/project/me/clouds:
    get:
      operationId: Literal
      responses: {"200": {description: ok}}
  /v1/open:
    get:
      operationId: Open
      security: []
      responses: {"200": {description: ok}}
components:
  parameters:
    project: {in: path, name: project, required: true, schema: {type: string, maxLength: 5}}
  securitySchemes:
    tokenAuth: {type: apiKey, in: header, name: Authorization}
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		method, url string
		wantID      string
		wantToken   respcheck.Token
		wantParams  map[string]string
		wantErr     error
		wantMis     []string
	}{
		{"GET", "/v1/clouds", "ListClouds", respcheck.TokenOptional, nil, nil, nil},
		{"GET", "/v1/open", "Open", respcheck.TokenNone, nil, nil, nil},
		{"GET", "/v1/project/p1/clouds", "ListProjectClouds", respcheck.TokenRequired, map[string]string{"project": "p1"}, nil, nil},
		{"GET", "/v1/project/a%2Fb/clouds", "ListProjectClouds", respcheck.TokenRequired, map[string]string{"project": "a/b"}, nil, nil},
		{"GET", "/v1/project/me/clouds", "Literal", respcheck.TokenRequired, nil, nil, nil},
		{"GET", "/v1/project/p1/clouds?sort_by_proximity=false&limit=999", "ListProjectClouds", respcheck.TokenRequired, map[string]string{"project": "p1"}, nil, nil},
		{"GET", "/v1/project/p1/clouds?sort_by_proximity=yes", "ListProjectClouds", respcheck.TokenRequired, map[string]string{"project": "p1"}, nil,
			[]string{`query sort_by_proximity: expected type boolean, got string "yes"`}},
		{"GET", "/v1/project/toolong/clouds", "ListProjectClouds", respcheck.TokenRequired, map[string]string{"project": "toolong"}, nil,
			[]string{`path project: expected maxLength: maximum string length is 5, got string "toolong"`}},
		{"GET", "/v1/project//clouds", "", 0, nil, respcheck.ErrNotFound, nil},
		{"GET", "/v1/project/p1/clouds/", "", 0, nil, respcheck.ErrNotFound, nil},
		{"POST", "/v1/project/p1/clouds", "", 0, nil, respcheck.ErrMethodNotAllowed, nil},
	} {
		t.Run(tt.method+" "+tt.url, func(t *testing.T) {
			t.Parallel()
			op, ms, err := c.CheckRequest(httptest.NewRequest(tt.method, "http://127.0.0.1"+tt.url, nil))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if op.ID != tt.wantID || op.Token != tt.wantToken || !maps.Equal(op.Params, tt.wantParams) {
				t.Errorf("got %+v, want ID %s, Token %d, Params %v", op, tt.wantID, tt.wantToken, tt.wantParams)
			}
			var got []string
			for _, m := range ms {
				got = append(got, m.String())
			}
			if !slices.Equal(got, tt.wantMis) {
				t.Errorf("mismatches %q, want %q", got, tt.wantMis)
			}
		})
	}
	if got := c.Methods("/v1/project/p1/clouds"); !slices.Equal(got, []string{"GET"}) {
		t.Errorf("Methods = %v, want [GET]", got)
	}
}

// TestNewRefusesRequestsItDoesNotCheck: parameters and security schemes
// it would not check make New fail.
func TestNewRefusesRequestsItDoesNotCheck(t *testing.T) {
	t.Parallel()
	for name, doc := range map[string]string{
		"header parameter":      `paths: {/x: {get: {parameters: [{in: header, name: X, schema: {type: string}}], responses: {}}}}`,
		"undeclared path param": `paths: {/x/{id}: {get: {responses: {}}}}`,
		"partial segment":       `paths: {/x/a{id}: {get: {parameters: [{in: path, name: id, required: true}], responses: {}}}}`,
		"oauth2 scheme":         `paths: {/x: {get: {security: [{o: []}], responses: {}}}}` + "\ncomponents: {securitySchemes: {o: {type: oauth2}}}",
		"undefined scheme":      `paths: {/x: {get: {security: [{t: []}], responses: {}}}}`,
		"array query":           `paths: {/x: {get: {parameters: [{in: query, name: q, schema: {type: array}}], responses: {}}}}`,
	} {
		if _, err := respcheck.New([]byte("openapi: 3.0.1\n" + doc)); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}

// FuzzRoute: for any method and request target, respcheck finds an
// operation exactly when kin-openapi's router does, the same one, and
// checking the request's parameters never panics (the fake server routes
// whatever the network sends).
func FuzzRoute(f *testing.F) {
	for _, s := range []string{"/v1/me", "/v1/clouds?x=1", "/v1/project/p1/clouds", "/v1/project//clouds",
		"/v1/project/a%2Fb/clouds?sort_by_proximity=maybe", "/v1/project/%ZZ/clouds", "/v1/%63louds", "//v1/me", "/v1/project/p/clouds/"} {
		f.Add(byte(0), s)
		f.Add(byte(1), s)
	}
	c, spec := load(f)
	methods := []string{"GET", "POST", "HEAD", "DELETE"}
	f.Fuzz(func(t *testing.T, m byte, target string) {
		method := methods[int(m)%len(methods)]
		req, err := http.NewRequest(method, "http://127.0.0.1"+target, nil)
		if err != nil || req.URL.Host != "127.0.0.1" || !strings.HasPrefix(req.URL.Path, "/") {
			return // not a request a server receives for this host
		}
		route, _, kinErr := spec.Route(req)
		op, _, err := c.CheckRequest(req)
		if (kinErr == nil) != (err == nil) {
			t.Fatalf("%s %q: kin-openapi error %v, respcheck error %v", method, target, kinErr, err)
		}
		if err == nil && (op.Method != route.Method || op.Path != route.Path) {
			t.Fatalf("%s %q: respcheck routes to %s %s, kin-openapi to %s %s", method, target, op.Method, op.Path, route.Method, route.Path)
		}
	})
}
