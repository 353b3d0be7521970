package apitest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/apitest"
)

// A 200 body that is not the operation's result must fail with an error
// that names the package and the call, says what is wrong and where, and
// calls a body cut short only when it is (these were bugs while encoding/json
// checked the syntax before package api's decoders ran).
func TestSyntaxErrorsNameTheCall(t *testing.T) {
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
		case !errors.Is(err, api.ErrInvalidResponse):
			t.Errorf("body %q: error %q is not api.ErrInvalidResponse", tt.body, err)
		case tt.notWant != "" && strings.Contains(err.Error(), tt.notWant):
			t.Errorf("body %q: error %q: the body is complete JSON, not %s", tt.body, err, tt.notWant)
		}
	}
}
