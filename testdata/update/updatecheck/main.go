// Command updatecheck is built by TestAdditiveUpdate (update_test.go) in a
// copy of the repository whose client was regenerated from
// testdata/update/upstream-v2.json. It serves bodies carrying every field
// that description added, decodes them with the regenerated client, and
// prints each new field that did not come back with the value the body
// holds. It writes "every new field decoded" when all did.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"

	"github.com/aivenapi/aivenapi/api"
)

// newFields are the fields upstream-v2.json adds, with a value of each in
// the first object of a list and another in the second.
var newFields = []string{
	"new_string", "new_integer", "new_boolean", "new_number", "new_object", "new_items",
	"new_map", "new_nullable", "new_enum", "new_any_map", "new_update_time",
	"new-dashed", "new.dotted", "new_dotted", "new-escaped",
}

// cloudOnly is a field upstream-v2.json adds to the clouds of ListClouds
// only: ListProjectClouds's clouds share their Go type, which gains it.
const cloudOnly = "new_only_here"

func values(i int) map[string]any {
	v := map[string]any{
		"new_string":      fmt.Sprintf("text %d \u00e5 \"quoted\"", i),
		"new_integer":     42 + i,
		"new_boolean":     i == 0,
		"new_number":      53.073635 + float64(i),
		"new_object":      map[string]any{"name": fmt.Sprint("nested ", i), "size": 3 + i},
		"new_items":       []any{map[string]any{"id": "a", "weight": 1.5}, map[string]any{"id": fmt.Sprint("b", i)}},
		"new_map":         map[string]any{"a": 1, fmt.Sprint("k", i): -2},
		"new_nullable":    "present",
		"new_enum":        "gamma", // not among the values upstream lists: enums stay open
		"new_any_map":     map[string]any{"first": map[string]any{"level": "medium", "count": 7 + i}},
		"new_update_time": "2021-08-18T09:24:10.298796+00:00",
		"new-dashed":      fmt.Sprint("dash ", i),
		"new.dotted":      10 + i,
		"new_dotted":      20 + i, // the same Go name as new.dotted, but for the rule
		"new-escaped":     i == 1, // written new\-escaped upstream
	}
	if i == 1 {
		v["new_nullable"] = nil
	}
	return v
}

func with(base map[string]any, i int) map[string]any {
	for k, v := range values(i) {
		base[k] = v
	}
	return base
}

func main() {
	clouds := []any{
		with(map[string]any{"cloud_name": "aws-eu-west-1", "geo_region": "europe", cloudOnly: "only here"}, 0),
		with(map[string]any{"cloud_name": "google-europe-north1", "geo_region": "europe"}, 1),
	}
	projects := []any{
		with(map[string]any{"project_name": "p0", "account_id": "a0", "billing_group_id": strings.Repeat("b", 36), "default_cloud": "aws-eu-west-1"}, 0),
		with(map[string]any{"project_name": "p1", "account_id": nil, "billing_group_id": strings.Repeat("c", 36), "default_cloud": "aws-eu-west-1"}, 1),
	}
	user := with(map[string]any{"user": "u@example.com", "real_name": "U", "state": "active", "auth": []any{"password"}, "invitations": []any{}, "projects": []any{"p0"}}, 0)
	bodies := map[string]any{
		"/v1/clouds":            map[string]any{"clouds": clouds},
		"/v1/project/p0/clouds": map[string]any{"clouds": clouds},
		"/v1/project":           map[string]any{"projects": projects, "project_membership": map[string]any{"p0": "admin"}, "project_memberships": map[string]any{"p0": []any{"admin"}}},
		"/v1/me":                map[string]any{"user": user},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := bodies[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(body)
	}))
	defer srv.Close()

	var failures []string
	fail := func(format string, args ...any) { failures = append(failures, fmt.Sprintf(format, args...)) }
	c, err := api.NewClientWithResponses(srv.URL)
	if err != nil {
		fail("client: %v", err)
	}
	ctx := context.Background()
	if c != nil {
		if res, err := c.ListCloudsWithResponse(ctx); err != nil || res.JSON200 == nil {
			fail("ListCloudsWithResponse: %v (status %d)", err, res.StatusCode())
		} else {
			compareList(fail, "ListClouds", clouds, res.JSON200.Clouds)
		}
		if res, err := c.ListProjectCloudsWithResponse(ctx, "p0"); err != nil || res.JSON200 == nil {
			fail("ListProjectCloudsWithResponse: %v", err)
		} else {
			compareList(fail, "ListProjectClouds", clouds, res.JSON200.Clouds)
		}
		if res, err := c.ProjectListWithResponse(ctx); err != nil || res.JSON200 == nil {
			fail("ProjectListWithResponse: %v", err)
		} else {
			compareList(fail, "ProjectList", projects, res.JSON200.Projects)
		}
		var streamed []api.Project
		for p, err := range c.Projects(ctx) {
			if err != nil {
				fail("Projects: %v", err)
				break
			}
			streamed = append(streamed, p)
		}
		compareList(fail, "Projects", projects, streamed)
		if res, err := c.UserInfoWithResponse(ctx); err != nil || res.JSON200 == nil {
			fail("UserInfoWithResponse: %v", err)
		} else {
			compare(fail, "UserInfo user", user, res.JSON200.User)
		}
	}
	if len(failures) > 0 {
		fmt.Println(strings.Join(failures, "\n"))
		os.Exit(1)
	}
	fmt.Println("every new field decoded")
}

func compareList[T any](fail func(string, ...any), where string, want []any, got []T) {
	if len(got) != len(want) {
		fail("%s: %d items decoded, want %d", where, len(got), len(want))
		return
	}
	for i := range want {
		compare(fail, fmt.Sprintf("%s[%d]", where, i), want[i].(map[string]any), got[i])
	}
}

// compare encodes the decoded value again and checks that each new field
// holds what the body held, and that the time field is an api.Time.
func compare(fail func(string, ...any), where string, want map[string]any, decoded any) {
	b, err := json.Marshal(decoded)
	if err != nil {
		fail("%s: encode the decoded value: %v", where, err)
		return
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		fail("%s: %v", where, err)
		return
	}
	fields := newFields
	if _, ok := want[cloudOnly]; ok {
		fields = append(fields, cloudOnly)
	}
	for _, k := range fields {
		g, ok := got[k]
		if !ok {
			fail("%s: %s absent after decoding (the generated type has no such field, or it was not read)", where, k)
			continue
		}
		if !reflect.DeepEqual(normal(want[k]), g) {
			fail("%s: %s = %v after decoding, want %v", where, k, g, want[k])
		}
	}
	if f, ok := fieldByTag(reflect.TypeOf(decoded), "new_update_time"); !ok || !strings.Contains(f.Type.String(), "api.Time") {
		fail("%s: new_update_time has Go type %v, want api.Time", where, f.Type)
	}
}

// normal returns v as encoding/json gives it back from JSON.
func normal(v any) any {
	b, _ := json.Marshal(v)
	var out any
	json.Unmarshal(b, &out)
	return out
}

func fieldByTag(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		if f := t.Field(i); strings.Split(f.Tag.Get("json"), ",")[0] == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}
