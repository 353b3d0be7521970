package auth_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aivenapi/aivenapi/auth"
)

type editor = func(context.Context, *http.Request) error

const staticToken = "SECRET-TOKEN-abc-static"

func TestStaticEditorsSetExactlyOneCredential(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		edit      editor
		header    string // header expected to carry the credential, or ""
		want      string // its value, or the query parameter's
		wantQuery string // the query parameter name, or ""
	}{
		{"Aiven", auth.Aiven(staticToken), "Authorization", "aivenv1 " + staticToken, ""},
		{"Bearer", auth.Bearer(staticToken), "Authorization", "Bearer " + staticToken, ""},
		{"APIToken", auth.APIToken(staticToken), "Authorization", "apiToken " + staticToken, ""},
		{"Scheme", auth.Scheme("Token", staticToken), "Authorization", "Token " + staticToken, ""},
		{"Header", auth.Header("x-auth-token", staticToken), "X-Auth-Token", staticToken, ""},
		{"Query", auth.Query("apiToken", staticToken), "", staticToken, "apiToken"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://api.aiven.io/v1/me?limit=5&apiToken=old", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "aivenv1 stale")
			// Twice, as a retry does: still one credential.
			for range 2 {
				if err := tc.edit(t.Context(), req); err != nil {
					t.Fatalf("edit: %v", err)
				}
			}
			if tc.header != "" {
				if got := req.Header.Values(tc.header); len(got) != 1 || got[0] != tc.want {
					t.Errorf("%s = %q, want exactly [%q]", tc.header, got, tc.want)
				}
				if got := req.URL.RawQuery; got != "limit=5&apiToken=old" {
					t.Errorf("query = %q, want it unchanged", got)
				}
				return
			}
			q := req.URL.Query()
			if got := q[tc.wantQuery]; len(got) != 1 || got[0] != tc.want {
				t.Errorf("query %s = %q, want exactly [%q]", tc.wantQuery, got, tc.want)
			}
			if got := q.Get("limit"); got != "5" {
				t.Errorf("query limit = %q, want the other parameters kept", got)
			}
			if got := req.Header.Values("Authorization"); len(got) != 1 || got[0] != "aivenv1 stale" {
				t.Errorf("Authorization = %q, want it untouched by Query", got)
			}
		})
	}
}

func TestQueryKeepsOtherParametersAndEncoding(t *testing.T) {
	t.Parallel()
	tests := []struct{ raw, want string }{
		{"", "apiToken=tok%2B1"},
		{"apiToken=tok%2B1", "apiToken=tok%2B1"},
		{"a=1&b=x%20y", "a=1&b=x%20y&apiToken=tok%2B1"},
		{"apiToken=1&a=1&apiToken=2", "a=1&apiToken=tok%2B1"},
		{"api%54oken=1&a=1", "a=1&apiToken=tok%2B1"}, // the name escaped
		{"a=1&&apiToken", "a=1&apiToken=tok%2B1"},
		{"apiTokens=1", "apiTokens=1&apiToken=tok%2B1"},
	}
	edit := auth.Query("apiToken", "tok+1")
	for _, tc := range tests {
		req, _ := http.NewRequest(http.MethodGet, "https://example.com/x", nil)
		req.URL.RawQuery = tc.raw
		if err := edit(t.Context(), req); err != nil {
			t.Fatal(err)
		}
		if req.URL.RawQuery != tc.want {
			t.Errorf("query %q: got %q, want %q", tc.raw, req.URL.RawQuery, tc.want)
		}
	}
}

func TestStaticEditorsSharedValueIsNotCorruptedByAdd(t *testing.T) {
	t.Parallel()
	edit := auth.Aiven(staticToken)
	first, _ := http.NewRequest(http.MethodGet, "https://api.aiven.io/v1/me", nil)
	second, _ := http.NewRequest(http.MethodGet, "https://api.aiven.io/v1/me", nil)
	if err := edit(t.Context(), first); err != nil {
		t.Fatal(err)
	}
	first.Header.Add("Authorization", "extra")
	if err := edit(t.Context(), second); err != nil {
		t.Fatal(err)
	}
	if got := second.Header.Values("Authorization"); len(got) != 1 {
		t.Errorf("second request Authorization = %q after Add on the first, want one value", got)
	}
}

func TestStaticEditorErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit editor
		want string
	}{
		{"Aiven empty", auth.Aiven(""), "auth: Aiven: empty token"},
		{"Aiven blank", auth.Aiven("  "), "auth: Aiven: empty token"},
		{"Bearer empty", auth.Bearer(""), "auth: Bearer: empty token"},
		{"APIToken empty", auth.APIToken(""), "auth: APIToken: empty token"},
		{"Scheme empty token", auth.Scheme("Token", ""), "auth: Scheme: empty token"},
		{"Scheme empty name", auth.Scheme("", staticToken), "auth: Scheme: invalid scheme name: empty"},
		{"Scheme name with space", auth.Scheme("a b", staticToken), "auth: Scheme: invalid scheme name: contains white space"},
		{"Scheme and token swapped", auth.Scheme(staticToken+" x", "Token"), "auth: Scheme: invalid scheme name: contains white space"},
		{"Header empty token", auth.Header("x-auth-token", ""), "auth: Header: empty token"},
		{"Header empty name", auth.Header("", staticToken), "auth: Header: invalid header name: empty"},
		{"Header name with colon", auth.Header("x:y", staticToken), `auth: Header: invalid header name: contains ':'`},
		{"Header name and token swapped", auth.Header("x-auth-token: "+staticToken, "x-auth-token"), `invalid header name: contains ':'`},
		{"Header name non-ASCII", auth.Header("x-tökén", staticToken), "invalid header name: contains a non-ASCII character"},
		{"Query empty token", auth.Query("apiToken", ""), "auth: Query: empty token"},
		{"Query empty param", auth.Query("", staticToken), "auth: Query: empty parameter name"},
		{"CRLF injection", auth.Aiven(staticToken + "\r\nX-Evil: 1"), "auth: Aiven: token contains a line break or NUL"},
		{"LF injection", auth.Header("x-auth-token", staticToken+"\nX-Evil: 1"), "line break"},
		{"NUL", auth.Bearer(staticToken + "\x00"), "line break or NUL"},
		{"trailing space", auth.Bearer(staticToken + " "), "leading or trailing space"},
		{"Aiven too short", auth.Aiven("abc"), "auth: Aiven: token shorter than 4 bytes, too short to be a credential"},
		{"Header too short", auth.Header("X-Credential", "k"), "auth: Header: token shorter than 4 bytes"},
		{"Query too short", auth.Query("token", "k="), "auth: Query: token shorter than 4 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest(http.MethodGet, "https://api.aiven.io/v1/me", nil)
			err := tc.edit(t.Context(), req)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), staticToken) {
				t.Errorf("error %q repeats the token", err)
			}
			if len(req.Header) != 0 || req.URL.RawQuery != "" {
				t.Errorf("a failing editor changed the request: header %v, query %q", req.Header, req.URL.RawQuery)
			}
		})
	}
}

func TestPlainHTTPOnlyToLoopback(t *testing.T) {
	t.Parallel()
	editors := map[string]func(...auth.Option) editor{
		"Aiven":  func(o ...auth.Option) editor { return auth.Aiven(staticToken, o...) },
		"Bearer": func(o ...auth.Option) editor { return auth.Bearer(staticToken, o...) },
		"Header": func(o ...auth.Option) editor { return auth.Header("x-auth-token", staticToken, o...) },
		"Query":  func(o ...auth.Option) editor { return auth.Query("apiToken", staticToken, o...) },
	}
	urls := []struct {
		url     string
		allowed bool
	}{
		{"http://127.0.0.1:8080/v1/me", true},
		{"http://127.0.0.2/v1/me", true},
		{"http://[::1]:8080/v1/me", true},
		{"http://localhost/v1/me", true},
		{"http://LOCALHOST./v1/me", true},
		{"http://api.localhost/v1/me", false}, // not dialled on loopback by net/http, may go through a proxy
		{"http://[::ffff:127.0.0.1]/v1/me", true},
		{"http://10.0.0.1/v1/me", false},
		{"http://example.com/v1/me", false},
		{"http://localhost.example.com/v1/me", false},
		{"http://128.0.0.1/v1/me", false},
		{"https://example.com/v1/me", true},
	}
	for name, mk := range editors {
		for _, u := range urls {
			t.Run(name+" "+u.url, func(t *testing.T) {
				t.Parallel()
				req, err := http.NewRequest(http.MethodGet, u.url, nil)
				if err != nil {
					t.Fatal(err)
				}
				err = mk()(t.Context(), req)
				if u.allowed && err != nil {
					t.Errorf("err = %v, want none", err)
				}
				if !u.allowed {
					if err == nil || !strings.Contains(err.Error(), "refusing to send a credential over plain http") {
						t.Errorf("err = %v, want a refusal of plain http", err)
					}
					if len(req.Header) != 0 || strings.Contains(req.URL.RawQuery, staticToken) {
						t.Errorf("refused request got a credential anyway")
					}
					// The explicit opt-out.
					req2, _ := http.NewRequest(http.MethodGet, u.url, nil)
					if err := mk(auth.AllowPlainHTTP())(t.Context(), req2); err != nil {
						t.Errorf("with AllowPlainHTTP: err = %v, want none", err)
					}
				}
			})
		}
	}
}

func TestOtherSchemesRefused(t *testing.T) {
	t.Parallel()
	req, _ := http.NewRequest(http.MethodGet, "ftp://example.com/x", nil)
	err := auth.Aiven(staticToken, auth.AllowPlainHTTP())(t.Context(), req)
	if err == nil || !strings.Contains(err.Error(), `URL scheme "ftp"`) {
		t.Errorf("err = %v, want a refusal of the ftp scheme", err)
	}
}

func TestIsLoopback(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]bool{
		"localhost": true, "LocalHost": true, "localhost.": true, "x.localhost": false,
		"127.0.0.1": true, "127.255.255.254": true, "::1": true, "[::1]": true, "::ffff:127.0.0.1": true,
		"": false, "10.0.0.1": false, "::": false, "0.0.0.0": false, "example.com": false,
		"localhost.com": false, "127.0.0.1.nip.io": false,
	} {
		if got := auth.IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %t, want %t", host, got, want)
		}
	}
}
