// Command aivenfake runs a fake Aiven API on this machine: GET /v1/me,
// /v1/project, /v1/clouds and /v1/project/{project}/clouds (the clouds of
// each project of /v1/project) with realistic data, checked against the
// project's openapi.yaml, and failing on demand. It is package apitest as
// a program, for trying the client or aivenctl offline and for tests not
// written in Go.
//
// Usage:
//
//	aivenfake [-addr 127.0.0.1:8080] [-data DIR] [-fault-rate 0.2]
//	          [-faults 429,503,502,drop] [-latency 200ms] [-seed 1] [-quiet]
//
// Once it listens, it prints its base URL on standard output (a script can
// wait for that line), then logs each request on standard error until
// interrupted (SIGINT or SIGTERM), when it ends latency faults, finishes
// the requests in progress and exits.
//
// # The token
//
// The fake accepts one token, as Aiven accepts one: in the header
// "Authorization: aivenv1 <token>" or "Authorization: Bearer <token>". It
// is read from the environment variable AIVENFAKE_TOKEN, never
// from a flag (flags show in the process list). Without it, aivenfake makes
// a random token and prints it once on standard error: it guards nothing
// but fake data, and printing it is the point.
//
// # Example
//
//	$ AIVENFAKE_TOKEN=fake-token aivenfake -fault-rate 0.3 &
//	http://127.0.0.1:8080
//	$ AIVEN_WEB_URL=http://127.0.0.1:8080 AIVEN_TOKEN=fake-token go run ./cmd/aivenctl cloud list
//
// The client retries the rate limits, proxy errors and dropped connections
// the fake throws in, and lists 145 clouds. Aiven's own clients work
// against it too: avn (AIVEN_WEB_URL and AIVEN_AUTH_TOKEN set as above; see
// TestAvn; avn does not retry, so give it no -fault-rate) and the official
// Go client, github.com/aiven/go-client-codegen, which retries like
// aivenctl.
//
// # Flags
//
//	-addr host:port
//	    Where to listen (default 127.0.0.1:8080; port 0 picks a free one).
//	    A host other than loopback serves the fake data and token to the
//	    network, and aivenfake warns about it.
//	-data DIR
//	    Serve DIR/me.json, DIR/project.json, DIR/clouds.json and
//	    DIR/project_clouds.json, those that exist, as the bodies of GET
//	    /v1/me, /v1/project, /v1/clouds and /v1/project/{project}/clouds
//	    (for every project of project.json; by default the clouds.json
//	    body); the others stay the built-in data. A body that does not match
//	    openapi.yaml stops aivenfake at start, with the mismatches.
//	-fault-rate R
//	    Answer a share R (0 to 1) of valid requests with a fault drawn from
//	    -faults (default 0: none).
//	-faults LIST
//	    The faults to draw from, comma-separated (default 429,503,502,drop):
//	      429       rate limited, Retry-After: 1
//	      500, 503  Aiven's JSON error body with that status
//	      502, 504  a proxy's HTML error page with that status
//	      drop      the connection closed without an answer
//	      truncate  the body cut off halfway
//	      slow      the answer 5 seconds late
//	-latency D
//	    Delay every answer by a random duration up to D (default 0).
//	-seed N
//	    Seed of the draws of -fault-rate and -latency (default 1): the same
//	    seed draws the same sequence.
//	-quiet
//	    Log only rejected requests, not every request.
//
// Requests that break openapi.yaml (unknown path 404, other method 405,
// wrong or missing token 401) are answered with Aiven's error body and
// logged. A 401 says in its message what was wrong (no Authorization
// header, another scheme, another token, white space), never with any part
// of the credential the request carried.
//
// Exit status: 0 after an interrupt, 2 for a usage error, 1 for any other
// failure.
package main
