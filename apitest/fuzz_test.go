package apitest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/apitest"
)

// fuzzServer starts a fake for a fuzz target and a client that makes one
// attempt per call. The fake serves only Body faults, which it does not
// check, so it has nothing to log or report.
func fuzzServer(f *testing.F) (*apitest.Server, *api.ClientWithResponses) {
	srv := apitest.NewServer(f, apitest.Config{Token: fakeToken, Logf: func(string, ...any) {}, OnDrift: func(error) {}})
	return srv, srv.Client(api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 1}))
}

// checkNoTokenFuzz is checkNoToken for an error caused by a fuzzed body,
// unless the body holds part of the token apart from whole ones: a part is
// no secret the client knows to mask, so then only the whole token counts.
func checkNoTokenFuzz(t *testing.T, err error, body []byte) {
	t.Helper()
	if leaked(string(bytes.ReplaceAll(body, []byte(fakeToken), nil)), fakeToken) == "" {
		checkNoToken(t, err)
		return
	}
	for _, s := range []string{fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err)} {
		if strings.Contains(s, fakeToken) {
			t.Errorf("the token shows in the error: %s", strings.ReplaceAll(s, fakeToken, "<TOKEN>"))
		}
	}
}

// maxErrorText bounds Error() of an *api.Error, whatever the body: 500
// characters of message and a quoted excerpt of 160.
const maxErrorText = 4096

// FuzzErrorBody serves the input as an error body, with a status from 400
// to 599 and a content type chosen by the input. The client must return an
// *api.Error with that status whose Error() is one bounded line without
// the token, and never panic.
func FuzzErrorBody(f *testing.F) {
	f.Add(uint16(29), byte(0), []byte(`{"message": "Rate limit 120 exceeded - try again in 28s", "errors": [{"message": "Rate limit 120 exceeded - try again in 28s", "status": 429}]}`))
	f.Add(uint16(1), byte(0), []byte(`{"message": "Invalid token: aivenv1 `+fakeToken+`", "errors": [{"message": "aivenv1 `+fakeToken+`", "status": 401}]}`))
	// A page that echoes the whole header: the client must mask all of it,
	// though the token is longer than the excerpt it keeps.
	f.Add(uint16(3), byte(2), []byte("Forbidden: the request carried Authorization: aivenv1 "+fakeToken))
	f.Add(uint16(0), byte(0), []byte(`{"errors": [{"error_code": "bad_request", "message": "Invalid input", "status": 400, "metadata": {"field": "x"}, "more_info": "https://docs.example.com/e"}]}`))
	f.Add(uint16(102), byte(1), []byte("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"))
	f.Add(uint16(8), byte(1), []byte("<html><head><script>var t='x';</script><title>408 Request Time-out</title></head><body>Your browser didn't send a complete request in time.</body></html>"))
	f.Add(uint16(103), byte(2), []byte("upstream connect error or disconnect/reset before headers. reset reason: connection termination"))
	f.Add(uint16(100), byte(0), []byte(`{"message": "line one\nline two\r\n\u2028\u0000 end", "errors": "not a list"}`))
	f.Add(uint16(3), byte(0), []byte(`{"message": 404}`))
	f.Add(uint16(4), byte(0), []byte(``))
	f.Add(uint16(199), byte(0), []byte(`{"message": "`+strings.Repeat("é", 700)+`"}`))
	srv, c := fuzzServer(f)
	f.Fuzz(func(t *testing.T, code uint16, kind byte, body []byte) {
		status := 400 + int(code)%200
		ctype := [...]string{"application/json", "text/html", "text/plain", ""}[int(kind)%4]
		srv.Inject(apitest.PathUserInfo, apitest.Body(status, ctype, body))
		res, err := c.UserInfoWithResponse(t.Context())
		if res != nil {
			t.Fatalf("a result for an error status %d", status)
		}
		var ae *api.Error
		if !errors.As(err, &ae) || ae.StatusCode != status {
			t.Fatalf("error %v, want *api.Error with status %d", err, status)
		}
		checkNoTokenFuzz(t, err, body)
		msg := err.Error()
		if strings.ContainsAny(msg, "\r\n") {
			t.Errorf("Error() spans lines: %q", msg)
		}
		if len(msg) > maxErrorText {
			t.Errorf("Error() is %d bytes, want at most %d", len(msg), maxErrorText)
		}
		if !strings.HasPrefix(msg, "api: GET /v1/me: ") {
			t.Errorf("Error() = %q, want it to name the call", msg)
		}
	})
}

// FuzzDecodeResponse serves the input as a 200 application/json body of
// each endpoint. The client must never panic, must return either an error
// or a result with JSON200, and must accept exactly the bodies that
// encoding/json accepts into the generated type, with the same result.
func FuzzDecodeResponse(f *testing.F) {
	for _, b := range [][]byte{apitest.DefaultUserInfo(), apitest.DefaultProjectList(), apitest.DefaultListClouds()} {
		f.Add(b)
	}
	for _, s := range []string{
		``, `null`, `{}`, `[]`, `"x"`, ` {"clouds": []} `,
		`{"clouds": [{"cloud_name": "aws-eu-west-1", "geo_region": "europe", "geo_latitude": 53.073635, "geo_longitude": -8.24389}]}`,
		`{"clouds": [{"cloud_name": "x", "geo_region": "y", "geo_latitude": 1e400}]}`,
		`{"clouds": null}`, `{"clouds": [null]}`,
		`{"user": {"user": "a@example.com", "user_id": "u1", "create_time": "2021-08-18T09:24:10.298796+00:00", "real_name": "Zoë"}}`,
		`{"user": {"user": "a@example.com", "create_time": 1629278650}}`,
		`{"user": {"user_id": "u1", "project_membership": {"p": "role:new:thing"}, "project_memberships": {"p": ["a", "b"]}}}`,
		`{"projects": [{"project_name": "p", "card_info": null, "account_id": null, "trial_expiration_time": null, "tags": {"a": 1, "b": null}}], "project_membership": {}, "project_memberships": {}}`,
		`{"projects": [{"end_of_life_extension": {"elasticsearch": {"eol_date": "2025-01-01", "version": "7"}, "kafka": 3}}]}`,
		`{"projects": [], "projects": null}`,
		`{"clouds": [{"cloud_name": "aws-eu`,
	} {
		f.Add([]byte(s))
	}
	srv, c := fuzzServer(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, path := range paths {
			srv.Inject(path, apitest.Body(200, "application/json", body))
		}

		var wantUser api.UserInfoResponse
		jsonErr := json.Unmarshal(body, &wantUser)
		user, err := c.UserInfoWithResponse(t.Context())
		compare(t, body, apitest.PathUserInfo, jsonErr, err, func() any { return user.JSON200 }, &wantUser)

		var wantProjects api.ProjectListResponse
		jsonErr = json.Unmarshal(body, &wantProjects)
		projects, err := projectList(t.Context(), c)
		compare(t, body, apitest.PathProjectList, jsonErr, err, func() any { return projects.JSON200 }, &wantProjects)

		var wantClouds api.ListCloudsResponse
		jsonErr = json.Unmarshal(body, &wantClouds)
		clouds, err := c.ListCloudsWithResponse(t.Context())
		compare(t, body, apitest.PathListClouds, jsonErr, err, func() any { return clouds.JSON200 }, &wantClouds)
	})
}

// compare checks one call of FuzzDecodeResponse: the client succeeds
// exactly when encoding/json does, and then with the same value; its
// errors name the call.
func compare(t *testing.T, body []byte, path string, jsonErr, err error, got func() any, want any) {
	t.Helper()
	op := path
	switch {
	case err != nil:
		checkNoTokenFuzz(t, err, body)
		if !namesCall(err.Error(), path) {
			t.Errorf("%s: error %q does not start with \"api: \" and name the call", op, err)
		}
		if jsonErr == nil {
			t.Errorf("%s: encoding/json accepts the body, the client fails: %v", op, err)
		}
	case jsonErr != nil:
		t.Errorf("%s: the client accepts a body that encoding/json rejects (%v)", op, jsonErr)
	default:
		if diff := cmp.Diff(want, got()); diff != "" {
			t.Errorf("%s: client and encoding/json differ (-json +client):\n%s", op, diff)
		}
	}
}
