package apitest_test

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/apitest"
)

// callHeader names each call, so that the fault function can tell a
// call's attempts apart from other calls'.
const callHeader = "X-Test-Call"

// runFaults makes calls calls from a bounded pool of workers, call i
// through clients[i%len(clients)] to paths[i%3], and returns the outcome
// of each call.
func runFaults(t *testing.T, calls int, clients ...*api.ClientWithResponses) []outcome {
	t.Helper()
	const workers = 16
	out := make([]outcome, calls)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				var attempts atomic.Int32
				ctx, cancel := context.WithTimeout(context.WithValue(t.Context(), attemptsKey{}, &attempts), 30*time.Second)
				id := strconv.Itoa(i)
				path := paths[i%len(paths)]
				got, err := call(t, ctx, clients[i%len(clients)], path, func(_ context.Context, r *http.Request) error {
					r.Header.Set(callHeader, id)
					return nil
				})
				cancel()
				checkNoToken(t, err)
				out[i] = outcome{path: path, got: got, err: err, attempts: int(attempts.Load())}
			}
		})
	}
	for i := range calls {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return out
}

type outcome struct {
	path, got string
	err       error
	attempts  int
}

// cappedFaults returns a Config.Faults that draws from random but gives
// no call (told apart by callHeader) more than max faults, so that every
// call can succeed within a budget of max+1 attempts whatever the draws.
func cappedFaults(max int, random func(*http.Request, int) *apitest.Fault) func(*http.Request, int) *apitest.Fault {
	var mu sync.Mutex
	seen := map[string]int{}
	return func(r *http.Request, n int) *apitest.Fault {
		id := r.Header.Get(callHeader)
		mu.Lock()
		k := seen[id]
		seen[id]++
		mu.Unlock()
		if k >= max {
			return nil
		}
		return random(r, n)
	}
}

// The fault-injection run: thousands of calls to the three endpoints,
// concurrently, against a fake that fails a large share of requests with
// 429 (Retry-After: 0), 503, a proxy's HTML 502, 504 after a delay, and
// dropped connections. Every call succeeds within the retry budget with
// the whole body, the token goes out on every attempt, and no attempt
// count passes the policy's limit.
func TestFaultInjectionRun(t *testing.T) {
	calls := 3000
	if testing.Short() {
		calls = 600
	}
	const maxAttempts = 6
	random := apitest.RandomFaults(20260622, 0.45,
		apitest.RateLimited(0),
		apitest.Status(http.StatusServiceUnavailable),
		apitest.HTMLError(http.StatusBadGateway),
		apitest.Fault{Delay: 2 * time.Millisecond, Status: http.StatusGatewayTimeout, HTML: true},
		apitest.Drop(),
		apitest.Latency(3*time.Millisecond), // slow but fine: not a failure
	)
	srv := apitest.NewServer(t, apitest.Config{Token: fakeToken, Faults: cappedFaults(maxAttempts-1, random), LogSize: 4 * calls})
	// Half the calls reuse connections, as clients do by default; there
	// net/http itself resends a request whose reused connection was
	// dropped. The other half open a connection per attempt, so that
	// drops reach the client's own retries.
	keepAlive := srv.Client(api.WithRetryPolicy(fastRetry(maxAttempts)), api.WithHTTPClient(countingClient(t, true)))
	fresh := srv.Client(api.WithRetryPolicy(fastRetry(maxAttempts)), api.WithHTTPClient(countingClient(t, false)))

	start := time.Now()
	out := runFaults(t, calls, keepAlive, fresh)
	wall := time.Since(start)

	failed, attempts, maxSeen := 0, 0, 0
	hist := map[int]int{}
	for i, o := range out {
		if o.err != nil || o.got != wantDefault[o.path] {
			failed++
			if failed <= 5 {
				t.Errorf("call %d (%s): got %q, error %v after %d attempts", i, o.path, o.got, o.err, o.attempts)
			}
		}
		attempts += o.attempts
		maxSeen = max(maxSeen, o.attempts)
		hist[o.attempts]++
	}
	st := srv.Stats()
	failing := 0
	for name, n := range st.Faults {
		if name != "latency" {
			failing += n
		}
	}
	share := float64(failing) / float64(st.Requests)
	unauthorized := 0
	for _, r := range srv.Log() {
		if !r.Authorized {
			unauthorized++
		}
	}

	t.Logf("fault-injection run: %d calls, %d failed, wall time %v", calls, failed, wall.Round(time.Millisecond))
	t.Logf("server: %d requests, %d failing faults (%.1f%%), by kind %v, statuses %v", st.Requests, failing, 100*share, st.Faults, st.Statuses)
	t.Logf("client: %d attempts, %d retries, at most %d attempts per call; calls by attempts %v", attempts, attempts-calls, maxSeen, sortedHist(hist))
	t.Logf("server requests beyond the client's attempts (dropped keep-alive connections resent by net/http): %d", st.Requests-attempts)

	if failed > 0 {
		t.Errorf("%d of %d calls failed", failed, calls)
	}
	if maxSeen > maxAttempts {
		t.Errorf("a call made %d attempts, the policy allows %d", maxSeen, maxAttempts)
	}
	if share < 0.30 {
		t.Errorf("only %.1f%% of requests were failing faults; the run wants at least 30%%", 100*share)
	}
	if attempts-calls < calls/4 {
		t.Errorf("%d retries for %d calls: the faults did not reach the client", attempts-calls, calls)
	}
	if st.Requests < attempts {
		t.Errorf("server saw %d requests, fewer than the client's %d attempts", st.Requests, attempts)
	}
	if st.Rejected != 0 || st.Drift != 0 || unauthorized != 0 {
		t.Errorf("rejected %d, drift %d, requests without the token %d; want none", st.Rejected, st.Drift, unauthorized)
	}
}

// With too small a budget, the same kind of run makes calls fail: each
// failure is an *api.Error with the last status (or a connection error),
// after exactly the budgeted attempts, and none shows the token.
func TestFaultInjectionRunExhausted(t *testing.T) {
	t.Parallel()
	const calls, maxAttempts = 600, 2
	srv := apitest.NewServer(t, apitest.Config{Token: fakeToken, Faults: apitest.RandomFaults(99, 0.7,
		apitest.RateLimited(0),
		apitest.Status(http.StatusServiceUnavailable),
		apitest.HTMLError(http.StatusBadGateway),
		apitest.Drop(),
	)})
	// No connection reuse: a dropped connection then always reaches the
	// client instead of being resent by net/http on a new one.
	c := srv.Client(api.WithRetryPolicy(fastRetry(maxAttempts)), api.WithHTTPClient(countingClient(t, false)))

	out := runFaults(t, calls, c)
	apiErrs, connErrs, ok := 0, 0, 0
	for i, o := range out {
		var ae *api.Error
		switch {
		case o.err == nil:
			ok++
			if o.got != wantDefault[o.path] {
				t.Errorf("call %d: got %q", i, o.got)
			}
		case errors.As(o.err, &ae):
			apiErrs++
			if ae.Attempts != maxAttempts || o.attempts != maxAttempts || !errors.Is(o.err, api.ErrRateLimited) && !errors.Is(o.err, api.ErrServer) {
				t.Errorf("call %d: %v after %d attempts (client counted %d)", i, o.err, ae.Attempts, o.attempts)
			}
		default:
			connErrs++
			if o.attempts != maxAttempts {
				t.Errorf("call %d: %v after %d attempts", i, o.err, o.attempts)
			}
		}
	}
	t.Logf("exhausted run: %d calls, %d succeeded, %d *api.Error, %d connection errors", calls, ok, apiErrs, connErrs)
	if apiErrs == 0 || connErrs == 0 || ok == 0 {
		t.Errorf("want successes, *api.Errors and connection errors all present")
	}
	if got := srv.Stats().Requests; got < calls {
		t.Errorf("server saw %d requests for %d calls", got, calls)
	}
}

func sortedHist(h map[int]int) []string {
	var keys []int
	for k := range h {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var out []string
	for _, k := range keys {
		out = append(out, strconv.Itoa(k)+":"+strconv.Itoa(h[k]))
	}
	return out
}
