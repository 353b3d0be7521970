package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aivenapi/aivenapi/api"
	"github.com/google/go-cmp/cmp"
)

// TestCommands runs every command against the fake API, in table and JSON
// form and with Aiven's error answers, and compares what it prints with
// the golden files.
func TestCommands(t *testing.T) {
	t.Parallel()
	rateLimited := []reply{{status: http.StatusTooManyRequests,
		body: `{"message": "Rate limit 120 exceeded - try again in 28s", "errors": [{"message": "Rate limit 120 exceeded - try again in 28s", "status": 429}]}`}}
	expired := []reply{{status: http.StatusUnauthorized,
		body: `{"message": "Missing (expired) db token", "errors": [{"message": "Missing (expired) db token", "status": 401, "error_code": "authentication_failed"}]}`}}
	notFound := []reply{{status: http.StatusNotFound,
		body: `{"message": "Not Found", "errors": [{"message": "Not Found", "status": 404, "error_code": "not_found"}]}`}}
	forbidden := []reply{{status: http.StatusForbidden,
		body: `{"message": "Project access denied", "errors": [{"message": "Project access denied", "status": 403, "error_code": "project_access_denied", "metadata": {"project": "kafka-prod"}}]}`}}
	badGateway := []reply{{status: http.StatusBadGateway, contentType: "text/html", body: fixture(t, "502.html")}}
	notJSON := []reply{{contentType: "text/html; charset=utf-8", body: "<html><body>Captive portal: please log in</body></html>"}}

	withToken := map[string]string{"AIVEN_TOKEN": fakeToken}
	tests := []struct {
		name     string
		args     []string
		vars     map[string]string // besides HOME and AIVEN_WEB_URL
		wantAuth string
		replies  map[string][]reply
		wantCode int
		wantReqs []string
	}{
		{name: "user_info", args: []string{"user", "info"}, vars: withToken, wantAuth: "aivenv1 " + fakeToken,
			replies: map[string][]reply{"/v1/me": okJSON(t, "me.json")}, wantReqs: []string{"GET /v1/me"}},
		// The scheme as Aiven's documents write it, "Bearer", is accepted too.
		{name: "user_info_bearer", args: []string{"user", "info", "--auth-scheme", "Bearer"}, vars: withToken, wantAuth: "Bearer " + fakeToken,
			replies: map[string][]reply{"/v1/me": okJSON(t, "me.json")}, wantReqs: []string{"GET /v1/me"}},
		{name: "user_info_json", args: []string{"user", "info", "--json"}, vars: withToken, wantAuth: "aivenv1 " + fakeToken,
			replies: map[string][]reply{"/v1/me": okJSON(t, "me.json")}, wantReqs: []string{"GET /v1/me"}},
		{name: "project_list", args: []string{"project", "list"}, vars: withToken, wantAuth: "aivenv1 " + fakeToken,
			replies: map[string][]reply{"/v1/project": okJSON(t, "projects.json")}, wantReqs: []string{"GET /v1/project"}},
		{name: "project_list_json", args: []string{"--json", "project", "list"}, vars: withToken, wantAuth: "aivenv1 " + fakeToken,
			replies: map[string][]reply{"/v1/project": okJSON(t, "projects.json")}, wantReqs: []string{"GET /v1/project"}},
		{name: "project_list_empty", args: []string{"project", "list"}, vars: withToken, wantAuth: "aivenv1 " + fakeToken,
			replies:  map[string][]reply{"/v1/project": {{body: `{"project_membership": {}, "project_memberships": {}, "projects": []}`}}},
			wantReqs: []string{"GET /v1/project"}},
		{name: "project_list_empty_json", args: []string{"project", "list", "--json"}, vars: withToken, wantAuth: "aivenv1 " + fakeToken,
			replies:  map[string][]reply{"/v1/project": {{body: `{"project_membership": {}, "project_memberships": {}, "projects": []}`}}},
			wantReqs: []string{"GET /v1/project"}},
		{name: "cloud_list", args: []string{"cloud", "list"},
			replies: map[string][]reply{"/v1/clouds": okJSON(t, "clouds.json")}, wantReqs: []string{"GET /v1/clouds"}},
		{name: "cloud_list_json", args: []string{"cloud", "list", "--json"},
			replies: map[string][]reply{"/v1/clouds": okJSON(t, "clouds.json")}, wantReqs: []string{"GET /v1/clouds"}},
		{name: "cloud_list_with_token", args: []string{"cloud", "list", "--auth-scheme", "bearer"}, vars: withToken, wantAuth: "Bearer " + fakeToken,
			replies: map[string][]reply{"/v1/clouds": okJSON(t, "clouds.json")}, wantReqs: []string{"GET /v1/clouds"}},
		{name: "cloud_list_project", args: []string{"cloud", "list", "--project", "analytics-ålesund"}, vars: withToken, wantAuth: "aivenv1 " + fakeToken,
			replies:  map[string][]reply{"/v1/project/analytics-ålesund/clouds": okJSON(t, "clouds.json")},
			wantReqs: []string{"GET /v1/project/analytics-ålesund/clouds"}},
		{name: "cloud_list_project_json", args: []string{"--project=kafka-prod", "cloud", "list", "--json"}, vars: withToken, wantAuth: "aivenv1 " + fakeToken,
			replies: map[string][]reply{"/v1/project/kafka-prod/clouds": okJSON(t, "clouds.json")}, wantReqs: []string{"GET /v1/project/kafka-prod/clouds"}},
		{name: "error_cloud_list_project_unknown", args: []string{"cloud", "list", "--project", "nope"}, vars: withToken, wantAuth: "aivenv1 " + fakeToken,
			replies: map[string][]reply{"/v1/project/nope/clouds": {{status: http.StatusNotFound,
				body: `{"message": "Project does not exist", "errors": [{"message": "Project does not exist", "status": 404, "error_code": "project_not_found"}]}`}}},
			wantCode: 1, wantReqs: []string{"GET /v1/project/nope/clouds"}},
		{name: "error_cloud_list_project_no_token", args: []string{"cloud", "list", "--project", "kafka-prod"}, wantCode: 1},
		{name: "usage_project_elsewhere", args: []string{"user", "info", "--project", "kafka-prod"}, vars: withToken, wantCode: 2},
		// Fields openapi.yaml does not declare are columns too, as avn
		// shows them: alphabetically, objects flattened to dotted names.
		{name: "cloud_list_undeclared", args: []string{"cloud", "list"},
			replies: map[string][]reply{"/v1/clouds": okJSON(t, "undeclared_clouds.json")}, wantReqs: []string{"GET /v1/clouds"}},
		{name: "cloud_list_undeclared_json", args: []string{"cloud", "list", "--json"},
			replies: map[string][]reply{"/v1/clouds": okJSON(t, "undeclared_clouds.json")}, wantReqs: []string{"GET /v1/clouds"}},
		{name: "cloud_list_hostile", args: []string{"cloud", "list"},
			replies: map[string][]reply{"/v1/clouds": okJSON(t, "hostile_clouds.json")}, wantReqs: []string{"GET /v1/clouds"}},
		// With a token, every output goes through the masking writer,
		// which must read the JSON escapes (\t, \/) it finds.
		{name: "cloud_list_hostile_json_token", args: []string{"cloud", "list", "--json"}, vars: withToken, wantAuth: "aivenv1 " + fakeToken,
			replies: map[string][]reply{"/v1/clouds": okJSON(t, "hostile_clouds.json")}, wantReqs: []string{"GET /v1/clouds"}},
		{name: "cloud_list_hostile_json", args: []string{"cloud", "list", "--json"},
			replies: map[string][]reply{"/v1/clouds": okJSON(t, "hostile_clouds.json")}, wantReqs: []string{"GET /v1/clouds"}},

		{name: "error_429", args: []string{"project", "list"}, vars: withToken, wantAuth: "aivenv1 " + fakeToken,
			replies: map[string][]reply{"/v1/project": rateLimited}, wantCode: 1, wantReqs: []string{"GET /v1/project"}},
		{name: "error_401_variable", args: []string{"user", "info"}, vars: map[string]string{"AIVEN_AUTH_TOKEN": fakeToken},
			wantAuth: "aivenv1 " + fakeToken, replies: map[string][]reply{"/v1/me": expired}, wantCode: 1, wantReqs: []string{"GET /v1/me"}},
		{name: "error_401_json", args: []string{"user", "info", "--json"}, vars: withToken, wantAuth: "aivenv1 " + fakeToken,
			replies: map[string][]reply{"/v1/me": expired}, wantCode: 1, wantReqs: []string{"GET /v1/me"}},
		{name: "error_401_no_token", args: []string{"cloud", "list"},
			replies: map[string][]reply{"/v1/clouds": expired}, wantCode: 1, wantReqs: []string{"GET /v1/clouds"}},
		{name: "error_403", args: []string{"project", "list"}, vars: withToken, wantAuth: "aivenv1 " + fakeToken,
			replies: map[string][]reply{"/v1/project": forbidden}, wantCode: 1, wantReqs: []string{"GET /v1/project"}},
		{name: "error_404", args: []string{"cloud", "list"},
			replies: map[string][]reply{"/v1/clouds": notFound}, wantCode: 1, wantReqs: []string{"GET /v1/clouds"}},
		{name: "error_502_html", args: []string{"cloud", "list", "--json"},
			replies: map[string][]reply{"/v1/clouds": badGateway}, wantCode: 1, wantReqs: []string{"GET /v1/clouds"}},
		{name: "error_200_html", args: []string{"cloud", "list"},
			replies: map[string][]reply{"/v1/clouds": notJSON}, wantCode: 1, wantReqs: []string{"GET /v1/clouds"}},
		{name: "error_missing_token", args: []string{"user", "info"}, wantCode: 1},
		{name: "error_plain_http", args: []string{"user", "info", "--url", "http://api.example.com"}, vars: withToken, wantCode: 1},
		{name: "error_url_v1", args: []string{"cloud", "list", "--url", "https://api.aiven.io/v1"}, wantCode: 2},
		{name: "error_env_url_v1", args: []string{"cloud", "list"}, vars: map[string]string{"AIVEN_WEB_URL": "https://api.aiven.io/v1/"}, wantCode: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAPI(t, tt.wantAuth, tt.replies)
			home := t.TempDir()
			vars := map[string]string{"HOME": home, "AIVEN_WEB_URL": f.srv.URL}
			for k, v := range tt.vars {
				vars[k] = v
			}
			r := runCLI(t.Context(), tt.args, testEnv(vars))
			if r.code != tt.wantCode {
				t.Errorf("exit code %d, want %d; stderr:\n%s", r.code, tt.wantCode, r.stderr)
			}
			if diff := cmp.Diff(tt.wantReqs, f.requests()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			if tt.wantCode != 0 && r.stdout != "" {
				t.Errorf("stdout of a failure: %q, want nothing", r.stdout)
			}
			if tt.wantCode != 0 && strings.Count(r.stderr, "\n") != 1 && tt.wantCode != 2 {
				t.Errorf("stderr of a failure is not one line:\n%s", r.stderr)
			}
			assertNoToken(t, r)
			checkGolden(t, tt.name, normalize(r.transcript(tt.args), f.srv.URL, "$URL", home, "$HOME"))
		})
	}
}

// TestTruncatedBody checks a 200 whose body is cut short: one line that
// names the call, exit 1, nothing on stdout. The wording is the api
// package's, so it is not a golden file.
func TestTruncatedBody(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t, "", map[string][]reply{"/v1/clouds": {{body: `{"clouds": [{"cloud_name": "aws-eu-west-1", "geo_reg`}}})
	for _, args := range [][]string{{"cloud", "list"}, {"cloud", "list", "--json"}} {
		r := runCLI(t.Context(), args, testEnv(map[string]string{"HOME": t.TempDir(), "AIVEN_WEB_URL": f.srv.URL}))
		if r.code != 1 || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 ||
			!strings.HasPrefix(r.stderr, "aivenctl: ") || !strings.Contains(r.stderr, "GET /v1/clouds") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 1 and one line on stderr naming GET /v1/clouds", args, r.code, r.stdout, r.stderr)
		}
	}
}

// TestJSONOutput checks that --json prints what the API sent for the
// items listed: valid JSON and nothing else, every field in the API's
// order, those openapi.yaml does not declare included, numbers as written,
// and null kept apart from absent. user info prints a list of one user,
// as avn does.
func TestJSONOutput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args          []string
		path, fixture string
		key           string // the field of the body --json prints
		list          bool   // whether --json wraps it in a list
	}{
		{[]string{"user", "info", "--json"}, "/v1/me", "me.json", "user", true},
		{[]string{"project", "list", "--json"}, "/v1/project", "projects.json", "projects", false},
		{[]string{"cloud", "list", "--json"}, "/v1/clouds", "clouds.json", "clouds", false},
	}
	// Fields of the fixtures that the generated types do not know.
	unknown := []string{`"scim_pending_changes"`, `"carbon_report"`, `"availability"`}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			f := newFakeAPI(t, "aivenv1 "+fakeToken, map[string][]reply{tt.path: okJSON(t, tt.fixture)})
			r := runCLI(t.Context(), tt.args, testEnv(map[string]string{"AIVEN_TOKEN": fakeToken, "AIVEN_WEB_URL": f.srv.URL, "HOME": t.TempDir()}))
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			var fields map[string]json.RawMessage
			if err := json.Unmarshal([]byte(fixture(t, tt.fixture)), &fields); err != nil {
				t.Fatal(err)
			}
			want := []byte(fields[tt.key])
			if tt.list {
				want = slices.Concat([]byte("["), want, []byte("]"))
			}
			var wantBuf, gotBuf bytes.Buffer
			if err := json.Compact(&wantBuf, want); err != nil {
				t.Fatal(err)
			}
			if err := json.Compact(&gotBuf, []byte(r.stdout)); err != nil {
				t.Fatalf("stdout is not one JSON value: %v\n%s", err, r.stdout)
			}
			if diff := cmp.Diff(wantBuf.String(), gotBuf.String()); diff != "" {
				t.Errorf("--json output differs from the API's (-api +printed):\n%s", diff)
			}
			found := 0
			for _, k := range unknown {
				found += strings.Count(r.stdout, k)
			}
			if found == 0 {
				t.Errorf("the fixture's undeclared fields %v are not printed (or the fixture lost them)", unknown)
			}
		})
	}
}

// TestFlagPlacement runs the same command with its flags in every place a
// person types them.
func TestFlagPlacement(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t, "", map[string][]reply{"/v1/clouds": okJSON(t, "clouds.json")})
	env := testEnv(map[string]string{"HOME": t.TempDir()})
	want := runCLI(t.Context(), []string{"--url", f.srv.URL, "--json", "cloud", "list"}, env)
	if want.code != 0 || !strings.HasPrefix(want.stdout, "[\n") {
		t.Fatalf("exit %d, stdout %q, stderr %q", want.code, want.stdout, want.stderr)
	}
	for _, args := range [][]string{
		{"cloud", "list", "--json", "--url", f.srv.URL},
		{"cloud", "--json", "list", "--url=" + f.srv.URL},
		{"--json", "cloud", "list", "-url", f.srv.URL},
		{"-json", "--url", f.srv.URL, "cloud", "list"},
		{"--url", f.srv.URL, "cloud", "list", "--json=true"},
		{"--timeout", "30s", "cloud", "--debug=false", "list", "--json", "--url", f.srv.URL},
		{"--json", "--url", f.srv.URL, "--", "cloud", "list"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			got := runCLI(t.Context(), args, env)
			if got.code != want.code || got.stderr != want.stderr || got.stdout != want.stdout {
				t.Errorf("exit %d, stderr %q, stdout:\n%s\nwant the output of --json cloud list", got.code, got.stderr, got.stdout)
			}
		})
	}
}

// TestUsage covers help and usage errors: help goes to stdout and exits 0;
// a usage error prints two lines on stderr, the mistake (with a suggestion
// when one is close) and a pointer to the help, and exits 2; no request is
// sent for either.
func TestUsage(t *testing.T) {
	t.Parallel()
	// A token pasted where an argument goes: never printed back.
	const pastedToken = "PASTED-d41d8cd98f00b204e9800998ecf8427e-0123456789abcdef"
	tests := []struct {
		name     string
		args     []string
		wantCode int
	}{
		{"help", []string{"help"}, 0},
		{"help_flag", []string{"-h"}, 0},
		{"help_long_flag", []string{"--help"}, 0},
		{"help_user", []string{"help", "user"}, 0},
		{"help_project", []string{"help", "project"}, 0},
		{"help_cloud", []string{"cloud", "list", "-h"}, 0},
		{"help_project_flag", []string{"project", "-h"}, 0},
		{"help_version", []string{"version", "--help"}, 0},
		{"help_help", []string{"help", "help"}, 0},
		{"version", []string{"version"}, 0},
		{"version_json", []string{"--json", "version"}, 0},
		{"usage_no_command", nil, 2},
		{"usage_unknown_command", []string{"services"}, 2},
		{"usage_unknown_verb", []string{"project", "delete"}, 2},
		{"usage_missing_verb", []string{"project"}, 2},
		{"usage_extra_argument", []string{"cloud", "list", "aws"}, 2},
		{"usage_unknown_flag", []string{"cloud", "list", "--token", "x"}, 2},
		{"usage_flag_without_value", []string{"cloud", "list", "--url"}, 2},
		{"usage_bad_timeout", []string{"--timeout", "soon", "cloud", "list"}, 2},
		{"usage_negative_timeout", []string{"--timeout=-1s", "cloud", "list"}, 2},
		{"usage_bad_scheme", []string{"user", "info", "--auth-scheme", "basic"}, 2},
		{"usage_help_unknown", []string{"help", "services"}, 2},
		{"usage_version_argument", []string{"version", "2"}, 2},
		{"usage_flag_typo", []string{"--jsno", "cloud", "list"}, 2},
		{"usage_verb_typo", []string{"cloud", "lsit"}, 2},
		{"usage_pasted_token", []string{"user", "info", pastedToken}, 2},
		{"usage_pasted_token_flag", []string{"--token=" + pastedToken, "user", "info"}, 2},
		{"usage_bad_bool", []string{"--json=maybe", "cloud", "list"}, 2},
		{"usage_empty_project", []string{"cloud", "list", "--project="}, 2},
		{"usage_help_verb_typo", []string{"help", "cloud", "lsit"}, 2},
		{"help_cloud_list", []string{"help", "cloud", "list"}, 0},
		{"usage_help_extra", []string{"help", "cloud", "list", "now"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAPI(t, "", nil)
			env := testEnv(map[string]string{"HOME": t.TempDir(), "AIVEN_WEB_URL": f.srv.URL, "AIVEN_TOKEN": fakeToken})
			r := runCLI(t.Context(), tt.args, env)
			if r.code != tt.wantCode {
				t.Errorf("exit code %d, want %d", r.code, tt.wantCode)
			}
			if reqs := f.requests(); len(reqs) > 0 {
				t.Errorf("sent %v, want no request", reqs)
			}
			switch {
			case tt.wantCode == 0 && (r.stdout == "" || r.stderr != ""):
				t.Errorf("help: stdout %q, stderr %q; want stdout only", r.stdout, r.stderr)
			case tt.wantCode == 2 && (r.stdout != "" || strings.Count(r.stderr, "\n") != 2 || !strings.Contains(r.stderr, "\nRun 'aivenctl help")):
				t.Errorf("usage error: stdout %q, stderr %q; want two lines on stderr, the second pointing to the help", r.stdout, r.stderr)
			}
			assertNoToken(t, r)
			checkGolden(t, tt.name, normalize(r.transcript(tt.args)))
		})
	}
}

// TestHelpListsEveryFlag keeps the help in step with the flags.
func TestHelpListsEveryFlag(t *testing.T) {
	t.Parallel()
	help := helpText(nil)
	for _, name := range []string{"--json", "--url URL", "--token-file PATH", "--auth-scheme SCHEME", "--timeout DURATION", "--debug", "-h, --help"} {
		if !strings.Contains(help, "  "+name+" ") {
			t.Errorf("help does not list %q:\n%s", name, help)
		}
	}
	for _, n := range nouns {
		for _, v := range n.verbs {
			if !strings.Contains(help, n.name+" "+v.name) {
				t.Errorf("help does not list %q", n.name+" "+v.name)
			}
		}
	}
}

// TestManualNamesEveryCommandAndFlag keeps doc.go, the manual, in step
// with the code.
func TestManualNamesEveryCommandAndFlag(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, n := range nouns {
		for _, v := range n.verbs {
			words = append(words, n.name+" "+v.name, v.op)
		}
	}
	newFlagSet(&options{}).VisitAll(func(f *flag.Flag) {
		if f.Name != "h" && f.Name != "help" {
			words = append(words, "--"+f.Name)
		}
	})
	words = append(words, tokenVariables...)
	words = append(words, "AIVEN_CREDENTIALS_FILE", "AIVEN_CONFIG_DIR", "AIVEN_WEB_URL", "AIVEN_CA_CERT", "AIVEN_DEBUG")
	for _, w := range words {
		if !strings.Contains(string(doc), w) {
			t.Errorf("doc.go does not mention %q", w)
		}
	}
}

func TestExitCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want int
	}{
		{nil, 0},
		{usagef(nil, "bad"), 2},
		{&callFailure{msg: "x", err: &api.Error{StatusCode: 500}}, 1},
		{os.ErrNotExist, 1},
	}
	for _, tt := range tests {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

// TestGoldenFilesUsed finds golden files no test writes any more.
func TestGoldenFilesUsed(t *testing.T) {
	if *update {
		t.Skip("files are being rewritten")
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.golden"))
	if err != nil {
		t.Fatal(err)
	}
	src := ""
	tests, _ := filepath.Glob("*_test.go")
	for _, f := range tests {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src += string(b)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".golden")
		if !strings.Contains(src, `"`+name+`"`) {
			t.Errorf("%s is not used by any test", f)
		}
	}
}

// TestShown: an argument is echoed in a usage error only when it is short
// and word-like; anything that may be a pasted credential is only counted.
func TestShown(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ arg, want string }{
		{"clouds", `"clouds"`},
		{"--jsno", `"--jsno"`},
		{"aws-eu-west-1", `"aws-eu-west-1"`},
		{"", `""`},
		{"abcdefghijklmnopqrstuvwx", `"abcdefghijklmnopqrstuvwx"`},
		{"abcdefghijklmnopqrstuvwxy", "(25 characters, not shown)"},
		{"tok en", "(6 characters, not shown)"},
		{"a+b", "(3 characters, not shown)"},
		{"\x1b[31m", "(5 characters, not shown)"},
		{"Åsa", "(3 characters, not shown)"},
		{fakeToken, fmt.Sprintf("(%d characters, not shown)", len(fakeToken))},
		// Short, word-like, and still token-like: counted.
		{"SECRETTOKEN123abcdef", "(20 characters, not shown)"},
		{"AKIAIOSFODNN7EXAMPLE", "(20 characters, not shown)"},
		{"ghp_0123456789abcdef", "(20 characters, not shown)"},
		{"d41d8cd98f00b204e980", "(20 characters, not shown)"},
		{"Secret123abc", "(12 characters, not shown)"},
		// Names with digits stay shown.
		{"google-europe-north1", `"google-europe-north1"`},
		{"kafka-prod-2024", `"kafka-prod-2024"`},
		{"Project2", `"Project2"`},
	} {
		if got := shown(tt.arg); got != tt.want {
			t.Errorf("shown(%q) = %s, want %s", tt.arg, got, tt.want)
		}
	}
}

// TestClosest: a suggestion only when a candidate is a slip away.
func TestClosest(t *testing.T) {
	t.Parallel()
	flags := []string{"json", "url", "token-file", "auth-scheme", "timeout", "debug", "validate", "h", "help"}
	for _, tt := range []struct{ word, want string }{
		{"jsno", "json"},
		{"jso", "json"},
		{"JSON", "json"},
		{"tiemout", "timeout"},
		{"token-fiel", "token-file"},
		{"validat", "validate"},
		{"x", ""},
		{"hx", ""},
		{"token", ""},
		{"verbose", ""},
		{"urls", "url"},
	} {
		if got := closest(tt.word, flags); got != tt.want {
			t.Errorf("closest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
	if got := closest("clod", commandNames()); got != "cloud" {
		t.Errorf("closest(clod) = %q, want cloud", got)
	}
}
