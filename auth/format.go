package auth

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/aivenapi/aivenapi/internal/secret"
)

// The types that hold secrets format themselves: fmt prints unexported
// fields and %#v bypasses String, so each one implements fmt.Formatter
// (which takes every verb), String, GoString and slog.LogValuer. Token,
// whose fields are exported, also writes its own JSON, which is what
// slog's JSON handler and encoding/json would otherwise print.

// hide returns how a secret is shown: "" stays "", so that a missing
// secret is told from a present one, anything else is "****".
func hide(s string) string {
	if s == "" {
		return ""
	}
	return secret.Redacted
}

// writeSafe writes one of the two safe forms of a value for verb: s for
// %v, %+v, %s and %q, goSyntax for %#v, and s inside %!verb(...) for any
// other verb, whose usual output (such as the hex of %x) would show the
// secret.
func writeSafe(f fmt.State, verb rune, s, goSyntax string) {
	switch verb {
	case 'v':
		if f.Flag('#') {
			_, _ = io.WriteString(f, goSyntax)
			return
		}
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, 's'), s)
	case 's', 'q':
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), s)
	default:
		_, _ = fmt.Fprintf(f, "%%!%c(%s)", verb, s)
	}
}

// String returns the token with its AccessToken shown as "****".
func (t Token) String() string {
	return fmt.Sprintf("auth.Token{AccessToken: %q, UserID: %q, Expiry: %s}",
		hide(t.AccessToken), t.UserID, t.Expiry.UTC().Format(time.RFC3339))
}

// GoString returns the token in Go syntax with its AccessToken shown as
// "****"; it is what %#v prints.
func (t Token) GoString() string {
	return fmt.Sprintf("auth.Token{AccessToken:%q, UserID:%q, Expiry:%#v}", hide(t.AccessToken), t.UserID, t.Expiry)
}

// Format implements fmt.Formatter so that no verb prints the AccessToken.
func (t Token) Format(f fmt.State, verb rune) { writeSafe(f, verb, t.String(), t.GoString()) }

// LogValue implements slog.LogValuer: a group of access_token ("****"),
// user_id and expiry.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_token", hide(t.AccessToken)),
		slog.String("user_id", t.UserID),
		slog.Time("expiry", t.Expiry),
	)
}

// MarshalJSON writes the token with its access_token shown as "****", so
// that a token logged or dumped as JSON shows no secret. To store a
// token, write its fields yourself.
func (t Token) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		AccessToken string    `json:"access_token"`
		UserID      string    `json:"user_id"`
		Expiry      time.Time `json:"expiry"`
	}{hide(t.AccessToken), t.UserID, t.Expiry})
}

// String returns the config with its APIKey shown as "****" and its
// TokenURL without query or user information.
func (c ExchangeConfig) String() string {
	return fmt.Sprintf("auth.ExchangeConfig{TokenURL: %q, APIKey: %q, Header: %q, HTTPClient: %s, AllowPlainHTTP: %t, RefreshMargin: %v, DefaultLifetime: %v, RetryForbidden: %t}",
		c.tokenURL(), hide(c.APIKey), c.Header, clientString(c.HTTPClient), c.AllowPlainHTTP, c.RefreshMargin, c.DefaultLifetime, c.RetryForbidden)
}

// GoString returns the config in Go syntax with its APIKey shown as
// "****" and its TokenURL without query or user information.
func (c ExchangeConfig) GoString() string {
	return fmt.Sprintf("auth.ExchangeConfig{TokenURL:%q, APIKey:%q, Header:%q, HTTPClient:%#v, AllowPlainHTTP:%t, RefreshMargin:%d, DefaultLifetime:%d, RetryForbidden:%t}",
		c.tokenURL(), hide(c.APIKey), c.Header, c.HTTPClient, c.AllowPlainHTTP, c.RefreshMargin, c.DefaultLifetime, c.RetryForbidden)
}

// Format implements fmt.Formatter so that no verb prints the APIKey.
func (c ExchangeConfig) Format(f fmt.State, verb rune) { writeSafe(f, verb, c.String(), c.GoString()) }

// LogValue implements slog.LogValuer; the API key shows as "****".
func (c ExchangeConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("token_url", c.tokenURL()),
		slog.String("api_key", hide(c.APIKey)),
		slog.String("header", c.Header),
		slog.Bool("http_client", c.HTTPClient != nil),
		slog.Bool("allow_plain_http", c.AllowPlainHTTP),
		slog.Duration("refresh_margin", c.RefreshMargin),
		slog.Duration("default_lifetime", c.DefaultLifetime),
		slog.Bool("retry_forbidden", c.RetryForbidden),
	)
}

// MarshalJSON writes the config with its APIKey shown as "****" and its
// TokenURL without query or user information, so that a config logged or
// dumped as JSON shows no secret.
func (c ExchangeConfig) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		TokenURL        string        `json:"token_url"`
		APIKey          string        `json:"api_key"`
		Header          string        `json:"header"`
		HTTPClient      bool          `json:"http_client"`
		AllowPlainHTTP  bool          `json:"allow_plain_http"`
		RefreshMargin   time.Duration `json:"refresh_margin"`
		DefaultLifetime time.Duration `json:"default_lifetime"`
		RetryForbidden  bool          `json:"retry_forbidden"`
	}{c.tokenURL(), hide(c.APIKey), c.Header, c.HTTPClient != nil, c.AllowPlainHTTP, c.RefreshMargin, c.DefaultLifetime, c.RetryForbidden})
}

// tokenURL is TokenURL as it may be shown: stripped, the API key masked.
func (c ExchangeConfig) tokenURL() string {
	return secret.New(c.APIKey).Mask(secret.StripURL(c.TokenURL))
}

func clientString(c *http.Client) string {
	if c == nil {
		return "<nil>"
	}
	return fmt.Sprintf("(*http.Client)(%p)", c)
}

// current returns the cached token, or the zero Token.
func (e *Exchange) current() Token {
	if c := e.cur.Load(); c != nil {
		return c.tok
	}
	return Token{}
}

// String describes the exchange: token URL (without query), header, and
// the current token with its AccessToken shown as "****".
func (e *Exchange) String() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("auth.Exchange{TokenURL: %q, Header: %q, Token: %v}", e.tokenURL, e.key, e.current())
}

// GoString is String in Go syntax; it is what %#v prints.
func (e *Exchange) GoString() string {
	if e == nil {
		return "(*auth.Exchange)(nil)"
	}
	return fmt.Sprintf("&auth.Exchange{TokenURL:%q, Header:%q, Token:%#v}", e.tokenURL, e.key, e.current())
}

// Format implements fmt.Formatter so that no verb prints the API key or
// the token.
func (e *Exchange) Format(f fmt.State, verb rune) { writeSafe(f, verb, e.String(), e.GoString()) }

// LogValue implements slog.LogValuer: token_url, header and the current
// token, with no secret.
func (e *Exchange) LogValue() slog.Value {
	if e == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(
		slog.String("token_url", e.tokenURL),
		slog.String("header", e.key),
		slog.Any("token", e.current()),
	)
}

// The Doer and RoundTripper of an Exchange show the exchange's safe form
// rather than their fields.

func (d *retryDoer) String() string { return "auth.Doer(" + d.e.String() + ")" }

func (d *retryDoer) Format(f fmt.State, verb rune) { writeSafe(f, verb, d.String(), d.String()) }

func (t *retryTransport) String() string { return "auth.Transport(" + t.e.String() + ")" }

func (t *retryTransport) Format(f fmt.State, verb rune) { writeSafe(f, verb, t.String(), t.String()) }
