package validate_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/auth"
	"github.com/aivenapi/aivenapi/validate"
)

const token = "tok-VALIDATE-8d1e2f3a4b"

type collector struct {
	mu  sync.Mutex
	got []validate.Mismatch
}

func (c *collector) report(_ context.Context, ms []validate.Mismatch) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = append(c.got, ms...)
}

func serve(t *testing.T, status int, contentType, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestValidator(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		undecodable bool // the drift also breaks the generated types
		want        []validate.Mismatch
	}{
		{name: "valid clouds", status: 200, contentType: "application/json",
			body: `{"clouds": [{"cloud_name": "aws-eu-west-1", "geo_region": "europe", "geo_latitude": 53.073635, "surprise": 1}]}`},
		{name: "a required field gone, a null, a new type", status: 200, contentType: "application/json",
			body:        `{"clouds": [{"cloud_name": null, "geo_latitude": 53.1}, {"cloud_name": "b", "geo_region": "e", "provider": 7}]}`,
			undecodable: true,
			want: []validate.Mismatch{
				{Field: "/clouds/0/cloud_name", Expected: "a value, not null", Got: "null"},
				{Field: "/clouds/0/geo_region", Expected: "a required field", Got: "absent"},
				{Field: "/clouds/1/provider", Expected: "type string", Got: "7"},
			}},
		{name: "a value echoing the token is masked", status: 200, contentType: "application/json",
			body:        fmt.Sprintf(`{"clouds": [{"cloud_name": "a", "geo_region": "e", "geo_longitude": "aivenv1 %s"}]}`, token),
			undecodable: true,
			want:        []validate.Mismatch{{Field: "/clouds/0/geo_longitude", Expected: "type number", Got: `string "****"`}}},
		{name: "Aiven's error body is valid", status: 403, contentType: "application/json",
			body: `{"message": "Forbidden", "errors": [{"message": "Forbidden", "status": 403, "error_code": "x"}]}`},
		{name: "an HTML error page is valid", status: 502, contentType: "text/html", body: "<html><title>502</title></html>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := serve(t, tt.status, tt.contentType, tt.body)
			var c collector
			v, err := validate.New(srv.Client(), validate.Options{Report: c.report})
			if err != nil {
				t.Fatal(err)
			}
			client, err := api.New(api.WithBaseURL(srv.URL+"/base"), api.WithHTTPClient(v),
				api.WithRequestEditorFn(auth.Aiven(token)), api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 1}))
			if err != nil {
				t.Fatal(err)
			}
			res, err := client.ListCloudsWithResponse(t.Context())
			switch {
			case tt.status == 200 && !tt.undecodable && (err != nil || res.JSON200 == nil):
				t.Fatalf("drift failed the call in report-only mode: %v", err)
			case tt.undecodable && err == nil:
				t.Fatal("a body the generated types cannot hold decoded without error")
			}
			for i := range tt.want {
				tt.want[i].Method, tt.want[i].Path, tt.want[i].Status = "GET", "/v1/clouds", tt.status
			}
			if diff := cmp.Diff(tt.want, c.got, cmpopts()...); diff != "" {
				t.Errorf("mismatches (-want +got):\n%s", diff)
			}
			for _, m := range c.got {
				if strings.Contains(m.String(), token) {
					t.Errorf("mismatch carries the token: %s", m)
				}
			}
		})
	}
}

func TestStrict(t *testing.T) {
	t.Parallel()
	srv := serve(t, 200, "application/json", `{"clouds": [{"cloud_name": "a"}]}`)
	var c collector
	v, err := validate.New(srv.Client(), validate.Options{Report: c.report, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	client, err := api.New(api.WithBaseURL(srv.URL), api.WithHTTPClient(v))
	if err != nil {
		t.Fatal(err)
	}
	res, err := client.ListCloudsWithResponse(t.Context())
	var drift *validate.Error
	if !errors.As(err, &drift) || res != nil {
		t.Fatalf("strict mode: result %v, error %v; want a *validate.Error", res, err)
	}
	want := "validate: response differs from openapi.yaml in 1 place: GET /v1/clouds (HTTP 200) /clouds/0/geo_region: expected a required field, got absent"
	if !strings.HasPrefix(drift.Error(), want) || len(c.got) != 1 {
		t.Errorf("error = %q, reported %v", drift, c.got)
	}
}

// TestPassThrough: requests outside the description, bodies over the limit
// and transport errors pass through untouched.
func TestPassThrough(t *testing.T) {
	t.Parallel()
	big := `{"clouds": [` + strings.Repeat(`{"cloud_name": "a", "geo_region": "e"},`, 100) + `{"cloud_name": "a", "geo_region": "e"}]}`
	srv := serve(t, 200, "application/json", big)
	var c collector
	v, err := validate.New(srv.Client(), validate.Options{Report: c.report, MaxBody: 64})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/v1/clouds", nil)
	resp, err := v.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != big {
		t.Errorf("body of %d bytes came back as %d bytes", len(big), len(body))
	}
	if len(c.got) != 1 || c.got[0].Got != "a larger body, not validated" {
		t.Errorf("reported %v, want one note that the body was not validated", c.got)
	}

	// A path no description has: any Aiven path may be kept one day.
	other, _ := http.NewRequest("GET", srv.URL+"/v1/no-such-operation", nil)
	resp, err = v.Do(other)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(c.got) != 1 {
		t.Errorf("a request outside openapi.yaml was validated: %v", c.got[1:])
	}

	srv.Close()
	if _, err := v.Do(req); err == nil {
		t.Error("a transport error vanished")
	}
}

func cmpopts() []cmp.Option {
	return []cmp.Option{cmp.Transformer("sorted", func(in []validate.Mismatch) []validate.Mismatch {
		out := slices.Clone(in)
		slices.SortFunc(out, func(a, b validate.Mismatch) int { return strings.Compare(a.Field, b.Field) })
		return out
	})}
}
