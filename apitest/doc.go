// Package apitest is a fake Aiven API for tests: GET /v1/me, /v1/project,
// /v1/clouds and /v1/project/{project}/clouds, answered with realistic
// data (the clouds of the projects the project list names), strict about what it
// accepts, and able to fail on demand the ways the real API and its
// proxies fail.
//
// In a test:
//
//	srv := apitest.NewServer(t, apitest.Config{Token: "fake-token"})
//	srv.Inject(apitest.PathUserInfo, apitest.RateLimited(1), apitest.Drop())
//	c, _ := api.New(api.WithBaseURL(srv.URL), api.WithRequestEditorFn(auth.Aiven("fake-token")))
//	res, err := c.UserInfoWithResponse(ctx) // succeeds on the third request
//	// srv.Requests(apitest.PathUserInfo) == 3
//
// (srv.Client() builds that client in one call.) Outside tests, NewHandler
// gives the same fake as an http.Handler; cmd/aivenfake runs it as a
// program.
//
// # What the fake checks
//
// Every request is checked against openapi.yaml, the description package
// api is generated from: an unknown path is answered 404, another method
// 405, and a request without the token where the operation needs it 401,
// each with Aiven's JSON error body ({"message": ..., "errors":
// [{"message": ..., "status": ...}]}). The token is accepted as Aiven
// accepts it, "Authorization: aivenv1 <token>" or "Authorization: Bearer
// <token>"; a 401 says what was wrong (no header, another scheme, another
// token) without repeating any of the credential. GET /v1/clouds needs no
// token, but one that is sent must be right.
//
// The checks run on internal/respcheck, so a test binary that links
// apitest links no OpenAPI library and no router.
//
// Every answer the fake builds is checked against openapi.yaml too: a
// configured body that drifts from the description is answered 500 with
// the mismatches in the message, and reported to Config.OnDrift (NewServer
// fails the test). Bodies served with Body are deliberately left alone.
//
// # Faults
//
// A Fault says how to fail one request: a status with Aiven's error body
// (RateLimited, Status), with Retry-After, a proxy's HTML page
// (HTMLError), latency (Latency), a dropped connection (Drop), a body cut
// short (Truncate), an oversized body (Oversize), or any body at all
// (Body). Handler.Inject queues faults for the next requests to a path;
// Config.Faults decides for the rest, for example at random with
// RandomFaults. Latency ends when the client gives up, so no goroutine
// outlives its request.
//
// # Counting
//
// Handler.Stats counts requests by path, faults by name and answers by
// status; Handler.Log keeps the latest requests with their arrival times,
// so that tests can assert how often, and when, a client tried.
//
// A Handler, and so a Server, is safe for concurrent use.
package apitest
