package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/auth"
	"github.com/aivenapi/aivenapi/internal/secret"
	"github.com/aivenapi/aivenapi/validate"
)

// schemes maps --auth-scheme to the editor that attaches the token.
var schemes = map[string]func(string, ...auth.Option) func(context.Context, *http.Request) error{
	"aivenv1": auth.Aiven,
	"bearer":  auth.Bearer,
}

// call runs one API command: it finds the token and the host, builds the
// client, calls, and prints the result.
func (c *cli) call(parent context.Context, n *noun, v *verb) error {
	ctx := parent
	if c.opts.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(parent, c.opts.timeout)
		defer cancel()
	}
	cred, looked, err := findToken(ctx, c.env.getenv, c.opts.tokenFile, c.stderr)
	if err != nil {
		return err
	}
	c.mask.set(cred.token)
	if cred.token == "" && !v.tokenOptional {
		return missingToken(n.name+" "+v.name, looked)
	}

	baseURL, urlSource := strings.TrimSpace(c.opts.url), "--url"
	if baseURL == "" {
		baseURL, urlSource = strings.TrimSpace(c.env.getenv("AIVEN_WEB_URL")), "AIVEN_WEB_URL"
	}
	if baseURL == "" {
		baseURL, urlSource = api.DefaultBaseURL, ""
	}

	var log *slog.Logger
	if c.opts.debug || envBool(c.env.getenv("AIVEN_DEBUG")) {
		log = slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		source := cred.source
		if source == "" {
			source = "none"
		}
		log.Debug("config", "url", secret.StripURL(baseURL), "token_source", source, "auth_scheme", c.opts.authScheme,
			"timeout", c.opts.timeout, "ca_cert", c.env.getenv("AIVEN_CA_CERT"))
	}

	hc, err := c.httpClient()
	if err != nil {
		return err
	}
	defer hc.CloseIdleConnections()

	// The doer given to api.New runs under its retries and so sees every
	// attempt. Each layer below wraps the one before.
	attempts := &attemptTracer{next: hc, log: log}
	var doer api.HttpRequestDoer = attempts
	if c.opts.validate {
		v, err := validate.New(doer, validate.Options{Report: c.reportDrift})
		if err != nil {
			return err
		}
		doer = v
	}

	opts := []api.ClientOption{
		api.WithBaseURL(baseURL),
		api.WithHTTPClient(doer),
		api.WithUserAgent("aivenctl/" + api.Version),
	}
	if c.env.retry != nil {
		opts = append(opts, api.WithRetryPolicy(*c.env.retry))
	}
	if cred.token != "" {
		opts = append(opts, api.WithRequestEditorFn(schemes[c.opts.authScheme](cred.token)))
	}
	client, err := api.New(opts...)
	if err != nil {
		if urlSource == "--url" && !strings.Contains(baseURL, "://") {
			// Not a URL at all: it may be a token pasted in its place.
			return usagef([]string{n.name}, "--url %s: want an http or https URL such as %s", shown(baseURL), api.DefaultBaseURL)
		}
		if urlSource == "--url" {
			return usagef([]string{n.name}, "--url: %v", err)
		}
		return fmt.Errorf("%s: %w", urlSource, err)
	}
	if cred.token != "" {
		if err := checkPlainHTTP(baseURL, urlSource); err != nil {
			return err
		}
	}

	out, err := v.call(ctx, client)
	if err != nil {
		return callError(parent, ctx, err, v, cred, c.opts.timeout, int(attempts.n.Load()))
	}
	if c.opts.json {
		return c.writeRawJSON(out.json)
	}
	return c.writeTable(out.table())
}

// checkPlainHTTP refuses to send a token in clear text to a host that is
// not this machine.
func checkPlainHTTP(baseURL, source string) error {
	u, err := url.Parse(baseURL)
	if err != nil || !strings.EqualFold(u.Scheme, "http") || auth.IsLoopback(u.Hostname()) {
		return nil
	}
	if source == "" {
		source = "the default"
	}
	return fmt.Errorf("refusing to send the token over plain http to %s (from %s); use https", u.Host, source)
}

// httpClient is the HTTP client under api.New's pipeline: the default
// transport (proxies from the environment, connection reuse), the extra
// CAs of AIVEN_CA_CERT, and a redirect policy that drops credentials.
func (c *cli) httpClient() (*http.Client, error) {
	var tc *tls.Config
	if path := c.env.getenv("AIVEN_CA_CERT"); path != "" {
		pool, err := certPool(path)
		if err != nil {
			return nil, err
		}
		tc = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return secret.NewHTTPClient(tc), nil
}

// certPool returns the system's CAs plus those of the PEM file at path.
func certPool(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("AIVEN_CA_CERT: %w", fileError(path, err))
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("AIVEN_CA_CERT: no PEM certificate in %s", path)
	}
	return pool, nil
}

// callError turns the error of an API call into the line the user reads:
// Aiven's message and the status, where the token came from after a 401,
// or what failed on the way. parent is the caller's context, ctx the one
// with the --timeout.
func callError(parent, ctx context.Context, err error, v *verb, cred credential, timeout time.Duration, attempts int) error {
	var apiErr *api.Error
	var msg string
	var ue *url.Error
	switch {
	case errors.As(err, &apiErr):
		msg = apiErr.Summary()
		if apiErr.Attempts > 1 {
			msg += fmt.Sprintf("; gave up after %d attempts", apiErr.Attempts)
		}
		if apiErr.StatusCode == http.StatusUnauthorized {
			if cred.token != "" {
				msg += "; the token came from " + cred.source
			} else {
				msg += "; no token was sent"
			}
		}
	case parent.Err() != nil:
		msg = v.op + ": interrupted"
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		msg = fmt.Sprintf("%s: no answer within %v (--timeout)", v.op, timeout)
	case errors.As(err, &ue):
		msg = fmt.Sprintf("%s %s: %v", strings.ToUpper(ue.Op), secret.StripURL(ue.URL), secret.New(cred.token).Error(ue.Err))
	default:
		msg = strings.TrimPrefix(err.Error(), "api: ")
		if !strings.Contains(msg, v.op) {
			msg = v.op + ": " + msg
		}
	}
	if apiErr == nil && attempts > 1 {
		msg += fmt.Sprintf(" (after %d attempts)", attempts)
	}
	return &callFailure{msg: msg, err: err}
}

// callFailure is a failed API call, described for the user.
type callFailure struct {
	msg string
	err error
}

func (e *callFailure) Error() string { return e.msg }
func (e *callFailure) Unwrap() error { return e.err }

// attemptTracer counts the attempts of a request and, with a logger, logs
// each one: method, URL without its query, attempt, the authorization
// scheme with the credential masked, status and time to the response
// headers.
type attemptTracer struct {
	next api.HttpRequestDoer
	log  *slog.Logger
	n    atomic.Int32
}

func (t *attemptTracer) Do(req *http.Request) (*http.Response, error) {
	n := t.n.Add(1)
	if t.log == nil {
		return t.next.Do(req)
	}
	start := time.Now()
	resp, err := t.next.Do(req)
	set := secret.ForRequest(req)
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("url", set.Text(req.URL.String())),
		slog.Int("attempt", int(n)),
		slog.String("authorization", maskAuthorization(set, req.Header.Get("Authorization"))),
		slog.Duration("duration", time.Since(start).Round(time.Microsecond)),
	}
	if err != nil {
		shown := set.Error(err)
		var ue *url.Error
		if errors.As(shown, &ue) {
			shown = ue.Err // the URL is logged apart
		}
		attrs = append(attrs, slog.String("error", shown.Error()))
		t.log.LogAttrs(req.Context(), slog.LevelDebug, "http attempt failed", attrs...)
		return resp, err
	}
	attrs = append(attrs, slog.Int("status", resp.StatusCode), slog.Int64("content_length", resp.ContentLength))
	t.log.LogAttrs(req.Context(), slog.LevelDebug, "http attempt", attrs...)
	return resp, nil
}

// maskAuthorization shows the scheme of an Authorization value and the
// rest with the request's secrets masked: "aivenv1 ****".
func maskAuthorization(set *secret.Set, v string) string {
	if v == "" {
		return "none"
	}
	scheme, cred, _ := strings.Cut(v, " ")
	return scheme + " " + set.Mask(cred)
}

// reportDrift prints each way a response differs from openapi.yaml
// (--validate), one line each, on stderr.
func (c *cli) reportDrift(_ context.Context, ms []validate.Mismatch) {
	for _, m := range ms {
		fmt.Fprintf(c.stderr, "aivenctl: drift: %s\n", escapeText(m.String()))
	}
}
