package apitest_test

import (
	"os"
	"strings"
	"testing"

	"github.com/aivenapi/aivenapi/apitest"
)

// The tests below show bugs in package api that the fake found and that
// are not fixed yet. They are skipped so that CI stays green; run them with
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

// A 200 body that is not valid JSON must fail with an error that names
// the package and the call, and says what is wrong. api's cappedBody
// guesses from the last byte: a body that ends in "}" but is still not
// JSON gets encoding/json's bare message (encoding/json checks the syntax
// before the UnmarshalJSON methods of api/decode.go add the call), and a
// complete JSON value that is not an object is said to be cut short.
func TestKnownBugSyntaxErrors(t *testing.T) {
	skipKnownBug(t, `a 200 body that is not JSON but ends in "}" gives a bare encoding/json error; null and [] are called "cut short"`)
	t.Parallel()
	for _, tt := range []struct{ body, notWant string }{
		{`{"clouds": []}}`, ""},
		{`{"clouds": [], }`, ""},
		{`{"clouds": [] "x": 1}`, ""},
		{`null`, "cut short"},
		{`[]`, "cut short"},
		{`"clouds"`, "cut short"},
	} {
		srv := apitest.NewServer(t, apitest.Config{Token: fakeToken})
		srv.Inject(apitest.PathListClouds, apitest.Body(200, "application/json", []byte(tt.body)))
		_, err := call(t, t.Context(), srv.Client(), apitest.PathListClouds)
		switch {
		case err == nil:
			t.Errorf("body %q: no error", tt.body)
		case !namesCall(err.Error(), apitest.PathListClouds):
			t.Errorf("body %q: error %q, want one starting with \"api: \" and naming the call", tt.body, err)
		case tt.notWant != "" && strings.Contains(err.Error(), tt.notWant):
			t.Errorf("body %q: error %q: the body is complete JSON, not %s", tt.body, err, tt.notWant)
		}
	}
}
