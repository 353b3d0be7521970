package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aivenapi/aivenapi/internal/redact"
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
	// Message is Aiven's human-readable message, or a short description of a
	// body that was not Aiven's JSON error.
	Message string
	// Errors holds the items of Aiven's errors[], with their error_code.
	Errors []ErrorDetail
	// RetryAfter is the wait the server asked for (Retry-After, or the
	// "try again in 28s" of Aiven's rate-limit message); 0 when it gave none.
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

// newError builds the Error for a response from its (possibly truncated)
// body. secrets are masked wherever body text is kept.
func newError(resp *http.Response, body []byte, secrets []string, now time.Time) *Error {
	e := &Error{StatusCode: resp.StatusCode}
	if resp.Request != nil {
		e.Method = resp.Request.Method
		if resp.Request.URL != nil {
			e.Path = resp.Request.URL.Path
		}
	}
	e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), now)
	if len(body) >= maxErrorBody {
		// The body was cut: its end may hold the first part of an echoed
		// credential, which masking whole credentials would miss.
		body = body[:max(0, len(body)-longest(secrets))]
	}
	trimmed := bytes.TrimSpace(body)
	var parsed ErrorResponse
	if len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &parsed) == nil {
		if parsed.Message != nil {
			e.Message = *parsed.Message
		}
		if parsed.Errors != nil {
			e.Errors = *parsed.Errors
		}
		if e.Message == "" && len(e.Errors) > 0 && e.Errors[0].Message != nil {
			e.Message = *e.Errors[0].Message
		}
	} else if len(trimmed) > 0 {
		// Mask before cutting: a cut could split a credential.
		e.Excerpt = excerpt([]byte(redact.Mask(string(trimmed), secrets)))
		if e.Message == "" {
			e.Message = http.StatusText(resp.StatusCode)
		}
	}
	e.Message = oneLine(redact.Mask(e.Message, secrets), 500)
	for i := range e.Errors {
		d := &e.Errors[i]
		for _, f := range []**string{&d.Message, &d.ErrorCode, &d.MoreInfo} {
			if *f != nil {
				s := oneLine(redact.Mask(**f, secrets), 500)
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

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		if n > int64(24*time.Hour/time.Second) {
			return 24 * time.Hour
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, 24*time.Hour)
		}
	}
	return 0
}

// The expressions below serve only error paths: they are compiled on first
// use, not at every program start.
var tryAgainIn = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`try again in (\d{1,5})\s?s\b`) })

// retryHint reads the wait out of Aiven's rate-limit message, "Rate limit
// 120 exceeded - try again in 28s", for responses without Retry-After.
func retryHint(msg string) time.Duration {
	m := tryAgainIn().FindStringSubmatch(msg)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return time.Duration(n) * time.Second
}

var (
	htmlTitle = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`) })
	htmlDrop  = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?is)<(script|style|head)[^>]*>.*?</(script|style|head)>`)
	})
	htmlTag = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)<[^>]*>`) })
)

// excerpt makes a short single line of text from a non-JSON body: an HTML
// page gives its title and the start of its text.
func excerpt(body []byte) string {
	s := string(body)
	if strings.Contains(strings.ToLower(s[:min(len(s), 512)]), "<html") || strings.HasPrefix(s, "<") {
		title := ""
		if m := htmlTitle().FindStringSubmatch(s); m != nil {
			title = oneLine(htmlEntities.Replace(m[1]), maxExcerpt)
		}
		s = htmlDrop().ReplaceAllString(s, " ")
		s = htmlEntities.Replace(htmlTag().ReplaceAllString(s, " "))
		text := oneLine(s, maxExcerpt)
		if title != "" && !strings.HasPrefix(text, title) {
			text = oneLine(title+": "+text, maxExcerpt)
		}
		return text
	}
	return oneLine(s, maxExcerpt)
}

var htmlEntities = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&nbsp;", " ")

// oneLine collapses white space and control characters and cuts s to at most
// n runes, marking a cut with "…".
func oneLine(s string, n int) string {
	var b strings.Builder
	space, count := false, 0
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsControl(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			if count++; count > n {
				break
			}
			b.WriteByte(' ')
			space = false
		}
		if count++; count > n {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

// longest returns the length of the longest of secrets.
func longest(secrets []string) int {
	n := 0
	for _, s := range secrets {
		n = max(n, len(s))
	}
	return n
}
