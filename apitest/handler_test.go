package apitest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/apitest"
)

// rawClient returns an HTTP client that opens a connection per request, so
// that a dropped connection reaches the test instead of being retried by
// the transport on a fresh one.
func rawClient(t *testing.T) *http.Client {
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// get sends GET base+path with the Authorization header auth (none when
// empty) and returns the response with its body read.
func get(t *testing.T, c *http.Client, method, url, auth string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	return resp, body
}

// projectList calls the deprecated operation, which the fake still serves.
func projectList(ctx context.Context, c *api.ClientWithResponses, editors ...api.RequestEditorFn) (*api.ProjectListResult, error) {
	//lint:ignore SA1019 GET /v1/project is deprecated upstream; the fake serves it as Aiven still does.
	return c.ProjectListWithResponse(ctx, editors...)
}

// aivenBody is Aiven's JSON error body.
type aivenBody struct {
	Message string `json:"message"`
	Errors  []struct {
		Message   string `json:"message"`
		Status    int    `json:"status"`
		ErrorCode string `json:"error_code"`
	} `json:"errors"`
}

func decodeAiven(t *testing.T, body []byte) aivenBody {
	t.Helper()
	var b aivenBody
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatalf("error body is not Aiven's JSON: %v: %q", err, body)
	}
	if len(b.Errors) != 1 || b.Errors[0].Message != b.Message {
		t.Fatalf("error body %s: want one errors[] item repeating the message", body)
	}
	return b
}

// The default data reaches the real client intact: every field the
// fixture has decodes to what encoding/json makes of the same bytes, and
// the traps (nulls, open enums, float64 coordinates, Unicode) are there.
func TestDefaultData(t *testing.T) {
	t.Parallel()
	srv := apitest.NewServer(t, apitest.Config{})
	c := srv.Client()
	ctx := t.Context()

	me, err := c.UserInfoWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var wantMe api.UserInfoResponse
	if err := json.Unmarshal(apitest.DefaultUserInfo(), &wantMe); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantMe, *me.JSON200); diff != "" {
		t.Errorf("UserInfo (-fixture +client):\n%s", diff)
	}
	u := me.JSON200.User
	if u.RealName != "Åsa Järvinen-Müller 🌲 山田" {
		t.Errorf("real_name = %q", u.RealName)
	}
	if got := u.ProjectMembership["acme-observability"]; got != "project:observability:read" {
		t.Errorf("member type not in the upstream enum = %q, want it kept", got)
	}
	if got := u.TokenValidityBegin.Time.Format(time.RFC3339Nano); got != "2021-08-18T09:24:10.298796Z" {
		t.Errorf("token_validity_begin = %s", got)
	}

	pl, err := projectList(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	var wantPL api.ProjectListResponse
	if err := json.Unmarshal(apitest.DefaultProjectList(), &wantPL); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantPL, *pl.JSON200); diff != "" {
		t.Errorf("ProjectList (-fixture +client):\n%s", diff)
	}
	staging := pl.JSON200.Projects[1]
	if !staging.CardInfo.IsNull() || !staging.AccountID.IsNull() || !staging.BillingExtraText.IsNull() {
		t.Errorf("project %s: want null card_info, account_id and billing_extra_text", staging.ProjectName)
	}
	if staging.OrganizationID != nil {
		t.Errorf("project %s: organization_id = %q, want absent", staging.ProjectName, *staging.OrganizationID)
	}
	if got := pl.JSON200.Projects[0].EstimatedBalance; got != "4.11" {
		t.Errorf("estimated_balance = %q, want the string 4.11", got)
	}

	cl, err := c.ListCloudsWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var wantCl api.ListCloudsResponse
	if err := json.Unmarshal(apitest.DefaultListClouds(), &wantCl); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantCl, *cl.JSON200); diff != "" {
		t.Errorf("ListClouds (-fixture +client):\n%s", diff)
	}
	if n := len(cl.JSON200.Clouds); n < 140 {
		t.Errorf("%d clouds, want about 150", n)
	}
	providers := map[string]bool{}
	for _, cloud := range cl.JSON200.Clouds {
		providers[strings.SplitN(cloud.CloudName, "-", 2)[0]] = true
		if cloud.CloudName == "aws-eu-west-1" && (cloud.GeoLatitude == nil || *cloud.GeoLatitude != 53.073635) {
			t.Errorf("aws-eu-west-1 latitude = %v, want 53.073635 exactly", cloud.GeoLatitude)
		}
	}
	if len(providers) != 5 {
		t.Errorf("providers %v, want aws, google, azure, upcloud, do", providers)
	}

	if got, want := srv.Stats().Requests, 3; got != want {
		t.Errorf("Stats().Requests = %d, want %d", got, want)
	}
}

// Each Default* returns its own copy.
func TestDefaultsAreCopies(t *testing.T) {
	t.Parallel()
	a := apitest.DefaultListClouds()
	a[0] = 'X'
	if b := apitest.DefaultListClouds(); b[0] == 'X' {
		t.Fatal("DefaultListClouds returned shared memory")
	}
}

// Requests that break openapi.yaml or lack the exact token are answered
// with Aiven's error body and the right status, counted as rejected, and
// logged without the credential.
func TestRequestChecks(t *testing.T) {
	t.Parallel()
	const tok = "tok-Request-Checks-0123456789"
	var mu sync.Mutex
	var logged []string
	srv := apitest.NewServer(t, apitest.Config{Token: tok, Logf: func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		logged = append(logged, fmt.Sprintf(format, args...))
	}})
	hc := rawClient(t)
	good := "aivenv1 " + tok
	tests := []struct {
		name, method, path, auth string
		wantStatus               int
		wantMessage              string
	}{
		{"me with token", "GET", "/v1/me", good, 200, ""},
		{"project with token", "GET", "/v1/project", good, 200, ""},
		{"clouds with token", "GET", "/v1/clouds", good, 200, ""},
		{"clouds without token", "GET", "/v1/clouds", "", 200, ""},
		{"query ignored", "GET", "/v1/me?limit=5", good, 200, ""},
		{"me with Bearer", "GET", "/v1/me", "Bearer " + tok, 200, ""},
		{"project with bearer", "GET", "/v1/project", "bearer " + tok, 200, ""},
		{"me with upper-case scheme", "GET", "/v1/me", "AIVENV1 " + tok, 200, ""},
		{"me without token", "GET", "/v1/me", "", 401, "Missing (expired) db token: the request has no Authorization header"},
		{"project without token", "GET", "/v1/project", "", 401, "Missing (expired) db token: the request has no Authorization header"},
		{"me with another token", "GET", "/v1/me", "aivenv1 other-token", 401, "Invalid token: aivenv1 with a token this server does not accept"},
		{"me with another bearer token", "GET", "/v1/me", "Bearer other-token", 401, "Invalid token: Bearer with a token this server does not accept"},
		{"me with Basic", "GET", "/v1/me", "Basic " + tok, 401, `Invalid token: Authorization uses scheme "Basic", want "aivenv1 <token>" or "Bearer <token>"`},
		{"me with the bare token", "GET", "/v1/me", tok, 401, `Invalid token: Authorization is not "aivenv1 <token>" nor "Bearer <token>"`},
		{"me with an unknown scheme", "GET", "/v1/me", "Xyzzy-" + tok + " " + tok, 401, `Invalid token: Authorization is not "aivenv1 <token>" nor "Bearer <token>"`},
		{"me with two spaces", "GET", "/v1/me", "aivenv1  " + tok, 401, "Invalid token: white space around the token"},
		{"clouds with another token", "GET", "/v1/clouds", "aivenv1 other-token", 401, "Invalid token: aivenv1 with a token this server does not accept"},
		{"path without /v1", "GET", "/me", good, 404, "Not found"},
		{"unknown path", "GET", "/v1/service", good, 404, "Not found"},
		{"trailing slash", "GET", "/v1/clouds/", good, 404, "Not found"},
		{"escaped letter", "GET", "/v1/%63louds", good, 404, "Not found"},
		{"POST clouds", "POST", "/v1/clouds", good, 405, "Method not allowed"},
		{"DELETE me", "DELETE", "/v1/me", good, 405, "Method not allowed"},
	}
	rejected := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, hc, tt.method, srv.URL+tt.path, tt.auth)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tt.wantStatus, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q, want application/json", ct)
			}
			if tt.wantStatus == 200 {
				if !json.Valid(body) {
					t.Errorf("200 body is not JSON")
				}
				return
			}
			rejected++
			b := decodeAiven(t, body)
			if b.Message != tt.wantMessage || b.Errors[0].Status != tt.wantStatus {
				t.Errorf("body %s, want message %q and status %d", body, tt.wantMessage, tt.wantStatus)
			}
			if tt.wantStatus == 405 && resp.Header.Get("Allow") != "GET" {
				t.Errorf("Allow = %q, want GET", resp.Header.Get("Allow"))
			}
			if strings.Contains(string(body), tok) {
				t.Errorf("error body repeats the token: %s", body)
			}
		})
	}

	t.Run("two Authorization headers", func(t *testing.T) {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/v1/me", nil)
		req.Header.Add("Authorization", good)
		req.Header.Add("Authorization", good)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Errorf("status %d, want 401", resp.StatusCode)
		}
		rejected++
	})

	st := srv.Stats()
	if st.Rejected != rejected {
		t.Errorf("Stats().Rejected = %d, want %d", st.Rejected, rejected)
	}
	if got := st.Paths[apitest.OtherPaths]; got != 3 { // /v1/%63louds counts as /v1/clouds
		t.Errorf("Stats().Paths[OtherPaths] = %d, want the 3 requests for unknown paths", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(logged) != rejected {
		t.Errorf("%d log lines for %d rejected requests: %q", len(logged), rejected, logged)
	}
	for _, l := range logged {
		if strings.Contains(l, tok) || strings.Contains(l, "other-token") {
			t.Errorf("log line shows a credential: %s", l)
		}
	}
	if !strings.Contains(strings.Join(logged, "\n"), `scheme "Basic"`) {
		t.Errorf("no log line names the Basic scheme: %q", logged)
	}
}

// recordingTB is a testing.TB whose Errorf is recorded, to prove that a
// drifting fixture fails the test that uses it.
type recordingTB struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// A fixture that does not match openapi.yaml is answered 500 with the
// mismatches, fails the test once, and is counted each time.
func TestDriftingFixture(t *testing.T) {
	t.Parallel()
	tb := &recordingTB{TB: t}
	drifted := []byte(`{"clouds": [{"cloud_name": 7, "geo_region": "europe", "geo_latitude": "north"}]}`)
	srv := apitest.NewServer(tb, apitest.Config{ListClouds: drifted})
	hc := rawClient(t)
	for range 2 {
		resp, body := get(t, hc, "GET", srv.URL+apitest.PathListClouds, "")
		if resp.StatusCode != 500 {
			t.Fatalf("status %d, want 500", resp.StatusCode)
		}
		msg := decodeAiven(t, body).Message
		for _, want := range []string{"openapi.yaml", "/clouds/0/cloud_name: expected type string, got 7", "/clouds/0/geo_latitude"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message %q lacks %q", msg, want)
			}
		}
	}
	tb.mu.Lock()
	if len(tb.errors) != 1 || !strings.Contains(tb.errors[0], "/clouds/0/cloud_name") {
		t.Errorf("test errors %q, want one naming /clouds/0/cloud_name", tb.errors)
	}
	tb.mu.Unlock()
	if got := srv.Stats().Drift; got != 2 {
		t.Errorf("Stats().Drift = %d, want 2", got)
	}
	if err := srv.CheckFixtures(); err == nil || !strings.Contains(err.Error(), "cloud_name") {
		t.Errorf("CheckFixtures() = %v, want the mismatch", err)
	}
	// The other paths are unharmed.
	if resp, _ := get(t, hc, "GET", srv.URL+apitest.PathUserInfo, "aivenv1 "+srv.Token()); resp.StatusCode != 200 {
		t.Errorf("GET /v1/me: status %d", resp.StatusCode)
	}
}

func TestNewHandlerRefuses(t *testing.T) {
	t.Parallel()
	for name, cfg := range map[string]apitest.Config{
		"body not JSON":   {UserInfo: []byte(`{"user": `)},
		"trailing data":   {ListClouds: []byte(`{"clouds": []} {"clouds": []}`)},
		"token has space": {Token: "two words"},
	} {
		if _, err := apitest.NewHandler(cfg); err == nil || !strings.HasPrefix(err.Error(), "apitest: ") {
			t.Errorf("%s: NewHandler error = %v", name, err)
		}
	}
	h, err := apitest.NewHandler(apitest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Token()) < 100 || h.CheckFixtures() != nil {
		t.Errorf("default handler: token of %d characters, fixtures %v", len(h.Token()), h.CheckFixtures())
	}
}

// Each fault looks on the wire as documented.
func TestFaultsOnTheWire(t *testing.T) {
	t.Parallel()
	srv := apitest.NewServer(t, apitest.Config{Token: "tok-wire-0123456789"})
	auth := "aivenv1 " + srv.Token()
	hc := rawClient(t)
	do := func(t *testing.T, f apitest.Fault) (*http.Response, []byte, error) {
		srv.Inject(apitest.PathUserInfo, f)
		req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+apitest.PathUserInfo, nil)
		req.Header.Set("Authorization", auth)
		resp, err := hc.Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		return resp, body, err
	}
	fixture := apitest.DefaultUserInfo()

	t.Run("rate limited", func(t *testing.T) {
		resp, body, err := do(t, apitest.RateLimited(3))
		if err != nil {
			t.Fatal(err)
		}
		b := decodeAiven(t, body)
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "3" || b.Message != "Rate limit 120 exceeded - try again in 3s" {
			t.Errorf("got %d, Retry-After %q, %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
	})
	t.Run("status with usual code", func(t *testing.T) {
		resp, body, err := do(t, apitest.Status(403))
		if err != nil {
			t.Fatal(err)
		}
		b := decodeAiven(t, body)
		if resp.StatusCode != 403 || b.Errors[0].ErrorCode != "permission_denied" || b.Errors[0].Status != 403 {
			t.Errorf("got %d %s", resp.StatusCode, body)
		}
	})
	t.Run("message, code and date", func(t *testing.T) {
		when := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
		resp, body, err := do(t, apitest.Fault{Status: 503, Message: "Maintenance", ErrorCode: "x_new_code", RetryAfter: apitest.RetryAfterDate(when)})
		if err != nil {
			t.Fatal(err)
		}
		b := decodeAiven(t, body)
		if resp.Header.Get("Retry-After") != "Wed, 02 Jan 2030 03:04:05 GMT" || b.Message != "Maintenance" || b.Errors[0].ErrorCode != "x_new_code" {
			t.Errorf("got Retry-After %q, %s", resp.Header.Get("Retry-After"), body)
		}
	})
	t.Run("html", func(t *testing.T) {
		resp, body, err := do(t, apitest.HTMLError(502))
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 502 || resp.Header.Get("Content-Type") != "text/html" || !bytes.Contains(body, []byte("<title>502 Bad Gateway</title>")) {
			t.Errorf("got %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	})
	t.Run("echo", func(t *testing.T) {
		_, body, err := do(t, apitest.Fault{Status: 400, Echo: true})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(body, []byte(srv.Token())) {
			t.Errorf("echo body %s lacks the Authorization header", body)
		}
	})
	t.Run("drop", func(t *testing.T) {
		if _, _, err := do(t, apitest.Drop()); err == nil || !errors.Is(err, io.EOF) {
			t.Errorf("error %v, want EOF", err)
		}
	})
	t.Run("truncate", func(t *testing.T) {
		resp, body, err := do(t, apitest.Truncate())
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("error %v, want unexpected EOF", err)
		}
		if resp.ContentLength != int64(len(fixture)) || len(body) != len(fixture)/2 {
			t.Errorf("Content-Length %d and %d bytes, want %d and %d", resp.ContentLength, len(body), len(fixture), len(fixture)/2)
		}
	})
	t.Run("oversize", func(t *testing.T) {
		resp, body, err := do(t, apitest.Oversize(1<<20))
		if err != nil {
			t.Fatal(err)
		}
		if resp.ContentLength != 1<<20 || len(body) != 1<<20 || !bytes.Equal(bytes.TrimSpace(body), bytes.TrimSpace(fixture)) {
			t.Errorf("Content-Length %d, %d bytes, want 1 MiB of padding then the fixture", resp.ContentLength, len(body))
		}
	})
	t.Run("oversize chunked", func(t *testing.T) {
		f := apitest.Oversize(1 << 20)
		f.Chunked = true
		resp, body, err := do(t, f)
		if err != nil {
			t.Fatal(err)
		}
		if resp.ContentLength != -1 || len(body) != 1<<20 {
			t.Errorf("Content-Length %d, %d bytes, want unannounced 1 MiB", resp.ContentLength, len(body))
		}
	})
	t.Run("raw body", func(t *testing.T) {
		resp, body, err := do(t, apitest.Body(200, "text/plain", []byte("not json")))
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/plain" || string(body) != "not json" {
			t.Errorf("got %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	})
	t.Run("empty raw body", func(t *testing.T) {
		resp, body, err := do(t, apitest.Body(200, "application/json", nil))
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 || resp.ContentLength != 0 || len(body) != 0 {
			t.Errorf("got %d, Content-Length %d, %d bytes", resp.StatusCode, resp.ContentLength, len(body))
		}
	})
	t.Run("latency", func(t *testing.T) {
		start := time.Now()
		resp, _, err := do(t, apitest.Latency(50*time.Millisecond))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("got %v %v", resp, err)
		}
		if d := time.Since(start); d < 50*time.Millisecond {
			t.Errorf("answered after %v, want at least 50ms", d)
		}
	})

	st := srv.Stats()
	want := map[string]int{"429": 1, "403": 1, "503": 1, "html 502": 1, "400+echo": 1, "drop": 1, "truncate": 1,
		"oversize": 1, "oversize+chunked": 1, "body 200": 2, "latency": 1}
	if diff := cmp.Diff(want, st.Faults); diff != "" {
		t.Errorf("Stats().Faults (-want +got):\n%s", diff)
	}
	if st.Statuses[0] != 1 {
		t.Errorf("Stats().Statuses[0] = %d, want 1 dropped connection", st.Statuses[0])
	}
}

// Injected faults are served in order, a zero Fault lets one request
// through, and the log records each request as it arrived.
func TestInjectOrderAndLog(t *testing.T) {
	t.Parallel()
	srv := apitest.NewServer(t, apitest.Config{LogSize: 4})
	srv.Inject(apitest.PathListClouds, apitest.Status(503), apitest.Fault{}, apitest.HTMLError(504))
	hc := rawClient(t)
	var got []int
	for range 5 {
		resp, _ := get(t, hc, "GET", srv.URL+apitest.PathListClouds, "")
		got = append(got, resp.StatusCode)
	}
	if want := []int{503, 200, 504, 200, 200}; !slicesEqual(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	log := srv.Log()
	if len(log) != 4 {
		t.Fatalf("Log() has %d records, want the latest 4", len(log))
	}
	var logged []int
	for i, r := range log {
		logged = append(logged, r.Status)
		if i > 0 && r.Time.Before(log[i-1].Time) {
			t.Errorf("log out of order: %v", log)
		}
		if r.Authorized || r.Method != "GET" || r.Path != apitest.PathListClouds {
			t.Errorf("record %+v", r)
		}
	}
	if want := []int{200, 504, 200, 200}; !slicesEqual(logged, want) {
		t.Errorf("logged statuses %v, want %v", logged, want)
	}
	if log[1].Fault != "html 504" {
		t.Errorf("record %+v, want fault html 504", log[1])
	}
	if n := srv.Requests(apitest.PathListClouds); n != 5 {
		t.Errorf("Requests = %d, want 5", n)
	}
}

func slicesEqual(a, b []int) bool { return cmp.Equal(a, b) }

// Config.Faults sees the per-path count, and RandomFaults repeats its
// draws for a seed and hits about the share asked for.
func TestFaultFunctions(t *testing.T) {
	t.Parallel()
	srv := apitest.NewServer(t, apitest.Config{Faults: func(r *http.Request, n int) *apitest.Fault {
		if r.URL.Path == apitest.PathListClouds && n%2 == 0 {
			f := apitest.Status(503)
			return &f
		}
		return nil
	}})
	hc := rawClient(t)
	var got []int
	for range 4 {
		resp, _ := get(t, hc, "GET", srv.URL+apitest.PathListClouds, "")
		got = append(got, resp.StatusCode)
	}
	if want := []int{200, 503, 200, 503}; !slicesEqual(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}

	draw := func(seed uint64) (names []string, hits int) {
		f := apitest.RandomFaults(seed, 0.3, apitest.Status(503), apitest.Drop())
		for range 10000 {
			if x := f(nil, 0); x != nil {
				hits++
				names = append(names, x.String())
			}
		}
		return names, hits
	}
	a, hits := draw(7)
	b, _ := draw(7)
	c, _ := draw(8)
	if !cmp.Equal(a, b) || cmp.Equal(a, c) {
		t.Errorf("draws do not repeat for a seed, or repeat across seeds")
	}
	if hits < 2800 || hits > 3200 {
		t.Errorf("%d faults in 10000 draws at rate 0.3", hits)
	}
	if f := apitest.RandomFaults(1, 0, apitest.Drop()); f(nil, 1) != nil {
		t.Error("rate 0 gave a fault")
	}
}

// A latency fault ends when the client gives up, and when the server
// closes: no handler goroutine outlives its request (goleak checks the
// rest at the end of the package).
func TestLatencyEnds(t *testing.T) {
	t.Parallel()
	t.Run("client gives up", func(t *testing.T) {
		t.Parallel()
		srv := apitest.NewServer(t, apitest.Config{})
		srv.Inject(apitest.PathListClouds, apitest.Latency(time.Hour))
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		done := make(chan error, 1)
		go func() {
			req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+apitest.PathListClouds, nil)
			resp, err := rawClient(t).Do(req)
			if err == nil {
				resp.Body.Close()
			}
			done <- err
		}()
		// Give up only once the handler is waiting: a client that gave up
		// before the server read its request would test nothing (and, on
		// a loaded machine, leave the handler never called).
		waitFor(t, func() bool { return srv.Requests(apitest.PathListClouds) == 1 })
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context canceled", err)
		}
		waitFor(t, func() bool { return srv.Stats().Statuses[0] == 1 })
	})
	t.Run("server closes", func(t *testing.T) {
		t.Parallel()
		h, err := apitest.NewHandler(apitest.Config{})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(h)
		h.Inject(apitest.PathListClouds, apitest.Latency(time.Hour))
		done := make(chan error, 1)
		go func() {
			req, _ := http.NewRequestWithContext(t.Context(), "GET", hs.URL+apitest.PathListClouds, nil)
			resp, err := rawClient(t).Do(req)
			if err == nil {
				resp.Body.Close()
			}
			done <- err
		}()
		waitFor(t, func() bool { return h.Requests(apitest.PathListClouds) == 1 })
		start := time.Now()
		h.Close()
		hs.Close() // returns once the handler has returned
		if err := <-done; err == nil {
			t.Error("request during shutdown succeeded, want an error")
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("closing took %v", d)
		}
	})
}

// waitFor polls cond for up to 5 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met within 5s")
}

// GET /v1/project/{project}/clouds, what avn cloud list asks for: the
// clouds for each project of the project list, Aiven's 404 for any other
// name (the empty one avn sends without a project included), the token
// required, its parameters checked, and every project counted under one
// path.
func TestListProjectClouds(t *testing.T) {
	t.Parallel()
	const tok = "tok-Project-Clouds-0123456789"
	body := []byte(`{"clouds": [{"cloud_name": "aws-eu-west-1", "geo_region": "europe", "zone_count": 3}]}`)
	srv := apitest.NewServer(t, apitest.Config{Token: tok, ListProjectClouds: body})
	hc := rawClient(t)
	good := "aivenv1 " + tok
	tests := []struct {
		name, path, auth string
		wantStatus       int
		wantMessage      string
	}{
		{"known project", "/v1/project/acme-prod/clouds", good, 200, ""},
		{"with Bearer", "/v1/project/acme-staging/clouds", "Bearer " + tok, 200, ""},
		{"sorted", "/v1/project/acme-prod/clouds?sort_by_proximity=false", good, 200, ""},
		{"unknown project", "/v1/project/no-such-project/clouds", good, 404, "Project does not exist"},
		{"empty project", "/v1/project//clouds", good, 404, "Not found"},
		{"no token", "/v1/project/acme-prod/clouds", "", 401, "Missing (expired) db token: the request has no Authorization header"},
		{"bad parameter", "/v1/project/acme-prod/clouds?sort_by_proximity=maybe", good, 400,
			`Invalid request: query sort_by_proximity: expected type boolean, got string "maybe"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, got := get(t, hc, "GET", srv.URL+tt.path, tt.auth)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tt.wantStatus, got)
			}
			if tt.wantStatus == 200 {
				if !bytes.Equal(got, body) {
					t.Errorf("body %s, want the configured %s", got, body)
				}
				return
			}
			b := decodeAiven(t, got)
			if b.Message != tt.wantMessage || b.Errors[0].Status != tt.wantStatus {
				t.Errorf("body %s, want message %q and status %d", got, tt.wantMessage, tt.wantStatus)
			}
		})
	}
	if got := srv.Requests(apitest.PathListProjectClouds); got != 6 {
		t.Errorf("Requests(PathListProjectClouds) = %d, want the 6 requests that reached the operation", got)
	}
}

// Without Config.ListProjectClouds, a project's clouds are the cloud list.
func TestListProjectCloudsDefault(t *testing.T) {
	t.Parallel()
	srv := apitest.NewServer(t, apitest.Config{})
	resp, got := get(t, rawClient(t), "GET", srv.URL+"/v1/project/acme-prod/clouds", "aivenv1 "+srv.Token())
	if resp.StatusCode != 200 || !bytes.Equal(got, apitest.DefaultListClouds()) {
		t.Errorf("status %d, body of %d bytes; want 200 and DefaultListClouds()", resp.StatusCode, len(got))
	}
}

// A rejected request is logged with its path as sent on the wire, escaped:
// a path cannot forge a log line nor drive the terminal of whoever reads
// the log.
func TestLogEscapesPath(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var lines []string
	srv := apitest.NewServer(t, apitest.Config{Logf: func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf(format, args...))
	}})
	hc := rawClient(t)
	resp, _ := get(t, hc, "GET", srv.URL+"/v1/project/x%1b%5b31m%0aapitest:%20forged/clouds/more", "")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("status %d, want 404", resp.StatusCode)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(lines) != 1 || strings.ContainsAny(lines[0], "\x1b\n") || !strings.Contains(lines[0], "x%1b%5b31m%0aapitest:%20forged") {
		t.Errorf("log lines %q, want one with the path escaped", lines)
	}
}
