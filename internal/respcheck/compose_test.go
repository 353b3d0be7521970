package respcheck_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aivenapi/aivenapi/internal/oas"
	"github.com/aivenapi/aivenapi/internal/respcheck"
)

// loadCompose loads testdata/compose.yaml, whose schemas use allOf, anyOf,
// oneOf, not and pattern, into both checkers.
func loadCompose(t testing.TB) (*respcheck.Checker, *oas.Spec) {
	t.Helper()
	doc, err := os.ReadFile("testdata/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := respcheck.New(doc)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := oas.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	return c, spec
}

// comparable makes the checkers' mismatch lists comparable. Where
// kin-openapi says only that anyOf, oneOf or not failed, respcheck also
// says which branches failed and why: only the keyword is compared. Where
// no branch of a oneOf matches, kin-openapi lists every branch's
// mismatches as the value's, and respcheck reports the oneOf: kin's must
// then be at or under that field. kin-openapi describes a number under a
// composition as out of range when it is not, and may repeat a mismatch
// that two allOf branches share. For a format, kin-openapi also says how
// its check failed: only the keyword is compared.
func comparable(t testing.TB, kin, mine []respcheck.Mismatch) ([]respcheck.Mismatch, []respcheck.Mismatch) {
	t.Helper()
	for i, m := range kin {
		if strings.HasPrefix(m.Expected, "discriminator: input does not contain") {
			kin[i].Got = "absent" // kin-openapi: "null"
		}
		if n, ok := strings.CutPrefix(m.Got, "number "); ok {
			if f, err := strconv.ParseFloat(strings.TrimSuffix(n, " (out of range)"), 64); err == nil {
				kin[i].Got = respcheck.Describe(f)
			}
		}
	}
	for i, m := range mine {
		if strings.HasPrefix(m.Expected, "oneOf: no branch matches") {
			under := func(k respcheck.Mismatch) bool {
				return k.Field == m.Field || strings.HasPrefix(k.Field, strings.TrimSuffix(m.Field, "/")+"/")
			}
			if !slices.ContainsFunc(kin, under) {
				t.Errorf("respcheck finds %v; kin-openapi nothing there", m)
			}
			kin = slices.DeleteFunc(kin, under)
			kin = append(kin, respcheck.Mismatch{Field: m.Field, Got: m.Got})
			mine[i].Expected = ""
		}
	}
	keyword := func(ms []respcheck.Mismatch) []respcheck.Mismatch {
		for i, m := range ms {
			for _, kw := range []string{"allOf:", "anyOf:", "oneOf:", "not:", "format:"} {
				if strings.HasPrefix(m.Expected, kw) {
					ms[i].Expected = kw
				}
			}
		}
		return slices.Compact(sorted(ms))
	}
	return keyword(kin), keyword(mine)
}

// TestComposeAgreesWithKin: on schemas using allOf, anyOf, oneOf, not
// and pattern, valid and invalid bodies get the same verdicts, at the
// same fields, for the same keywords.
func TestComposeAgreesWithKin(t *testing.T) {
	t.Parallel()
	c, spec := loadCompose(t)
	for _, tt := range []struct {
		status  int
		body    string
		invalid bool
	}{
		{200, `{}`, false},
		{200, `{"both": {"name": "db-1", "tags": {"a": "b"}}}`, false},
		{200, `{"both": {"name": "Db", "tags": {"a": "b"}}}`, true},
		{200, `{"both": {"tags": {"a": 1}}}`, true},
		{200, `{"both": {"name": "a"}, "either": "abc"}`, false},
		{200, `{"either": 4}`, false},
		{200, `{"either": "abcd"}`, true},
		{200, `{"either": -1}`, true},
		{200, `{"either": 1.5}`, true},
		{200, `{"either": null}`, true},
		{200, `{"exactly": 3}`, false},
		{200, `{"exactly": 11}`, false},
		{200, `{"exactly": 7}`, true},
		{200, `{"exactly": "7"}`, true},
		{200, `{"notString": 5}`, false},
		{200, `{"notString": null}`, true},
		{200, `{"anything": null, "described": null}`, true},
		{200, `{"notString": "s"}`, true},
		{200, `{"code": "AB12"}`, false},
		{200, `{"code": "ab12"}`, true},
		{200, `{"code": "AB123"}`, true},
		{200, `{"unicode": "éé"}`, false},
		{200, `{"unicode": "e"}`, true},
		{200, `{"nullableOne": null}`, false},
		{200, `{"nullableOne": "s"}`, false},
		{200, `{"nullableOne": 1.5}`, true},
		{200, `{"nullBranch": null}`, false},
		{200, `{"nullBranch": 2}`, false},
		{200, `{"nullBranch": true}`, true},
		{200, `{"loop": {"next": {"next": {}}}}`, false},
		{200, `{"loop": {"next": 5}}`, true},
		{200, `{"loop": 5}`, true},
		{200, `{"list": ["none", {"name": "a"}]}`, false},
		{200, `{"list": ["some", {"name": "A"}, {}, 3, null]}`, true},
		{200, `{"day": "2026-12-02", "at": "2026-12-02T05:30:00.5+01:00", "b64": "aGk=", "uuid": "x"}`, false},
		{200, `{"day": "2026-13-02"}`, true},
		{200, `{"at": "2026-12-02 05:30:00"}`, true},
		{200, `{"b64": "a b"}`, true},
		{200, `{"small": 5, "big": 9007199254740992, "step": 2.5, "set": [1, "1", {"a": [1]}, {"a": [2]}]}`, false},
		{200, `{"small": 0}`, true},
		{200, `{"small": 10}`, true},
		{200, `{"small": 5.5}`, true},
		{200, `{"big": 1e19}`, true},
		{200, `{"big": 1e20, "small": 1e10}`, true},
		{200, `{"step": 2.25}`, true},
		{200, `{"zero": 0}`, true},
		{200, `{"set": [{"a": 1, "b": 2}, {"b": 2, "a": 1}]}`, true},
		{200, `{"pet": {"kind": "cat", "lives": 9}, "anyPet": {"kind": "x", "bark": true}}`, false},
		{200, `{"pet": {"kind": "dog", "lives": 9}}`, true},
		{200, `{"pet": {"kind": "cat", "lives": "9"}}`, true},
		{200, `{"pet": {"kind": "cow"}}`, true},
		{200, `{"pet": {"kind": 5}}`, true},
		{200, `{"pet": {}, "anyPet": {}}`, true},
		{200, `{"pet": 5, "anyPet": {"kind": "x", "lives": 1.5}}`, true},
		{200, `{"secret": {"name": "a"}}`, false},
		{200, `{"secret": {"password": "p"}}`, true},
		{200, `{"secret": {"password": 5, "id": "i"}}`, true},
		{500, `{"message": "x"}`, false},
		{500, `"error"`, false},
		{500, `"oops"`, true},
		{500, `{"message": 5}`, true},
	} {
		want, got := comparable(t, kin(t, spec, "/v1/x", tt.status, "application/json", []byte(tt.body)), mine(c, "/v1/x", tt.status, "application/json", []byte(tt.body)))
		if (len(want) > 0) != tt.invalid {
			t.Errorf("%d %s: kin finds %v; the test expects invalid=%v", tt.status, tt.body, want, tt.invalid)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%d %s: (-kin +respcheck):\n%s", tt.status, tt.body, diff)
		}
	}
}

// TestComposeMismatches: what a composed schema's mismatch says, the
// branch that failed and why, in full.
func TestComposeMismatches(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("testdata/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// A lookahead, which Go's regexp cannot read (kin-openapi refuses the
	// whole description): the fake server must still start.
	doc = []byte(strings.Replace(string(doc), "        loop:", "        lookahead: {type: string, pattern: '^(?!x)', maxLength: 4}\n        loop:", 1))
	// A schema that reaches itself on the same value (kin-openapi
	// overflows its stack on it): the second visit adds nothing.
	doc = []byte(strings.Replace(string(doc), "    Loop:", "    Self: {allOf: [{$ref: '#/components/schemas/Self'}, {type: object, required: [a]}]}\n    Loop:", 1))
	doc = []byte(strings.Replace(string(doc), "        loop:", "        self: {$ref: '#/components/schemas/Self'}\n        loop:", 1))
	c, err := respcheck.New(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		body string
		want []string
	}{
		{`{"both": {"name": "Db"}}`, []string{`/both/name: expected pattern: string doesn't match the regular expression "^[a-z][a-z0-9-]*$", got string "Db"`}},
		{`{"either": true}`, []string{`/either: expected anyOf: no branch matches; branch 0: expected type string, got true; branch 1: expected type integer, got true, got true`}},
		{`{"exactly": 7}`, []string{`/exactly: expected oneOf: exactly one branch, but branches 0, 1 match, got 7`}},
		{`{"exactly": "7"}`, []string{`/exactly: expected oneOf: no branch matches; branch 0: expected type number, got string "7"; branch 1: expected type number, got string "7", got string "7"`}},
		{`{"notString": "s"}`, []string{`/notString: expected not: a value the schema under not rejects, got string "s"`}},
		{`{"lookahead": "xyz"}`, nil}, // the pattern Go cannot read is skipped
		{`{"lookahead": "xyzzy"}`, []string{`/lookahead: expected maxLength: maximum string length is 4, got string "xyzzy"`}},
		{`{"loop": {"next": 5}}`, []string{`/loop/next: expected type object, got 5`}},
		{`{"self": {"a": 1}}`, nil},
		{`{"pet": {"kind": "cow"}}`, []string{`/pet: expected discriminator: discriminator property "kind" has invalid value, got string "cow"`}},
		{`{"pet": {"kind": "dog"}}`, []string{`/pet: expected oneOf: no branch matches; branch 1: /pet/bark: expected a required field, got absent, got object with 1 fields`}},
		{`{"self": {}}`, []string{`/self/a: expected a required field, got absent`}},
	} {
		var got []string
		for _, m := range c.Check(http.MethodGet, "/v1/x", 200, http.Header{"Content-Type": {"application/json"}}, []byte(tt.body)) {
			got = append(got, m.String())
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.body, diff)
		}
	}
}

// TestComposeRequest: a parameter's schema may compose too.
func TestComposeRequest(t *testing.T) {
	t.Parallel()
	c, err := respcheck.New([]byte(`openapi: 3.0.1
paths:
  /v1/p/{name}:
    get:
      parameters:
        - {in: path, name: name, required: true, schema: {type: string, pattern: '^[a-z]+$', not: {enum: [admin]}}}
      responses: {"200": {description: ok}}
`))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]int{"/v1/p/abc": 0, "/v1/p/ABC": 1, "/v1/p/admin": 1} {
		_, ms, err := c.CheckRequest(httptest.NewRequest(http.MethodGet, "http://127.0.0.1"+path, nil))
		if err != nil || len(ms) != want {
			t.Errorf("%s: %v %v, want %d mismatches", path, ms, err, want)
		}
	}
}
