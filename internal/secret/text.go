package secret

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// StripURL returns raw without query, fragment or user information: what
// of a URL may be printed. It works on text alone, so that a URL that does
// not parse is stripped too.
func StripURL(raw string) string {
	raw, _, _ = strings.Cut(raw, "#")
	raw, _, _ = strings.Cut(raw, "?")
	if scheme, rest, ok := strings.Cut(raw, "://"); ok {
		authority, path, slash := strings.Cut(rest, "/")
		if i := strings.LastIndexByte(authority, '@'); i >= 0 {
			authority = authority[i+1:]
		}
		raw = scheme + "://" + authority
		if slash {
			raw += "/" + path
		}
	}
	return raw
}

// Text returns text fit for a message: every secret of s masked, and
// every URL in it stripped (StripURL). It masks first, lest a URL cut
// short leave part of a secret behind it.
func (s *Set) Text(text string) string {
	text = s.Mask(text)
	if strings.Contains(text, "://") {
		text = urlInText().ReplaceAllStringFunc(text, StripURL)
	}
	return s.maskCuts(text)
}

// urlInText matches a URL in a message, up to a space or a quote; compiled
// on first use, as only error paths need it.
var urlInText = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("[[:alpha:]][[:alnum:]+.-]*://[^\\s\"'`<>]*") })

// Error returns err with every message of its chain passed through Text.
// Errors already clean are kept, so that errors.Is and errors.As still
// find them; a *url.Error is rebuilt with its URL stripped; any other
// error whose message held a URL or a secret is replaced by one that
// prints the clean message and unwraps to its cleaned cause.
func (s *Set) Error(err error) error {
	if err == nil {
		return nil
	}
	if ue, ok := err.(*url.Error); ok {
		return &url.Error{Op: ue.Op, URL: s.Mask(StripURL(ue.URL)), Err: s.Error(ue.Err)}
	}
	next := errors.Unwrap(err)
	cleanNext := s.Error(next)
	msg := err.Error()
	if clean := s.Text(msg); clean != msg || cleanNext != next {
		return &cleanError{msg: clean, err: cleanNext}
	}
	return err
}

// cleanError is an error whose message was cleaned. It formats itself,
// so that %#v shows no more than Error.
type cleanError struct {
	msg string
	err error
}

func (e *cleanError) Error() string { return e.msg }
func (e *cleanError) Unwrap() error { return e.err }

// Format prints the message for every verb.
func (e *cleanError) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", e.msg)
		return
	}
	_, _ = io.WriteString(f, e.msg)
}

// Excerpt returns a short single line of a response body, at most n
// characters, fit for a message: an HTML page gives its title and the
// start of its text, with entities decoded; every secret of s is masked
// before the text is cut. cut says that body is only the start of the
// response, so that a secret cut off at its end is masked too.
func (s *Set) Excerpt(body []byte, contentType string, n int, cut bool) string {
	text := strings.ToValidUTF8(string(body), "\uFFFD")
	if isHTML(text, contentType) {
		text = htmlText(text)
	}
	text = s.Text(text)
	if cut {
		text = s.maskCut(text)
	}
	return OneLine(text, n)
}

func isHTML(text, contentType string) bool {
	if strings.Contains(strings.ToLower(contentType), "html") {
		return true
	}
	head := strings.TrimSpace(text[:min(len(text), 512)])
	return strings.HasPrefix(head, "<") || strings.Contains(strings.ToLower(head), "<html")
}

// htmlText returns the title of an HTML page followed by its text, without
// tags, scripts or styles, with its entities decoded.
func htmlText(s string) string {
	title := ""
	if m := htmlTitle().FindStringSubmatch(s); m != nil {
		title = OneLine(unescapeHTML(m[1]), 1<<20)
	}
	s = htmlTag().ReplaceAllString(htmlDrop().ReplaceAllString(s, " "), " ")
	text := OneLine(unescapeHTML(s), 1<<20)
	if title != "" && !strings.HasPrefix(text, title) {
		return title + ": " + text
	}
	return text
}

// The expressions of htmlText, compiled on first use.
var (
	htmlTitle = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title`) })
	htmlDrop  = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?is)<(script|style|head)\b[^>]*>.*?</(script|style|head)\s*>`)
	})
	htmlTag = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)<[^>]*>`) })
)

// OneLine collapses white space and control characters of s into single
// spaces and cuts it to at most n characters, marking a cut with "…".
func OneLine(s string, n int) string {
	s = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return ' '
		}
		return r
	}, s)), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
