package apitest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/apitest"
)

// fakeToken is the token of the proof tests: obviously fake, as long and
// as varied in characters as Aiven's base64 tokens.
const fakeToken = "FAKE+aiven/token.for-tests_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" +
	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/0123456789-not-a-real-credential"

// errorsChecked counts the errors checkNoToken looked at, for the figure
// TestMain prints with -v.
var errorsChecked atomic.Int64

// checkNoToken fails the test if err, formatted in any of the usual ways,
// or any text field of an *api.Error in it, shows one of secrets (the
// token when none are given), whole or any part of leakWindow characters.
// A failure shows where, with the leaked part replaced, so that the log
// never holds it either.
func checkNoToken(t testing.TB, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	errorsChecked.Add(1)
	if len(secrets) == 0 {
		secrets = []string{fakeToken}
	}
	texts := map[string]string{
		"%v": fmt.Sprintf("%v", err), "%+v": fmt.Sprintf("%+v", err),
		"%#v": fmt.Sprintf("%#v", err), "%q": fmt.Sprintf("%q", err),
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		texts["Message"], texts["Excerpt"], texts["Summary()"], texts["ErrorCode()"] = ae.Message, ae.Excerpt, ae.Summary(), ae.ErrorCode()
		for i, d := range ae.Errors {
			for name, p := range map[string]*string{"Message": d.Message, "ErrorCode": d.ErrorCode, "MoreInfo": d.MoreInfo} {
				if p != nil {
					texts[fmt.Sprintf("Errors[%d].%s", i, name)] = *p
				}
			}
		}
	}
	for where, s := range texts {
		for _, secret := range secrets {
			if part := leaked(s, secret); part != "" {
				t.Errorf("the token shows in the error's %s: %s", where, strings.ReplaceAll(s, part, "<TOKEN PART>"))
			}
		}
	}
}

// leakWindow is the length of the shortest part of a token that counts as
// a leak: a token cut short is still a leak.
const leakWindow = 16

// leaked returns the longest part of secret, leakWindow characters or
// more, that s contains, or "".
func leaked(s, secret string) string {
	if len(secret) < leakWindow {
		if strings.Contains(s, secret) {
			return secret
		}
		return ""
	}
	for i := 0; i+leakWindow <= len(secret); i++ {
		if !strings.Contains(s, secret[i:i+leakWindow]) {
			continue
		}
		// Grow the match to report the whole leaked part.
		j := i + leakWindow
		for j < len(secret) && strings.Contains(s, secret[i:j+1]) {
			j++
		}
		return secret[i:j]
	}
	return ""
}

// fastRetry is a retry policy with waits short enough for thousands of
// calls; Retry-After up to 2s is honoured.
func fastRetry(attempts int) api.RetryPolicy {
	return api.RetryPolicy{MaxAttempts: attempts, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond, MaxRetryAfter: 2 * time.Second}
}

// attemptsKey is the context key of a call's attempt counter, which
// countingTransport increments on each attempt the client makes.
type attemptsKey struct{}

type countingTransport struct{ base http.RoundTripper }

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if n, ok := r.Context().Value(attemptsKey{}).(*atomic.Int32); ok {
		n.Add(1)
	}
	return c.base.RoundTrip(r)
}

// countingClient returns an HTTP client that counts attempts per call
// (see attemptsKey), on a transport like the default one, with or without
// connection reuse.
func countingClient(t testing.TB, keepAlive bool) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 32
	tr.DisableKeepAlives = !keepAlive
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: countingTransport{tr}}
}

// paths are the three operations, in the order the tests cycle through.
var paths = []string{apitest.PathUserInfo, apitest.PathProjectList, apitest.PathListClouds}

// call calls the operation of path and returns what a caller sees: a
// description of the 200 body, or the error. It fails the test when the
// client breaks its contract: a nil error without JSON200, or a result
// together with an error.
func call(t testing.TB, ctx context.Context, c *api.ClientWithResponses, path string, editors ...api.RequestEditorFn) (string, error) {
	t.Helper()
	var (
		got     string
		nilBody bool
		res     any
		err     error
	)
	switch path {
	case apitest.PathUserInfo:
		var r *api.UserInfoResult
		r, err = c.UserInfoWithResponse(ctx, editors...)
		if r != nil {
			res, nilBody = r, r.JSON200 == nil
			if !nilBody {
				got = "user " + r.JSON200.User.User
			}
		}
	case apitest.PathProjectList:
		var r *api.ProjectListResult
		r, err = projectList(ctx, c, editors...)
		if r != nil {
			res, nilBody = r, r.JSON200 == nil
			if !nilBody {
				got = fmt.Sprintf("%d projects", len(r.JSON200.Projects))
			}
		}
	case apitest.PathListClouds:
		var r *api.ListCloudsResult
		r, err = c.ListCloudsWithResponse(ctx, editors...)
		if r != nil {
			res, nilBody = r, r.JSON200 == nil
			if !nilBody {
				got = fmt.Sprintf("%d clouds", len(r.JSON200.Clouds))
			}
		}
	default:
		t.Fatalf("no operation for %s", path)
	}
	switch {
	case err == nil && (res == nil || nilBody):
		t.Errorf("%s: nil error without a 200 body", path)
	case err != nil && res != nil:
		t.Errorf("%s: a result together with the error %v", path, err)
	}
	return got, err
}

// wantDefault is what call returns for the default data.
var wantDefault = map[string]string{
	apitest.PathUserInfo:    "user asa.jarvinen@example.com",
	apitest.PathProjectList: "4 projects",
	apitest.PathListClouds:  "145 clouds",
}
