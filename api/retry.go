package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"syscall"
	"time"
)

// RetryPolicy says when and how long New's client waits before sending a
// request again. The zero value is not useful: start from
// DefaultRetryPolicy(). A RetryPolicy is a plain value, safe to share.
//
// Only idempotent requests (GET, HEAD, OPTIONS, TRACE, PUT, DELETE, or any
// request with an Idempotency-Key header) are retried, unless NonIdempotent
// is set; a request whose body cannot be rewound (no GetBody) never is.
// Retried are connection errors and the statuses 429, 502, 503 and 504;
// other statuses never are.
type RetryPolicy struct {
	// MaxAttempts is how many times a request is sent at most; 1 disables
	// retries.
	MaxAttempts int
	// MinWait is the first backoff; each retry doubles it, up to MaxWait.
	// The wait is drawn at random between half the backoff and the backoff.
	MinWait, MaxWait time.Duration
	// MaxRetryAfter is the longest wait a server may ask for with
	// Retry-After (or Aiven's "try again in 28s"). A longer request is not
	// waited for: the caller gets the *Error, with its RetryAfter, at once.
	MaxRetryAfter time.Duration
	// NonIdempotent allows retrying POST and PATCH requests too.
	NonIdempotent bool
}

// DefaultRetryPolicy returns the policy New uses: 5 attempts, backoff from
// 1 s to 15 s, and server-requested waits of up to 60 s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 5, MinWait: time.Second, MaxWait: 15 * time.Second, MaxRetryAfter: time.Minute}
}

func (rp RetryPolicy) validate() error {
	switch {
	case rp.MaxAttempts < 1:
		return fmt.Errorf("api: RetryPolicy.MaxAttempts is %d; want 1 or more", rp.MaxAttempts)
	case rp.MinWait < 0 || rp.MaxWait < rp.MinWait:
		return fmt.Errorf("api: RetryPolicy wants 0 <= MinWait <= MaxWait, got %v and %v", rp.MinWait, rp.MaxWait)
	case rp.MaxRetryAfter < 0:
		return errors.New("api: RetryPolicy.MaxRetryAfter is negative")
	}
	return nil
}

// wait returns how long to wait after the given attempt failed, and false
// when no retry should follow: attempts are used up, the server asked for
// more than MaxRetryAfter, or the wait would pass ctx's deadline.
func (rp RetryPolicy) wait(ctx context.Context, attempt int, retryAfter time.Duration, now time.Time) (time.Duration, bool) {
	if attempt >= rp.MaxAttempts {
		return 0, false
	}
	var d time.Duration
	if retryAfter > 0 {
		if retryAfter > rp.MaxRetryAfter {
			return 0, false
		}
		d = retryAfter
	} else {
		backoff := rp.MinWait
		for i := 1; i < attempt && backoff < rp.MaxWait; i++ {
			backoff *= 2
		}
		backoff = min(backoff, rp.MaxWait)
		d = backoff/2 + rand.N(backoff/2+1)
	}
	if deadline, ok := ctx.Deadline(); ok && now.Add(d).After(deadline) {
		return 0, false
	}
	return d, true
}

func retryStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// isTemporary reports whether a failed attempt may succeed when repeated:
// connection refused or reset, a dropped connection, a timeout of the
// attempt (not of the caller's context).
func isTemporary(err error) bool {
	var ne net.Error
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.Is(err, context.DeadlineExceeded):
		return true
	case errors.As(err, &ne) && ne.Timeout():
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return dns.IsTemporary || dns.IsTimeout
	}
	var op *net.OpError
	return errors.As(err, &op)
}
