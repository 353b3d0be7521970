package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aivenapi/aivenapi/api"
)

// TestValidateFlag: --validate reports how a response differs from
// openapi.yaml on stderr, and the command still succeeds.
func TestValidateFlag(t *testing.T) {
	t.Parallel()
	const token = "tok-VALIDATEFLAG-31d7c2"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"clouds": [{"cloud_name": "aws-eu-west-1", "geo_region": "europe"}, {"cloud_name": "new-cloud", "cloud_description": null}]}`)
	}))
	defer srv.Close()
	env := environment{
		getenv: func(k string) string {
			return map[string]string{"AIVEN_WEB_URL": srv.URL, "AIVEN_TOKEN": token}[k]
		},
		retry: &api.RetryPolicy{MaxAttempts: 1},
	}
	for _, args := range [][]string{{"cloud", "list", "--validate"}, {"cloud", "list"}} {
		var stdout, stderr bytes.Buffer
		if err := runWith(t.Context(), args, env, &stdout, &stderr); err != nil {
			t.Fatalf("%v: %v (stderr %s)", args, err, stderr.String())
		}
		if !strings.Contains(stdout.String(), "new-cloud") {
			t.Errorf("%v: stdout lacks the clouds:\n%s", args, stdout.String())
		}
		want := []string{
			"aivenctl: drift: GET /v1/clouds (HTTP 200) /clouds/1/cloud_description: expected a value, not null, got null",
			"aivenctl: drift: GET /v1/clouds (HTTP 200) /clouds/1/geo_region: expected a required field, got absent",
		}
		got := stderr.String()
		for _, w := range want {
			if strings.Contains(got, w) != (len(args) == 3) {
				t.Errorf("%v: stderr %q; want the line %q only with --validate", args, got, w)
			}
		}
		if strings.Contains(got+stdout.String(), token) {
			t.Errorf("%v: output carries the token", args)
		}
	}
}
