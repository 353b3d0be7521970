package oas

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestValidateRequest(t *testing.T) {
	t.Parallel()
	spec, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	onlyAivenv1 := func(_, v string) error {
		if !strings.HasPrefix(v, "aivenv1 ") {
			return errors.New("want aivenv1")
		}
		return nil
	}
	tests := []struct {
		name, method, url, auth string
		wantErr                 string
	}{
		{"me with token", "GET", "http://127.0.0.1:9/v1/me", "aivenv1 t", ""},
		{"project with token", "GET", "http://localhost/v1/project", "aivenv1 t", ""},
		{"clouds without token", "GET", "https://api.aiven.io/v1/clouds", "", ""},
		{"clouds with token", "GET", "http://127.0.0.1/v1/clouds", "aivenv1 t", ""},
		{"me without token", "GET", "http://127.0.0.1/v1/me", "", "no credential"},
		{"me with bearer", "GET", "http://127.0.0.1/v1/me", "Bearer t", "want aivenv1"},
		{"path without /v1", "GET", "http://127.0.0.1/me", "aivenv1 t", "no operation"},
		{"wrong method", "POST", "http://127.0.0.1/v1/clouds", "", "no operation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tt.method, tt.url, nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			err := spec.ValidateRequest(t.Context(), req, onlyAivenv1)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("ValidateRequest: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("ValidateRequest error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestValidateResponseMismatches(t *testing.T) {
	t.Parallel()
	spec, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "http://127.0.0.1/v1/clouds", nil)
	json := http.Header{"Content-Type": {"application/json"}}

	good := `{"clouds":[{"cloud_name":"aws-eu-west-1","geo_region":"europe","geo_latitude":53.073635,"provider":"aws","extra":1}]}`
	if err := spec.ValidateResponse(t.Context(), req, 200, json, []byte(good)); err != nil {
		t.Fatalf("valid body rejected: %v", err)
	}
	html := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	if err := spec.ValidateResponse(t.Context(), req, 502, html, []byte("<html><title>502</title></html>")); err != nil {
		t.Fatalf("HTML error page rejected: %v", err)
	}

	bad := `{"clouds":[{"cloud_name":7,"geo_latitude":"north"}]}`
	err = spec.ValidateResponse(t.Context(), req, 200, json, []byte(bad))
	got := map[string]string{}
	for _, m := range Mismatches(err) {
		got[m.Field] = m.String()
	}
	for field, want := range map[string]string{
		"/clouds/0/cloud_name":   "expected type string, got 7",
		"/clouds/0/geo_latitude": `expected type number, got string "north"`,
		"/clouds/0/geo_region":   "expected a required field, got absent",
	} {
		if !strings.Contains(got[field], want) {
			t.Errorf("mismatch at %s = %q, want it to contain %q (all: %v)", field, got[field], want, got)
		}
	}
}

// TestValidateResponseWholeBody: a JSON body must be one JSON value and
// nothing more. kin-openapi alone reads the first value and ignores the
// rest, so a fixture with trailing data would pass while every client
// rejects it.
func TestValidateResponseWholeBody(t *testing.T) {
	t.Parallel()
	spec, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "http://127.0.0.1/v1/clouds", nil)
	for _, tt := range []struct {
		ctype, body string
		ok          bool
	}{
		{"application/json", `{"clouds": []}`, true},
		{"application/json", " {\"clouds\": []}\n", true},
		{"application/json; charset=utf-8", `{"clouds": []} {"clouds": 1}`, false},
		{"application/json", `{"clouds": []}0`, false},
		{"application/problem+json", `{"clouds": []}]`, false},
		{"application/json", `{"clouds": [`, false},
		{"application/json", ``, false},
		{"text/html", "<html>ok</html> trailing", false}, // the wrong content type, as before
	} {
		err := spec.ValidateResponse(t.Context(), req, 200, http.Header{"Content-Type": {tt.ctype}}, []byte(tt.body))
		if (err == nil) != tt.ok {
			t.Errorf("%s %q: err = %v, want ok %t", tt.ctype, tt.body, err, tt.ok)
		}
		if !tt.ok && len(Mismatches(err)) == 0 {
			t.Errorf("%s %q: no mismatch for %v", tt.ctype, tt.body, err)
		}
	}
}

func TestParseRejectsInvalidDescription(t *testing.T) {
	t.Parallel()
	if _, err := Parse([]byte("openapi: 3.0.1\ninfo: {}\npaths: {}\n")); err == nil {
		t.Fatal("Parse accepted a description without info.title and info.version")
	}
}
