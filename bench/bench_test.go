package bench

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The bodies and the loopback server every test and benchmark shares.
var (
	bodies    Bodies
	serverURL string
)

func TestMain(m *testing.M) {
	bodies = StandardBodies()
	srv := NewServer(bodies)
	serverURL = srv.URL
	code := m.Run()
	srv.Close()
	os.Exit(code)
}

// endpoint is one of the three operations, as a benchmark sees it.
type endpoint struct {
	body   func() []byte
	call   func(calls) func(context.Context) (any, error)
	decode func(peer) func([]byte) (any, error)
	// want names what every client must find in the body, read here
	// without any client's types.
	want func(t *testing.T, body []byte) []string
}

var (
	userEndpoint = endpoint{
		body:   func() []byte { return bodies.User },
		call:   func(c calls) func(context.Context) (any, error) { return c.user },
		decode: func(p peer) func([]byte) (any, error) { return p.decodeUser },
		want: func(t *testing.T, body []byte) []string {
			var v struct {
				User struct {
					User     string
					Projects []string
				}
			}
			mustUnmarshal(t, body, &v)
			return append([]string{v.User.User}, v.User.Projects...)
		},
	}
	projectsEndpoint = endpoint{
		body:   func() []byte { return bodies.Projects },
		call:   func(c calls) func(context.Context) (any, error) { return c.projects },
		decode: func(p peer) func([]byte) (any, error) { return p.decodeProjects },
		want: func(t *testing.T, body []byte) []string {
			var v struct{ Projects []map[string]any }
			mustUnmarshal(t, body, &v)
			return names(v.Projects, func(p map[string]any) string { return p["project_name"].(string) })
		},
	}
	cloudsEndpoint = endpoint{
		body:   func() []byte { return bodies.Clouds },
		call:   func(c calls) func(context.Context) (any, error) { return c.clouds },
		decode: func(p peer) func([]byte) (any, error) { return p.decodeClouds },
		want: func(t *testing.T, body []byte) []string {
			var v struct{ Clouds []map[string]any }
			mustUnmarshal(t, body, &v)
			return names(v.Clouds, func(c map[string]any) string { return c["cloud_name"].(string) })
		},
	}
)

func mustUnmarshal(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatal(err)
	}
}

// TestPeersAgree checks that every client, over HTTP and from memory,
// finds the same users, projects and clouds in the bodies, so that the
// benchmarks compare clients doing the same work.
func TestPeersAgree(t *testing.T) {
	for name, e := range map[string]endpoint{"user": userEndpoint, "projects": projectsEndpoint, "clouds": cloudsEndpoint} {
		want := e.want(t, e.body())
		if len(want) < 2 || slices.Contains(want, "") {
			t.Fatalf("%s: reference read of the body found %q", name, want)
		}
		for _, p := range peers {
			t.Run(name+"/client="+p.name, func(t *testing.T) {
				got, err := e.call(mustConnect(t, p, serverURL))(t.Context())
				if err != nil {
					t.Fatalf("call: %v", err)
				}
				if diff := cmp.Diff(want, p.summarize(got)); diff != "" {
					t.Errorf("call: result mismatch (-want +got):\n%s", diff)
				}
				got, err = e.decode(p)(e.body())
				if err != nil {
					t.Fatalf("decode: %v", err)
				}
				if diff := cmp.Diff(want, p.summarize(got)); diff != "" {
					t.Errorf("decode: result mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestServerWantsToken makes sure a client that sent no credential would
// fail the benchmarks instead of timing an error.
func TestServerWantsToken(t *testing.T) {
	c := &PlainClient{HTTPClient: &http.Client{}, BaseURL: serverURL, Token: "wrong"}
	var v PlainProjects
	if err := c.Get(t.Context(), "/v1/project", &v); err == nil {
		t.Fatal("GET /v1/project with a wrong token succeeded")
	}
}

// benchCalls times each client's whole call: request, loopback HTTP,
// reading and decoding the body; and the calls of more peers.
func benchCalls(b *testing.B, e endpoint, more ...peer) {
	for _, p := range append(peers, more...) {
		b.Run("client="+p.name, func(b *testing.B) {
			call := e.call(mustConnect(b, p, serverURL))
			ctx := b.Context()
			if _, err := call(ctx); err != nil { // also opens the connection
				b.Fatal(err)
			}
			b.SetBytes(int64(len(e.body())))
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				if _, err := call(ctx); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
		})
	}
}

// benchDecode times each client's decoding of a body already in memory.
func benchDecode(b *testing.B, e endpoint) {
	body := e.body()
	for _, p := range peers {
		b.Run("client="+p.name, func(b *testing.B) {
			decode := e.decode(p)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				if _, err := decode(body); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
		})
	}
}

// reportCPU reports the CPU time of the process per operation since
// start (cpu-ns/op): the process's whole work (the loopback server's, the
// collector's, the client's) without the time spent waiting for a core,
// which on a shared machine makes sec/op noisy.
func reportCPU(b *testing.B, start int64) {
	if b.N > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
}

func BenchmarkUser(b *testing.B)     { benchCalls(b, userEndpoint) }
func BenchmarkProjects(b *testing.B) { benchCalls(b, projectsEndpoint, streamPeer) }
func BenchmarkClouds(b *testing.B)   { benchCalls(b, cloudsEndpoint) }

func BenchmarkDecodeUser(b *testing.B)     { benchDecode(b, userEndpoint) }
func BenchmarkDecodeProjects(b *testing.B) { benchDecode(b, projectsEndpoint) }
func BenchmarkDecodeClouds(b *testing.B)   { benchDecode(b, cloudsEndpoint) }
