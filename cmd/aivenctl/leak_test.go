package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aivenapi/aivenapi/internal/secret/leaktest"
)

// TestOutputMasksEveryEcho has the API echo the token in every form, in
// errors (JSON, HTML, text, problem+json), in results (table and JSON) and
// in drifted fields, and checks stdout and stderr in every output mode:
// plain, --json, --debug, --validate.
func TestOutputMasksEveryEcho(t *testing.T) {
	t.Parallel()
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	replies := map[string]func(e string) reply{
		"401 JSON": func(e string) reply {
			return reply{status: 401, body: fmt.Sprintf(`{"message": %s, "errors": [{"message": %s, "status": 401}]}`, q("token "+e+" expired"), q(e))}
		},
		"502 HTML": func(e string) reply {
			return reply{status: 502, contentType: "text/html", body: "<html><title>Bad " + e + "</title><body><p>" + e + "</p></body></html>"}
		},
		"500 text": func(e string) reply { return reply{status: 500, contentType: "text/plain", body: "upstream: " + e} },
		"403 problem": func(e string) reply {
			return reply{status: 403, contentType: "application/problem+json", body: fmt.Sprintf(`{"title": %s, "detail": %s}`, q("No "+e), q(e))}
		},
		"200 result": func(e string) reply {
			return reply{body: fmt.Sprintf(`{"clouds": [{"cloud_name": %s, "geo_region": %s, "cloud_description": %s}]}`, q(e), q("r "+e), q(e))}
		},
		"200 drift": func(e string) reply {
			return reply{body: fmt.Sprintf(`{"clouds": [{"cloud_name": "c", "geo_region": "r", "geo_latitude": %s, %s: 1}]}`, q("lat "+e), q(e))}
		},
	}
	modes := [][]string{{}, {"--json"}, {"--debug"}, {"--validate"}, {"--debug", "--validate", "--json"}}
	i := 0
	for name, rep := range replies {
		for _, echo := range leaktest.Echoes {
			tok := leaktest.Tokens[i%len(leaktest.Tokens)]
			if strings.ContainsAny(tok, " ") {
				tok = leaktest.Tokens[0]
			}
			i++
			t.Run(name+"/"+echo.Name, func(t *testing.T) {
				t.Parallel()
				f := newFakeAPI(t, "aivenv1 "+tok, map[string][]reply{"/v1/clouds": {rep(echo.Form(tok))}})
				for _, mode := range modes {
					args := append([]string{"cloud", "list"}, mode...)
					r := runCLI(t.Context(), args, testEnv(map[string]string{"HOME": t.TempDir(), "AIVEN_WEB_URL": f.srv.URL, "AIVEN_TOKEN": tok}))
					for out, s := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
						if leaktest.Exposed(s, tok) {
							t.Errorf("aivenctl %s: %s shows the token:\n%s", strings.Join(args, " "), out, s)
						}
					}
				}
			})
		}
	}
}

// TestPlainHTTPOnlyToLoopback refuses to send the token in clear text to
// a name under .localhost, which may be resolved elsewhere or sent through
// a proxy, and sends it to a literal loopback address.
func TestPlainHTTPOnlyToLoopback(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t, "aivenv1 "+fakeToken, map[string][]reply{"/v1/clouds": okJSON(t, "clouds.json")})
	for url, wantCode := range map[string]int{"http://api.localhost:9": 1, f.srv.URL: 0} {
		r := runCLI(t.Context(), []string{"cloud", "list", "--url", url}, testEnv(map[string]string{"HOME": t.TempDir(), "AIVEN_TOKEN": fakeToken}))
		if r.code != wantCode {
			t.Errorf("--url %s: exit %d, stderr %q; want exit %d", url, r.code, r.stderr, wantCode)
		}
		if wantCode != 0 && !strings.Contains(r.stderr, "refusing to send the token over plain http") {
			t.Errorf("--url %s: stderr %q, want the refusal", url, r.stderr)
		}
		assertNoToken(t, r)
	}
	_ = http.StatusOK
}

// TestPastedTokenNotEchoed pastes the token where an argument, a URL or a
// path belongs, with no token known to mask: no message repeats it.
func TestPastedTokenNotEchoed(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{fakeToken},
		{"cloud", "list", fakeToken},
		{"cloud", "list", "--url", fakeToken},
		{"cloud", "list", "--url=" + fakeToken},
		{"cloud", "list", "--timeout", fakeToken},
		{"cloud", "list", "--token-file", fakeToken},
		{"cloud", "list", "--" + fakeToken},
	} {
		r := runCLI(t.Context(), args, testEnv(map[string]string{"HOME": t.TempDir()}))
		if r.code == 0 || !strings.Contains(r.stderr, "not shown") {
			t.Errorf("aivenctl %v: exit %d, stderr %q; want a failure that does not show the argument", args, r.code, r.stderr)
		}
		assertNoToken(t, r)
	}
}
