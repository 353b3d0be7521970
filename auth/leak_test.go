package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/auth"
	"github.com/aivenapi/aivenapi/internal/secret/leaktest"
)

// urlSecret is a secret carried in a token URL's query.
const urlSecret = "SECRET-URL-q9"

// TestNoSecretInAnyOutput gathers every error this package returns in the
// scenarios of its tests, and the fmt, slog and JSON forms of every auth
// value, and checks that none holds a secret.
func TestNoSecretInAnyOutput(t *testing.T) {
	t.Parallel()
	var outputs []string
	addErr := func(what string, err error) {
		if err == nil {
			t.Errorf("%s: no error, want one", what)
			return
		}
		outputs = append(outputs, what+": "+err.Error(), fmt.Sprintf("%s: %+v", what, err), fmt.Sprintf("%s: %#v", what, err))
		for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
			outputs = append(outputs, what+" (cause): "+u.Error())
		}
	}

	// Editors misconfigured or refusing a request.
	https, _ := http.NewRequest(http.MethodGet, "https://api.aiven.io/v1/me", nil)
	plain, _ := http.NewRequest(http.MethodGet, "http://example.com/v1/me?apiToken="+staticToken, nil)
	for name, edit := range map[string]editor{
		"Aiven CRLF":    auth.Aiven(staticToken + "\r\n"),
		"Bearer space":  auth.Bearer(" " + staticToken),
		"Scheme name":   auth.Scheme(staticToken+" x", staticToken),
		"Header name":   auth.Header("x:"+staticToken, staticToken),
		"Query NUL":     auth.Query("apiToken", staticToken+"\x00"),
		"APIToken LF":   auth.APIToken(staticToken + "\n"),
		"Header ok":     auth.Header("x-auth-token", staticToken),
		"Query ok":      auth.Query("apiToken", staticToken),
		"Aiven ok":      auth.Aiven(staticToken),
		"Header key LF": auth.Header("api_key", testKey+"\n"),
	} {
		req := https
		if strings.HasSuffix(name, " ok") {
			req = plain
		}
		addErr("editor "+name, edit(t.Context(), req.Clone(t.Context())))
	}

	// NewExchange refusing a config.
	for _, cfg := range []auth.ExchangeConfig{
		{TokenURL: "http://example.com/t?sig=" + urlSecret, APIKey: testKey},
		{TokenURL: "ftp://example.com/t?sig=" + urlSecret, APIKey: testKey},
		{TokenURL: "https://u:" + urlSecret + "@example.com/t", APIKey: testKey},
		{TokenURL: "https://example.com/%zz?sig=" + urlSecret, APIKey: testKey},
		{TokenURL: "https:///t?sig=" + urlSecret, APIKey: testKey},
		{TokenURL: "https://example.com/t", APIKey: testKey + "\n"},
		{TokenURL: "https://example.com/t", APIKey: testKey, Header: testKey + " x"},
	} {
		_, err := auth.NewExchange(cfg)
		addErr("NewExchange", err)
	}

	// Every token endpoint failure, through Token, Edit and the Doer.
	for _, f := range failures() {
		ts := newTokenServer(t, newClock())
		ts.set(f.reply)
		ex := newExchange(t, ts, nil)
		_, err := ex.Token(t.Context())
		addErr("Token "+f.name, err)
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://dbaas.example.com/x?sig="+urlSecret, nil)
		addErr("Edit "+f.name, ex.Edit(t.Context(), req))
		outputs = append(outputs, formsOf(ex)...)
	}

	// A token endpoint that is gone, with a secret in the URL's query.
	gone := newTokenServer(t, newClock())
	gone.Close()
	ex, err := auth.NewExchange(auth.ExchangeConfig{TokenURL: gone.URL() + "?sig=" + urlSecret, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ex.Token(t.Context())
	addErr("network", err)

	// A caller giving up.
	slow := newTokenServer(t, newClock())
	slow.set(func(w http.ResponseWriter, r *http.Request, _ int) { <-r.Context().Done() })
	ex = newExchange(t, slow, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	_, err = ex.Token(ctx)
	cancel()
	addErr("deadline", err)

	// The retry, when the exchange fails, and a working exchange.
	ts := newTokenServer(t, newClock())
	ex = newExchange(t, ts, nil)
	srv := newDBaaSServer(t, rejectFirst)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/api/v3/u/clusters?sig="+urlSecret, nil)
	if err := ex.Edit(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	outputs = append(outputs, formsOf(ex)...)
	tok, _ := ex.Token(t.Context())
	ts.set(func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, "<html><body>key %s rejected; token %s</body></html>", testKey, tok.AccessToken)
	})
	_, err = ex.Doer(srv.Client()).Do(req)
	addErr("retry", err)

	// Errors of the generated client around the exchange.
	deny := newDBaaSServer(t, func(string) int { return http.StatusUnauthorized })
	ts2 := newTokenServer(t, newClock())
	ex2 := newExchange(t, ts2, nil)
	c, _ := api.New(api.WithBaseURL(deny.URL), api.WithRequestEditorFn(ex2.Edit), api.WithHTTPClient(ex2.Doer(deny.Client())))
	_, err = c.UserInfoWithResponse(t.Context())
	addErr("api 401", err)

	// Values: tokens, configs, the exchange, and things that hold them.
	cfg := auth.ExchangeConfig{TokenURL: "https://u:" + urlSecret + "@dbaas.example.com/t?sig=" + urlSecret, APIKey: testKey, HTTPClient: http.DefaultClient}
	holder := struct {
		Tok    auth.Token
		Cfg    auth.ExchangeConfig
		Tokens []auth.Token
		Ptr    *auth.Token
	}{tok, cfg, []auth.Token{tok}, &tok}
	for _, v := range []any{tok, &tok, cfg, &cfg, ex, ex2, holder, map[string]auth.Token{"t": tok},
		ex.Doer(nil), ex.Transport(nil), auth.Aiven(staticToken)} {
		outputs = append(outputs, formsOf(v)...)
	}
	// Even a copy of an Exchange, which fmt prints field by field.
	outputs = append(outputs, formsOf(reflect.ValueOf(ex).Elem().Interface())...)
	b, err := json.Marshal(struct {
		Tok    auth.Token
		Tokens []auth.Token
		Ptr    *auth.Token
	}{tok, []auth.Token{tok}, &tok})
	if err != nil {
		t.Fatal(err)
	}
	outputs = append(outputs, string(b))

	if len(outputs) < 100 {
		t.Fatalf("only %d outputs gathered", len(outputs))
	}
	for _, out := range outputs {
		for _, sec := range []string{testKey, tokenMark, staticToken, urlSecret} {
			if strings.Contains(out, sec) {
				t.Errorf("output leaks %q:\n%s", sec, out)
			}
		}
	}
	// The checks above would notice a secret: the raw values do hold one.
	if raw := fmt.Sprint(tok.AccessToken, cfg.APIKey); !strings.Contains(raw, tokenMark) || !strings.Contains(raw, testKey) {
		t.Fatalf("test secrets are not where the test expects them")
	}
}

// formsOf returns v as fmt prints it with many verbs, and as slog's JSON
// and text handlers log it, by itself and as an error-level record.
func formsOf(v any) []string {
	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10v", "%-v", "%T"} {
		out = append(out, fmt.Sprintf(verb, v))
	}
	out = append(out, fmt.Sprint(v), fmt.Sprintln(v))
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
		l := slog.New(h)
		l.Info("value", "v", v)
		l.Error("group", slog.Group("g", slog.Any("v", v)))
		l.With("v", v).Warn("with")
	}
	return append(out, buf.String())
}

// TestExchangeEchoMatrix has the token endpoint echo the API key in every
// form, in every kind of failed answer, and checks every output of the
// exchange's error.
func TestExchangeEchoMatrix(t *testing.T) {
	t.Parallel()
	replies := map[string]func(w http.ResponseWriter, e string){
		"401 JSON": func(w http.ResponseWriter, e string) {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "bad key " + e, "error": e})
		},
		"403 text": func(w http.ResponseWriter, e string) { http.Error(w, "forbidden: "+e, http.StatusForbidden) },
		"500 HTML": func(w http.ResponseWriter, e string) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, "<html><title>Error %s</title><body><p>key: %s</p></body></html>", e, e)
		},
		"302 Location": func(w http.ResponseWriter, e string) {
			w.Header()["Location"] = []string{"https://elsewhere.example.com/" + e + "?k=" + e}
			w.WriteHeader(http.StatusFound)
		},
		"200 text": func(w http.ResponseWriter, e string) { fmt.Fprintf(w, "key %s accepted", e) },
		"200 not a JWT": func(w http.ResponseWriter, e string) {
			writeJSON(w, http.StatusOK, map[string]string{"access_token": e})
		},
		"502 cut": func(w http.ResponseWriter, e string) {
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, strings.Repeat("z", 64<<10-len(e)/2)+e)
		},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		replies[strings.TrimPrefix(r.URL.Path, "/")](w, r.Header.Get("X-Echo"))
	}))
	t.Cleanup(srv.Close)
	i := 0
	for name := range replies {
		for _, e := range leaktest.Echoes {
			key := leaktest.Tokens[i%len(leaktest.Tokens)]
			i++
			t.Run(name+"/"+e.Name, func(t *testing.T) {
				t.Parallel()
				hc := &http.Client{Transport: echoTransport{srv.Client().Transport, e.Form(key)}}
				ex, err := auth.NewExchange(auth.ExchangeConfig{TokenURL: srv.URL + "/" + name, APIKey: key, HTTPClient: hc, AllowPlainHTTP: true})
				if err != nil {
					t.Fatal(err)
				}
				_, err = ex.Token(t.Context())
				if err == nil {
					t.Fatal("no error")
				}
				outs := formsOf(err)
				for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
					outs = append(outs, formsOf(u)...)
				}
				for _, out := range outs {
					if leaktest.Exposed(out, key) {
						t.Errorf("output shows the API key %q:\n%s", key, out)
					}
				}
			})
		}
	}
}

// echoTransport tells the test server, in a header, what to echo.
type echoTransport struct {
	base http.RoundTripper
	echo string
}

func (t echoTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header["X-Echo"] = []string{t.echo}
	return t.base.RoundTrip(req)
}
