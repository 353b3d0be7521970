package auth_test

import (
	"net/http"
	"testing"

	"github.com/aivenapi/aivenapi/auth"
)

// benchEdit measures one editor applied to a request that is reused, as
// the generated client builds a new one per call but the cost measured
// here is the editor's alone.
func benchEdit(b *testing.B, url string, edit editor) {
	req, err := http.NewRequestWithContext(b.Context(), http.MethodGet, url, nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if err := edit(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEditAiven(b *testing.B) {
	benchEdit(b, "https://api.aiven.io/v1/me", auth.Aiven(staticToken))
}

func BenchmarkEditHeader(b *testing.B) {
	benchEdit(b, "https://api.aiven.io/v1/me", auth.Header("x-auth-token", staticToken))
}

func BenchmarkEditAivenLoopbackHTTP(b *testing.B) {
	benchEdit(b, "http://127.0.0.1:8080/v1/me", auth.Aiven(staticToken))
}

func BenchmarkEditQuery(b *testing.B) {
	benchEdit(b, "https://api.example.com/v1/x", auth.Query("apiToken", staticToken))
}

func BenchmarkEditQueryWithOtherParams(b *testing.B) {
	benchEdit(b, "https://api.example.com/v1/x?limit=10&offset=20", auth.Query("apiToken", staticToken))
}

func BenchmarkEditExchangeCached(b *testing.B) {
	ts := newTokenServer(b, newClock())
	ex := newExchange(b, ts, nil)
	if _, err := ex.Token(b.Context()); err != nil {
		b.Fatal(err)
	}
	benchEdit(b, "https://dbaas.example.com/api/v3/u/clusters", ex.Edit)
	if n := ts.count(); n != 1 {
		b.Fatalf("token endpoint called %d times, want 1", n)
	}
}

func BenchmarkEditExchangeCachedParallel(b *testing.B) {
	ts := newTokenServer(b, newClock())
	ex := newExchange(b, ts, nil)
	if _, err := ex.Token(b.Context()); err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://dbaas.example.com/api/v3/u/clusters", nil)
		for pb.Next() {
			if err := ex.Edit(ctx, req); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
