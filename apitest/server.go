package apitest

import (
	"net/http/httptest"
	"testing"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/auth"
)

// Server is a Handler served over HTTP on a loopback port for one test.
type Server struct {
	*Handler
	// URL is the base URL, such as "http://127.0.0.1:38121", for
	// api.WithBaseURL (the paths add /v1).
	URL string

	tb testing.TB
	hs *httptest.Server
}

// NewServer starts a fake Aiven API for the test tb and closes it when tb
// ends. A configured body that does not match openapi.yaml, or an answer
// that drifts from it, fails the test (unless cfg.OnDrift is set), and
// rejected requests are logged with tb.Logf (unless cfg.Logf is set). A
// Config that NewHandler refuses stops the test.
func NewServer(tb testing.TB, cfg Config) *Server {
	tb.Helper()
	if cfg.OnDrift == nil {
		cfg.OnDrift = func(err error) { tb.Errorf("%v", err) }
	}
	if cfg.Logf == nil {
		cfg.Logf = tb.Logf
	}
	h, err := NewHandler(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	hs := httptest.NewServer(h)
	s := &Server{Handler: h, URL: hs.URL, tb: tb, hs: hs}
	tb.Cleanup(s.Close)
	return s
}

// Close ends latency faults in progress and shuts the server down. It is
// called when the test ends; calling it earlier is allowed.
func (s *Server) Close() {
	s.Handler.Close()
	s.hs.CloseClientConnections()
	s.hs.Close()
}

// Client returns a client of package api for the server, built by api.New
// with the server's URL and token (auth.Aiven); opts come after those and
// may replace them. Options that api.New refuses stop the test.
func (s *Server) Client(opts ...api.ClientOption) *api.ClientWithResponses {
	s.tb.Helper()
	all := append([]api.ClientOption{
		api.WithBaseURL(s.URL),
		api.WithRequestEditorFn(auth.Aiven(s.Token())),
	}, opts...)
	c, err := api.New(all...)
	if err != nil {
		s.tb.Fatal(err)
	}
	return c
}
