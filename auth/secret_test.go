package auth_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aivenapi/aivenapi/auth"
	"github.com/aivenapi/aivenapi/internal/secret/leaktest"
)

// TestValuesHoldingSecretsPrintNone prints ExchangeConfig and Token alone
// and nested in other values (struct fields, pointers, slices, maps) in
// every fmt verb, slog handler and JSON.
func TestValuesHoldingSecretsPrintNone(t *testing.T) {
	t.Parallel()
	key, access := leaktest.Tokens[0], makeJWT(map[string]any{"exp": 1 << 31}, 7)
	cfg := auth.ExchangeConfig{TokenURL: "https://h/t/" + key + "?sig=" + urlSecret, APIKey: key, Header: "Authorization"}
	tok := auth.Token{AccessToken: access, UserID: "u1", Expiry: time.Unix(1<<31, 0)}
	type holder struct {
		Config  auth.ExchangeConfig
		Token   auth.Token
		PConfig *auth.ExchangeConfig
		PToken  *auth.Token
		Tokens  []auth.Token
		ByName  map[string]auth.ExchangeConfig
		Any     any
	}
	h := holder{cfg, tok, &cfg, &tok, []auth.Token{tok}, map[string]auth.ExchangeConfig{"ibm": cfg}, tok}
	for name, v := range map[string]any{"config": cfg, "token": tok, "holder": h, "pointer to holder": &h, "slice": []any{cfg, tok}} {
		outs := formsOf(v)
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: json: %v", name, err)
		}
		outs = append(outs, string(b))
		for _, out := range outs {
			for _, s := range []string{key, access, urlSecret} {
				if leaktest.Exposed(out, s) {
					t.Errorf("%s prints a secret: %s", name, out)
				}
			}
		}
	}
	var back map[string]any
	b, _ := json.Marshal(cfg)
	if err := json.Unmarshal(b, &back); err != nil || back["api_key"] != "****" || back["header"] != "Authorization" {
		t.Errorf("ExchangeConfig JSON = %s", b)
	}
}

// TestExchangeErrorsMaskEveryEcho has the token endpoint echo the API key
// in every form, in a refusal's body and in a redirect's Location.
func TestExchangeErrorsMaskEveryEcho(t *testing.T) {
	t.Parallel()
	for ki, key := range leaktest.Tokens {
		for _, echo := range leaktest.Echoes {
			e := echo.Form(key)
			replies := map[string]http.HandlerFunc{
				"401 JSON": func(w http.ResponseWriter, _ *http.Request) {
					b, _ := json.Marshal(map[string]string{"errorMessage": "key " + e + " not found"})
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusUnauthorized)
					_, _ = w.Write(b)
				},
				"503 HTML": func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(http.StatusServiceUnavailable)
					fmt.Fprintf(w, "<html><title>%s</title><body>key %s</body></html>", e, e)
				},
				"302 key in path": func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Location", "https://elsewhere.example.com/auth/"+url.PathEscape(e)+"/token?k="+url.QueryEscape(e))
					w.WriteHeader(http.StatusFound)
				},
				"200 token echo": func(w http.ResponseWriter, _ *http.Request) {
					b, _ := json.Marshal(map[string]string{"access_token": "not a jwt " + e})
					w.Header().Set("Content-Type", "application/json")
					_, _ = w.Write(b)
				},
			}
			for name, reply := range replies {
				t.Run(fmt.Sprintf("key %d/%s/%s", ki, echo.Name, name), func(t *testing.T) {
					t.Parallel()
					ts := httptest.NewServer(reply)
					defer ts.Close()
					ex, err := auth.NewExchange(auth.ExchangeConfig{TokenURL: ts.URL + "/token", APIKey: key})
					if err != nil {
						t.Fatal(err)
					}
					_, err = ex.Token(t.Context())
					if err == nil {
						t.Fatal("no error")
					}
					for _, out := range formsOf(err) {
						if leaktest.Exposed(out, key) || strings.Contains(out, "?k=") {
							t.Errorf("error shows the API key: %s", out)
						}
					}
				})
			}
		}
	}
}
