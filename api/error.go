package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aivenapi/aivenapi/internal/secret"
)

// Sentinel errors that an *Error matches with errors.Is, for the cases
// callers branch on.
var (
	ErrUnauthorized = errors.New("api: unauthorized") // HTTP 401: missing, expired or revoked token
	ErrForbidden    = errors.New("api: forbidden")    // HTTP 403
	ErrNotFound     = errors.New("api: not found")    // HTTP 404
	ErrRateLimited  = errors.New("api: rate limited") // HTTP 429
	ErrServer       = errors.New("api: server error") // HTTP 5xx
)

// Error is a response the API did not answer with success: any non-2xx
// status, or a 2xx the operation does not define. errors.As(err, &apiErr)
// finds it in the error of every client method.
//
// It never holds a credential: text taken from the body has the request's
// credentials masked, and an HTML or other non-JSON body contributes only a
// short excerpt of its text.
type Error struct {
	// StatusCode is the HTTP status code, such as 429.
	StatusCode int
	// Method and Path name the request (the path only: never the query,
	// which may carry a token).
	Method, Path string
	// Message is Aiven's human-readable message, the title and detail of
	// an RFC 9457 problem (application/problem+json, as proxies and
	// gateways send), or a short description of a body that was not JSON.
	Message string
	// Errors holds the items of Aiven's errors[], with their error_code.
	Errors []ErrorDetail
	// RetryAfter is the wait the server asked for (Retry-After, or the
	// "try again in 28s" of Aiven's rate-limit message), at most 24 hours
	// however long the wait asked; 24 hours when it cannot be read (such
	// as a negative one); 0 when it gave none. A wait longer than
	// RetryPolicy.MaxRetryAfter, or past the context's deadline, is not
	// waited for: the call ends at once with this error.
	RetryAfter time.Duration
	// Excerpt is a short, single-line excerpt of a body that was not JSON,
	// such as a proxy's HTML error page.
	Excerpt string
	// Attempts is how many times the request was sent.
	Attempts int
}

// Error returns a one-line description: method, path, status and message.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("api: ")
	if e.Method != "" {
		b.WriteString(e.Method + " " + e.Path + ": ")
	}
	b.WriteString(e.Summary())
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	return b.String()
}

// Summary returns the message and status without the request, as a person
// reads it: "Rate limit 120 exceeded - try again in 28s (HTTP 429)".
func (e *Error) Summary() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	if msg == "" {
		msg = "unexpected response"
	}
	s := fmt.Sprintf("%s (HTTP %d)", msg, e.StatusCode)
	if e.Excerpt != "" && e.Excerpt != e.Message {
		s += ": " + strconv.Quote(e.Excerpt)
	}
	return s
}

// ErrorCode returns the error_code of the first error item that has one.
func (e *Error) ErrorCode() string {
	for _, d := range e.Errors {
		if d.ErrorCode != nil && *d.ErrorCode != "" {
			return *d.ErrorCode
		}
	}
	return ""
}

// Is lets errors.Is match the sentinel errors by status code.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// maxErrorBody is how much of an error body is read; the rest is discarded.
const maxErrorBody = 64 << 10

// maxExcerpt is the length of the excerpt kept from a non-JSON body.
const maxExcerpt = 160

// newError builds the Error for a response to req from its (possibly
// truncated) body. Every text kept from the body has the secrets of set
// masked, and is masked before it is cut.
func newError(req *http.Request, resp *http.Response, body []byte, set *secret.Set, now time.Time) *Error {
	e := &Error{StatusCode: resp.StatusCode, Method: req.Method, Path: req.URL.Path}
	e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), now)
	cut := len(body) >= maxErrorBody
	trimmed := bytes.TrimSpace(body)
	var parsed ErrorResponse
	var problem struct {
		Title            string `json:"title"`  // RFC 9457 problem details,
		Detail           string `json:"detail"` // as proxies and gateways send
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	if len(trimmed) > 0 && trimmed[0] == '{' && !cut && json.Unmarshal(trimmed, &parsed) == nil {
		if parsed.Message != nil {
			e.Message = *parsed.Message
		}
		if parsed.Errors != nil {
			e.Errors = *parsed.Errors
		}
		if e.Message == "" && len(e.Errors) > 0 && e.Errors[0].Message != nil {
			e.Message = *e.Errors[0].Message
		}
		if e.Message == "" && json.Unmarshal(trimmed, &problem) == nil {
			e.Message = strings.Join(slices.DeleteFunc([]string{problem.Title, problem.Detail, problem.Error, problem.ErrorDescription},
				func(s string) bool { return strings.TrimSpace(s) == "" }), ": ")
		}
	} else if len(trimmed) > 0 {
		e.Excerpt = set.Excerpt(trimmed, resp.Header.Get("Content-Type"), maxExcerpt, cut)
		e.Message = http.StatusText(resp.StatusCode)
	}
	e.Message = secret.OneLine(set.Text(e.Message), 500)
	for i := range e.Errors {
		d := &e.Errors[i]
		for _, f := range []**string{&d.Message, &d.ErrorCode, &d.MoreInfo} {
			if *f != nil {
				s := secret.OneLine(set.Text(**f), 500)
				*f = &s
			}
		}
		d.Metadata = nil // free-form: may echo request content
	}
	if e.RetryAfter == 0 && resp.StatusCode == http.StatusTooManyRequests {
		e.RetryAfter = retryHint(e.Message)
	}
	return e
}

// maxRetryAfter caps the wait a server may state: longer than any retry
// policy waits, short enough to add to a time.
const maxRetryAfter = 24 * time.Hour

// parseRetryAfter reads a Retry-After value: delay-seconds (also with a
// sign, a fraction or an exponent) or an HTTP date. A wait that cannot be
// read or represented (negative, not a number, beyond int64) counts as
// maxRetryAfter, never as none: the server asked for a wait, and the call
// must not retry at once.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), maxRetryAfter)
	}
	return seconds(v)
}

// seconds reads a wait in seconds, capped at maxRetryAfter; one that is
// negative or not a number counts as maxRetryAfter.
func seconds(s string) time.Duration {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !(f >= 0 && f < maxRetryAfter.Seconds()) { // NaN too
		return maxRetryAfter
	}
	return time.Duration(f * float64(time.Second))
}

// The expression below serves only error paths: it is compiled on first
// use, not at every program start.
var tryAgainIn = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)try again in\s+(\S+?)\s*(?:s|secs?|seconds?)\b`)
})

// retryHint reads the wait out of Aiven's rate-limit message, "Rate limit
// 120 exceeded - try again in 28s", for responses without Retry-After.
func retryHint(msg string) time.Duration {
	m := tryAgainIn().FindStringSubmatch(msg)
	if m == nil {
		return 0
	}
	return seconds(m[1])
}
