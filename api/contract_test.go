package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/auth"
	"github.com/aivenapi/aivenapi/internal/oas"
)

// testToken is what the contract servers expect; no output may contain it.
const testToken = "tok-CONTRACT-5e3f9a1b7c"

// prefix mounts the fake API below a path, so that a client building
// absolute paths instead of joining them to the base URL fails.
const prefix = "/aiven"

// served is one response a contract server gives.
type served struct {
	status      int
	contentType string
	header      http.Header
	body        []byte
}

// newAPIServer serves Aiven's three endpoints under prefix. It checks what
// every client request must carry, and answers each path from responses.
func newAPIServer(t *testing.T, responses map[string]served) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path, ok := strings.CutPrefix(r.URL.Path, prefix)
		if !ok {
			t.Errorf("request to %s, outside the base URL %s", r.URL.Path, prefix)
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodGet {
			t.Errorf("%s %s, want GET", r.Method, path)
		}
		if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "aivenapi/"+api.Version) {
			t.Errorf("User-Agent = %q, want aivenapi/%s", ua, api.Version)
		}
		if got, want := r.Header.Get("Authorization"), "aivenv1 "+testToken; got != want && path != "/v1/clouds" {
			t.Errorf("%s: Authorization = %q, want the aivenv1 token", path, got)
		}
		resp, ok := responses[path]
		if !ok {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, `{"message": "Not found: %s", "errors": [{"message": "Not found", "status": 404}]}`, path)
			return
		}
		for k, v := range resp.header {
			w.Header()[k] = v
		}
		if resp.contentType != "" {
			w.Header().Set("Content-Type", resp.contentType)
		}
		w.WriteHeader(resp.status)
		w.Write(resp.body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func newClient(t *testing.T, srv *httptest.Server, opts ...api.ClientOption) *api.ClientWithResponses {
	t.Helper()
	opts = append([]api.ClientOption{
		api.WithBaseURL(srv.URL + prefix),
		api.WithRequestEditorFn(auth.Aiven(testToken)),
	}, opts...)
	c, err := api.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// largeProjectList returns a project list of n projects, each a variation
// of the fixtures' projects, with distinct names and Unicode in each.
func largeProjectList(t testing.TB, n int) []byte {
	t.Helper()
	var base struct {
		Projects []map[string]any `json:"projects"`
	}
	if err := json.Unmarshal(readFixture(t, "projects.json"), &base); err != nil {
		t.Fatal(err)
	}
	out := map[string]any{"project_membership": map[string]any{}, "project_memberships": map[string]any{}}
	projects := make([]map[string]any, n)
	for i := range projects {
		p := map[string]any{}
		for k, v := range base.Projects[i%len(base.Projects)] {
			p[k] = v
		}
		name := fmt.Sprintf("projekt-%04d-ß", i)
		p["project_name"] = name
		p["billing_group_name"] = "Gruppe " + name
		projects[i] = p
		out["project_membership"].(map[string]any)[name] = "admin"
		out["project_memberships"].(map[string]any)[name] = []string{"admin", "developer"}
	}
	out["projects"] = projects
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestContract serves realistic responses, decodes them through the
// generated client, checks each against openapi.yaml, and checks that every
// field the description declares survives decoding and re-encoding.
func TestContract(t *testing.T) {
	t.Parallel()
	spec, err := oas.Load()
	if err != nil {
		t.Fatal(err)
	}
	type call func(ctx context.Context, c *api.ClientWithResponses) (decoded any, raw []byte, err error)
	userInfo := func(ctx context.Context, c *api.ClientWithResponses) (any, []byte, error) {
		r, err := c.UserInfoWithResponse(ctx)
		if err != nil {
			return nil, nil, err
		}
		return r.JSON200, r.Body, nil
	}
	projectList := func(ctx context.Context, c *api.ClientWithResponses) (any, []byte, error) {
		r, err := c.ProjectListWithResponse(ctx)
		if err != nil {
			return nil, nil, err
		}
		return r.JSON200, r.Body, nil
	}
	listClouds := func(ctx context.Context, c *api.ClientWithResponses) (any, []byte, error) {
		r, err := c.ListCloudsWithResponse(ctx)
		if err != nil {
			return nil, nil, err
		}
		return r.JSON200, r.Body, nil
	}
	tests := []struct {
		name string
		path string
		body []byte
		call call
	}{
		{"user", "/v1/me", readFixture(t, "me.json"), userInfo},
		{"user with only required fields", "/v1/me", readFixture(t, "me_minimal.json"), userInfo},
		{"projects with nulls and absent fields", "/v1/project", readFixture(t, "projects.json"), projectList},
		{"1000 projects", "/v1/project", largeProjectList(t, 1000), projectList},
		{"no projects", "/v1/project", []byte(`{"project_membership": {}, "project_memberships": {}, "projects": []}`), projectList},
		{"clouds", "/v1/clouds", readFixture(t, "clouds.json"), listClouds},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newAPIServer(t, map[string]served{tt.path: {status: 200, contentType: "application/json", body: tt.body}})
			decoded, raw, err := tt.call(t.Context(), newClient(t, srv))
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			if reflect.ValueOf(decoded).IsNil() {
				t.Fatal("err == nil but JSON200 is nil")
			}
			if !bytes.Equal(raw, tt.body) {
				t.Error("result Body differs from the body served")
			}

			req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, tt.path, nil)
			req.Header.Set("Authorization", "aivenv1 "+testToken)
			hdr := http.Header{"Content-Type": {"application/json"}}
			if err := spec.ValidateResponse(t.Context(), req, 200, hdr, tt.body); err != nil {
				t.Errorf("fixture does not validate against openapi.yaml: %v", err)
			}

			reencoded, err := json.Marshal(decoded)
			if err != nil {
				t.Fatalf("re-encode: %v", err)
			}
			route, _, err := spec.Route(req)
			if err != nil {
				t.Fatal(err)
			}
			schema := route.Operation.Responses.Status(200).Value.Content.Get("application/json").Schema.Value
			var in, out any
			mustUnmarshal(t, tt.body, &in)
			mustUnmarshal(t, reencoded, &out)
			in = declared(schema, in)
			for _, loss := range lost(in, out, "") {
				t.Errorf("lost in decode and re-encode: %s", loss)
			}
		})
	}
}

func mustUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// declared returns v without the object members that schema does not
// declare: what a generated type cannot hold and is not expected to keep.
func declared(schema *openapi3.Schema, v any) any {
	if schema == nil {
		return v
	}
	switch v := v.(type) {
	case map[string]any:
		free := len(schema.Properties) == 0 && schema.AdditionalProperties.Schema == nil
		out := map[string]any{}
		for k, e := range v {
			switch prop := schema.Properties[k]; {
			case prop != nil:
				out[k] = declared(prop.Value, e)
			case schema.AdditionalProperties.Schema != nil:
				out[k] = declared(schema.AdditionalProperties.Schema.Value, e)
			case free:
				out[k] = e
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			if schema.Items != nil {
				e = declared(schema.Items.Value, e)
			}
			out[i] = e
		}
		return out
	}
	return v
}

// lost lists the values of in that out does not hold: out may hold more
// (required fields that were absent come back as zero values), never less.
func lost(in, out any, path string) []string {
	switch in := in.(type) {
	case map[string]any:
		o, ok := out.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: object became %#v", path, out)}
		}
		var losses []string
		for k, v := range in {
			ov, present := o[k]
			if !present {
				losses = append(losses, fmt.Sprintf("%s.%s: %#v is gone", path, k, v))
				continue
			}
			losses = append(losses, lost(v, ov, path+"."+k)...)
		}
		return losses
	case []any:
		o, ok := out.([]any)
		if !ok || len(o) != len(in) {
			return []string{fmt.Sprintf("%s: array of %d became %#v", path, len(in), out)}
		}
		var losses []string
		for i := range in {
			losses = append(losses, lost(in[i], o[i], fmt.Sprintf("%s[%d]", path, i))...)
		}
		return losses
	}
	if !reflect.DeepEqual(in, out) {
		return []string{fmt.Sprintf("%s: %#v became %#v", path, in, out)}
	}
	return nil
}
