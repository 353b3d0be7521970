package api

import "github.com/aivenapi/aivenapi/auth"

// checkRedirect is the redirect policy of New's default HTTP client: no
// credential follows a redirect to another host, and no Referer repeats a
// query that may hold a token.
var checkRedirect = auth.CheckRedirect
