package bench

import (
	"context"
	"errors"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/auth"
)

// bigBodySize is the size of the project list whose decoding
// BenchmarkPeakMemory watches.
const bigBodySize = 20 << 20

// bigProjectsBody returns a project list of about bigBodySize bytes.
var bigProjectsBody = sync.OnceValue(func() []byte {
	perProject := len(ProjectsBody(Seed, 100)) / 100
	return ProjectsBody(Seed, bigBodySize/perProject)
})

// heapObjects is the runtime metric for heap memory holding objects, live
// or not yet swept: what the process holds for them, garbage included.
const heapObjects = "/memory/classes/heap/objects:bytes"

// heapSampler polls heapObjects in its own goroutine and keeps the largest
// value seen, until stopped.
type heapSampler struct {
	stopping atomic.Bool
	done     chan uint64
}

func readHeap(s []metrics.Sample) uint64 {
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{done: make(chan uint64)}
	started := make(chan struct{})
	go func() {
		s := []metrics.Sample{{Name: heapObjects}}
		peak := readHeap(s)
		close(started)
		for !h.stopping.Load() {
			peak = max(peak, readHeap(s))
			runtime.Gosched()
		}
		h.done <- max(peak, readHeap(s))
	}()
	<-started
	return h
}

func (h *heapSampler) stop() uint64 {
	h.stopping.Store(true)
	return <-h.done
}

// BenchmarkPeakMemory fetches and decodes a 20 MiB project list through each
// client and reports, relative to the body's size, the largest heap seen
// during the call above the heap before it (peak-B/body-B; garbage not yet
// collected counts, as it does for the process) and the heap the result
// keeps after a collection (result-B/body-B). GOGC stays at its default.
func BenchmarkPeakMemory(b *testing.B) {
	body := bigProjectsBody()
	srv := NewServer(Bodies{User: bodies.User, Projects: body, Clouds: bodies.Clouds})
	defer srv.Close()
	for _, p := range append(peers, streamPeer) {
		b.Run("client="+p.name, func(b *testing.B) {
			call := mustConnect(b, p, srv.URL).projects
			ctx := b.Context()
			s := []metrics.Sample{{Name: heapObjects}}
			var peak, kept uint64
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				runtime.GC()
				before := readHeap(s)
				sampler := startHeapSampler()
				b.StartTimer()
				result, err := call(ctx)
				b.StopTimer()
				top := sampler.stop()
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				after := readHeap(s)
				runtime.KeepAlive(result)
				peak = max(peak, top-min(top, before))
				kept = max(kept, after-min(after, before))
				b.StartTimer()
			}
			b.ReportMetric(float64(peak)/float64(len(body)), "peak-B/body-B")
			b.ReportMetric(float64(kept)/float64(len(body)), "result-B/body-B")
		})
	}
}

// streamPeer is this project's client reading the list with Projects, one
// project at a time; its result is the number of projects.
var streamPeer = peer{
	name: "aivenapi-stream",
	connect: func(base string) (calls, error) {
		c, err := api.New(api.WithBaseURL(base), api.WithRequestEditorFn(auth.Aiven(Token)))
		if err != nil {
			return calls{}, err
		}
		return calls{projects: func(ctx context.Context) (any, error) {
			n := 0
			for p, err := range c.Projects(ctx) {
				if err != nil {
					return nil, err
				}
				if p.ProjectName == "" {
					return nil, errors.New("a project without a name")
				}
				n++
			}
			return n, nil
		}}, nil
	},
}

// TestStreamPeer checks that the streaming peer reads every project.
func TestStreamPeer(t *testing.T) {
	got, err := mustConnect(t, streamPeer, serverURL).projects(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got != ProjectCount {
		t.Errorf("streamed %v projects, want %d", got, ProjectCount)
	}
}
