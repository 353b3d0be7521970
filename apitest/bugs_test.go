package apitest_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/apitest"
)

// The tests below show bugs in package api that the fake found. They are
// skipped so that CI stays green until api is fixed; run them with
//
//	APITEST_KNOWN_BUGS=1 go test -run KnownBug ./apitest/
//
// and drop the skip with the fix.
func skipKnownBug(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("APITEST_KNOWN_BUGS") == "" {
		t.Skip("known bug in package api (APITEST_KNOWN_BUGS=1 runs it): " + what)
	}
}

// api's newError and checkSuccess cut a body's text (excerpt: 160
// characters, message: 500) before masking the request's credentials, and
// mask only whole credentials: a token that the cut splits is not
// masked, and its first part shows in Error(). Aiven tokens are about 370
// characters, so any echo of one in an HTML page leaks most of it.
func TestKnownBugCutBeforeMask(t *testing.T) {
	skipKnownBug(t, "text is cut before the token is masked, so part of an echoed token shows")
	t.Parallel()
	page := func(text string) []byte {
		return []byte("<html><head><title>502 Bad Gateway</title></head><body>" + text + "</body></html>")
	}
	long := strings.Repeat("x", 400)
	for name, f := range map[string]apitest.Fault{
		"HTML page":           {Status: 502, HTML: true, Echo: true},
		"long JSON message":   {Status: 400, Echo: true, Message: long},
		"200 of another type": apitest.Body(200, "text/html", page("Authorization: aivenv1 "+fakeToken)),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := apitest.NewServer(t, apitest.Config{Token: fakeToken})
			srv.Inject(apitest.PathUserInfo, f)
			_, err := call(t, t.Context(), srv.Client(api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 1})), apitest.PathUserInfo)
			if err == nil {
				t.Fatal("no error")
			}
			checkNoToken(t, err)
		})
	}
}

// newError masks the errors[] items' message but keeps error_code and
// more_info as the body gave them, though Error's documentation says it
// never holds a credential; ErrorCode() returns one as it came.
func TestKnownBugUnmaskedErrorFields(t *testing.T) {
	skipKnownBug(t, "errors[].error_code and more_info are not masked")
	t.Parallel()
	srv := apitest.NewServer(t, apitest.Config{Token: fakeToken})
	body, _ := json.Marshal(map[string]any{"message": "Bad request", "errors": []map[string]any{{
		"message": "Bad request", "status": 400,
		"error_code": "token_" + fakeToken, "more_info": "https://example.com/doc?token=" + fakeToken,
	}}})
	srv.Inject(apitest.PathUserInfo, apitest.Body(400, "application/json", body))
	_, err := call(t, t.Context(), srv.Client(), apitest.PathUserInfo)
	var ae *api.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error %v, want *api.Error", err)
	}
	checkNoToken(t, err)
}

// A 200 body that is not syntactically JSON fails with encoding/json's
// bare message ("unexpected end of JSON input"): encoding/json checks the
// syntax before calling the UnmarshalJSON methods of api/decode.go that
// add "api: <operation>: decode response body", so the error names
// neither the package nor the call.
func TestKnownBugSyntaxErrorUnnamed(t *testing.T) {
	skipKnownBug(t, "a JSON syntax error in a 200 body is returned bare")
	t.Parallel()
	for _, body := range []string{`{"clouds": [{"cloud_name": "aws-eu`, `{"clouds": []}}`, `{"clouds": [], }`} {
		srv := apitest.NewServer(t, apitest.Config{Token: fakeToken})
		srv.Inject(apitest.PathListClouds, apitest.Body(200, "application/json", []byte(body)))
		_, err := call(t, t.Context(), srv.Client(), apitest.PathListClouds)
		if err == nil || !strings.HasPrefix(err.Error(), "api: ") || !strings.Contains(err.Error(), "ListClouds") && !strings.Contains(err.Error(), "/v1/clouds") {
			t.Errorf("body %q: error %q, want one starting with \"api: \" and naming the call", body, err)
		}
	}
}
