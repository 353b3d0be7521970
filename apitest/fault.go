package apitest

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is a failure the fake serves instead of a normal response. Its
// fields combine: Delay is waited first, then the response is chosen
// (Drop, Status, Body or the fixture), then it is cut short (Truncate) or
// padded (Oversize). The zero Fault changes nothing.
//
// The functions below (RateLimited, Status, HTMLError, Latency, Drop,
// Truncate, Oversize, Body) build the common ones; set further fields on
// what they return to combine them.
type Fault struct {
	// Name labels the fault in Stats and Log; empty means a name made
	// from the fields, such as "429", "html 502" or "latency+drop".
	Name string

	// Delay is waited before answering. The wait ends early when the
	// client gives up (the request's context ends) or the Handler is
	// closed; the fake then answers nothing more.
	Delay time.Duration

	// Drop closes the connection without answering.
	Drop bool

	// Status, when neither 0 nor 200, is answered with an Aiven JSON error
	// body: {"message": ..., "errors": [{"message": ..., "status": ...,
	// "error_code": ...}]}.
	Status int
	// Message is the error body's message; empty means a usual one for the
	// status, such as "Rate limit 120 exceeded - try again in 28s" for 429.
	Message string
	// ErrorCode is the error_code of the body's errors[0]; empty omits it
	// unless the status has a usual one (400 bad_request, 403
	// permission_denied, 500 internal_server_error).
	ErrorCode string
	// RetryAfter, when not empty, is sent as the Retry-After header as it
	// is: delay-seconds ("28") or an HTTP date (see RetryAfterDate).
	RetryAfter string
	// HTML answers with a proxy's HTML error page (text/html) instead of
	// Aiven's JSON, for Status (502 when Status is 0).
	HTML bool
	// Echo repeats the request's Authorization header in the error body,
	// as servers that echo request content do, so that tests can prove the
	// client never shows it.
	Echo bool

	// Raw serves Body with ContentType and Status (200 when 0) exactly as
	// given, even when Body is empty, without checking it against the
	// description: for bodies that are deliberately wrong.
	Raw         bool
	Body        []byte
	ContentType string

	// Truncate announces the whole body in Content-Length, sends half of
	// it, then closes the connection.
	Truncate bool
	// Oversize pads the body with leading white space (so that it stays
	// the same JSON) to at least this many bytes.
	Oversize int64
	// Chunked sends the body without Content-Length, so that a client
	// learns its size only by reading it.
	Chunked bool
}

// active reports whether f changes anything.
func (f *Fault) active() bool {
	return f != nil && (f.Delay > 0 || f.Drop || (f.Status != 0 && f.Status != http.StatusOK) ||
		f.HTML || f.Echo || f.Raw || f.Truncate || f.Oversize > 0 || f.Chunked || f.RetryAfter != "")
}

// String returns the fault's name: Name, or one made from its fields.
func (f Fault) String() string {
	if f.Name != "" {
		return f.Name
	}
	var parts []string
	if f.Delay > 0 {
		parts = append(parts, "latency")
	}
	switch {
	case f.Drop:
		parts = append(parts, "drop")
	case f.Raw:
		parts = append(parts, "body "+strconv.Itoa(orDefault(f.Status, http.StatusOK)))
	case f.HTML:
		parts = append(parts, "html "+strconv.Itoa(orDefault(f.Status, http.StatusBadGateway)))
	case f.Status != 0 && f.Status != http.StatusOK:
		parts = append(parts, strconv.Itoa(f.Status))
	}
	if f.Echo {
		parts = append(parts, "echo")
	}
	if f.Oversize > 0 {
		parts = append(parts, "oversize")
	}
	if f.Chunked {
		parts = append(parts, "chunked")
	}
	if f.Truncate {
		parts = append(parts, "truncate")
	}
	if len(parts) == 0 && f.RetryAfter != "" {
		parts = append(parts, "retry-after")
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "+")
}

// orDefault returns v, or def when v is 0 or less.
func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// RateLimited returns a 429 with "Retry-After: <seconds>" and Aiven's
// message "Rate limit 120 exceeded - try again in <seconds>s".
func RateLimited(seconds int) Fault {
	s := strconv.Itoa(max(seconds, 0))
	return Fault{Status: http.StatusTooManyRequests, RetryAfter: s,
		Message: "Rate limit 120 exceeded - try again in " + s + "s"}
}

// Status returns an answer with status code and Aiven's JSON error body,
// with the usual message for the code.
func Status(code int) Fault { return Fault{Status: code} }

// HTMLError returns an answer with status code and a proxy's HTML error
// page, as Aiven's load balancers send for 502 and 504.
func HTMLError(code int) Fault { return Fault{Status: code, HTML: true} }

// Latency returns a normal answer sent after d.
func Latency(d time.Duration) Fault { return Fault{Delay: d} }

// Drop returns a fault that closes the connection without an answer.
func Drop() Fault { return Fault{Drop: true} }

// Truncate returns a normal answer cut off halfway, its Content-Length
// announcing the whole body.
func Truncate() Fault { return Fault{Truncate: true} }

// Oversize returns a normal answer padded to at least n bytes, its size
// announced in Content-Length (set Chunked to hide it).
func Oversize(n int64) Fault { return Fault{Oversize: n} }

// Body returns an answer of status code with contentType and body exactly
// as given, not checked against the description.
func Body(code int, contentType string, body []byte) Fault {
	return Fault{Status: code, ContentType: contentType, Body: body, Raw: true}
}

// RetryAfterDate formats t as an HTTP date for Fault.RetryAfter. HTTP
// dates have whole seconds: t is rounded down.
func RetryAfterDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// RandomFaults returns a function for Config.Faults that answers a share
// rate (from 0 to 1) of requests with one of faults, chosen with equal
// chances. The draws come from a pseudo-random sequence seeded with seed:
// the sequence repeats from run to run, but which request gets which draw
// follows the order the requests arrive in. It is safe for concurrent use.
func RandomFaults(seed uint64, rate float64, faults ...Fault) func(r *http.Request, n int) *Fault {
	if len(faults) == 0 || rate <= 0 {
		return func(*http.Request, int) *Fault { return nil }
	}
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed_a17e_4f00_0001))
	choices := append([]Fault(nil), faults...)
	return func(*http.Request, int) *Fault {
		mu.Lock()
		hit := rng.Float64() < rate
		i := rng.IntN(len(choices))
		mu.Unlock()
		if !hit {
			return nil
		}
		f := choices[i]
		return &f
	}
}

// usualError returns the message and error_code the fake sends for a
// status when the fault names none. The codes are ones Aiven publishes;
// statuses without a fitting one get none, as error_code is optional.
func usualError(status int) (msg, code string) {
	switch status {
	case http.StatusBadRequest:
		return "Bad request", "bad_request"
	case http.StatusUnauthorized:
		return "Invalid token", ""
	case http.StatusForbidden:
		return "Permission denied", "permission_denied"
	case http.StatusNotFound:
		return "Not found", ""
	case http.StatusTooManyRequests:
		return "Rate limit 120 exceeded - try again in 28s", ""
	case http.StatusInternalServerError:
		return "Internal server error", "internal_server_error"
	case http.StatusServiceUnavailable:
		return "Service temporarily unavailable, please try again later", ""
	}
	if t := http.StatusText(status); t != "" {
		return t, ""
	}
	return fmt.Sprintf("HTTP %d", status), ""
}
