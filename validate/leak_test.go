package validate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/auth"
	"github.com/aivenapi/aivenapi/internal/secret/leaktest"
	"github.com/aivenapi/aivenapi/validate"
)

// TestMismatchReportsMaskEveryEcho has a drifted response echo the
// credential of each editor, in every form, in a value, a field name and
// a type, and checks every mismatch report, strict error and log line.
func TestMismatchReportsMaskEveryEcho(t *testing.T) {
	t.Parallel()
	editors := map[string]func(string) func(context.Context, *http.Request) error{
		"Aiven":        func(s string) func(context.Context, *http.Request) error { return auth.Aiven(s) },
		"Bearer":       func(s string) func(context.Context, *http.Request) error { return auth.Bearer(s) },
		"APIToken":     func(s string) func(context.Context, *http.Request) error { return auth.APIToken(s) },
		"X-Credential": func(s string) func(context.Context, *http.Request) error { return auth.Header("X-Credential", s) },
		"Private-Sig":  func(s string) func(context.Context, *http.Request) error { return auth.Header("Private-Sig", s) },
		"Query":        func(s string) func(context.Context, *http.Request) error { return auth.Query("token", s) },
	}
	i := 0
	for name, editor := range editors {
		for _, echo := range leaktest.Echoes {
			tok := leaktest.Tokens[i%len(leaktest.Tokens)]
			i++
			t.Run(name+"/"+echo.Name, func(t *testing.T) {
				t.Parallel()
				e := echo.Form(tok)
				q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
				body := fmt.Sprintf(`{"clouds": [{"cloud_name": %s, "geo_region": "e", "geo_longitude": %s, %s: 1}], %s: [%s]}`,
					"7", q("lon "+e), q(e), q("x"+e), q(e))
				srv := serve(t, 200, "application/json", body)
				var logs bytes.Buffer
				log := slog.New(slog.NewJSONHandler(&logs, nil))
				var c collector
				report := func(ctx context.Context, ms []validate.Mismatch) {
					c.report(ctx, ms)
					for _, m := range ms {
						log.Warn("drift", "m", m, "text", m.String())
					}
				}
				v, err := validate.New(srv.Client(), validate.Options{Report: report, Strict: true})
				if err != nil {
					t.Fatal(err)
				}
				client, err := api.New(api.WithBaseURL(srv.URL), api.WithHTTPClient(v),
					api.WithRequestEditorFn(editor(tok)), api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 1}))
				if err != nil {
					t.Fatal(err)
				}
				_, err = client.ListCloudsWithResponse(t.Context())
				if err == nil || len(c.got) == 0 {
					t.Fatalf("no drift reported (err %v)", err)
				}
				outs := []string{err.Error(), fmt.Sprintf("%+v %#v", err, err), logs.String()}
				for _, m := range c.got {
					outs = append(outs, m.String(), fmt.Sprintf("%+v %#v", m, m))
				}
				for _, out := range outs {
					if leaktest.Exposed(out, tok) {
						t.Errorf("report shows the credential: %s", out)
					}
				}
			})
		}
	}
}
