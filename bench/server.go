package bench

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
)

// Token is the fake credential every client in the benchmark sends.
const Token = "bench-fake-token-not-a-secret"

// Bodies are the response bodies a Server serves.
type Bodies struct {
	User, Projects, Clouds []byte
}

// StandardBodies returns the bodies the benchmarks use: a user, 1,000
// projects and 150 clouds, built from Seed.
func StandardBodies() Bodies {
	return Bodies{
		User:     UserBody(Seed),
		Projects: ProjectsBody(Seed, ProjectCount),
		Clouds:   CloudsBody(Seed, CloudCount),
	}
}

// NewServer starts a loopback server that answers GET /v1/me, /v1/project
// and /v1/clouds with the given bodies, as Aiven does: JSON with a
// Content-Length. The first two answer 401 without "Authorization:
// aivenv1 <Token>", so a client that forgets its credential fails instead
// of measuring an error path. The caller closes the server.
func NewServer(b Bodies) *httptest.Server {
	serve := func(body []byte, needsToken bool) http.HandlerFunc {
		length := strconv.Itoa(len(body))
		return func(w http.ResponseWriter, r *http.Request) {
			if needsToken && r.Header.Get("Authorization") != "aivenv1 "+Token {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"message": "Invalid token", "errors": [{"message": "Invalid token", "status": 401}]}`))
				return
			}
			h := w.Header()
			h["Content-Type"] = []string{"application/json"}
			h["Content-Length"] = []string{length}
			_, _ = w.Write(body)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("GET /v1/me", serve(b.User, true))
	mux.Handle("GET /v1/project", serve(b.Projects, true))
	mux.Handle("GET /v1/clouds", serve(b.Clouds, false))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"message": "Not found: ` + strings.ReplaceAll(r.URL.Path, `"`, ``) + `"}`))
	})
	return httptest.NewServer(mux)
}
