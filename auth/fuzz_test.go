package auth_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aivenapi/aivenapi/auth"
)

// jwtErrors is every message the JWT reader may give: fixed texts, so
// that none can repeat a part of the token.
var jwtErrors = map[string]bool{
	"want three dot-separated parts": true,
	"header is empty":                true, "payload is empty": true,
	"header is not base64url": true, "payload is not base64url": true,
	"header is not a JSON object": true, "payload is not a JSON object": true,
	"exp claim is not a number": true, "exp claim is out of range": true,
}

// maxExp mirrors the reader's upper bound: the end of the year 9999.
const maxExp = 253402300799

func FuzzParseJWT(f *testing.F) {
	f.Add(makeJWT(map[string]any{"exp": 1741944413}, 1), int64(1741944413), "IBMid-1")
	f.Add("eyJhbGciOiJub25lIn0.eyJleHAiOm51bGx9.", int64(0), "")
	f.Add("a.b.c", int64(-1), "ü")
	f.Add("..", int64(maxExp+1), `"}`)
	f.Add("e30.e30.e30.e30", int64(1<<62), "x")
	f.Add("eyJhbGciOiJub25lIn0=.eyJleHAiOjEuNWUxMH0=.sig", int64(15000000000), "")
	f.Fuzz(func(t *testing.T, raw string, exp int64, sub string) {
		// Whatever the input: no panic, a fixed message, a sane time.
		got, hasExp, err := auth.JWTExpiry(raw)
		switch {
		case err != nil && !jwtErrors[err.Error()]:
			t.Fatalf("JWTExpiry(%q): unexpected message %q", raw, err)
		case err != nil && (hasExp || !got.IsZero()):
			t.Fatalf("JWTExpiry(%q): error with a result", raw)
		case err == nil && hasExp && (got.Unix() < 0 || got.Unix() > maxExp):
			t.Fatalf("JWTExpiry(%q) = %v, out of range", raw, got)
		case err == nil && !hasExp && !got.IsZero():
			t.Fatalf("JWTExpiry(%q): no exp but a time", raw)
		}

		// Round trip: the exp put in is the exp read back.
		tok := makeJWT(map[string]any{"exp": exp, "sub": sub}, 7)
		got, hasExp, err = auth.JWTExpiry(tok)
		if exp < 0 || exp > maxExp {
			if err == nil || err.Error() != "exp claim is out of range" {
				t.Fatalf("exp %d: err = %v, want out of range", exp, err)
			}
		} else if err != nil || !hasExp || !got.Equal(time.Unix(exp, 0)) {
			t.Fatalf("exp %d: got %v, %t, %v", exp, got, hasExp, err)
		}
		// Padding is tolerated; a fraction of a second is kept.
		if exp >= 0 && exp < maxExp {
			parts := strings.Split(makeJWT(map[string]any{"exp": float64(exp%(1<<32)) + 0.5, "sub": sub}, 7), ".")
			padded := parts[0] + "==." + parts[1] + "." + parts[2]
			got, hasExp, err := auth.JWTExpiry(padded)
			if want := time.Unix(exp%(1<<32), 5e8); err != nil || !hasExp || !got.Equal(want) {
				t.Fatalf("exp %d.5 padded: got %v, %t, %v; want %v", exp%(1<<32), got, hasExp, err, want)
			}
		}
		// No exp claim: no time, no error.
		if got, hasExp, err := auth.JWTExpiry(makeJWT(map[string]any{"sub": sub}, 7)); err != nil || hasExp || !got.IsZero() {
			t.Fatalf("no exp: got %v, %t, %v", got, hasExp, err)
		}
	})
}

func FuzzTokenResponse(f *testing.F) {
	good := func(claims map[string]any) []byte {
		b, _ := json.Marshal(map[string]any{"access_token": makeJWT(claims, 1), "user_id": testUser})
		return b
	}
	f.Add(200, "application/json", good(map[string]any{"exp": t0.Add(time.Hour).Unix()}), testKey)
	f.Add(200, "application/json", good(map[string]any{"exp": t0.Add(-time.Hour).Unix()}), testKey)
	f.Add(200, "application/json", good(map[string]any{}), testKey)
	f.Add(200, "text/html", []byte("<html><title>Login</title></html>"), testKey)
	f.Add(200, "application/json", []byte(`{"access_token":"SECRET-TOKEN-abc-1","user_id":7}`), testKey)
	f.Add(200, "application/json", []byte(`{"access_token": "SECRET-TOKEN-abc`), testKey)
	f.Add(401, "application/json", []byte(`{"message":"Invalid API key SECRET-API-KEY-123"}`), testKey)
	f.Add(502, "text/html", []byte("<html><body>"+strings.Repeat("x", 150)+"SECRET-API-KEY-123</body></html>"), testKey)
	f.Add(500, "text/plain", []byte("key=SECRET-API-KEY-123"), "SECRET-API-KEY-123")
	f.Add(302, "", []byte(""), "k")
	f.Add(503, "text/html", []byte("\xff\xfe<title>Down</title>"), testKey)
	f.Add(503, "text/html", []byte("İİ<TITLE>x</TITLE>"), testKey)
	f.Add(503, "text/plain", []byte("x"), "ken exchange: HTTP 5") // masked across the message's prefix
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte, key string) {
		ex, err := auth.NewExchange(auth.ExchangeConfig{TokenURL: "https://dbaas.example.com:20000/api/v3/auth/token", APIKey: key})
		if err != nil {
			return // not a usable key
		}
		h := http.Header{"Content-Type": {contentType}}
		tok, err := auth.DecodeTokenResponse(ex, status, h, body, t0)
		if err == nil {
			if status < 200 || status > 299 || tok.AccessToken == "" || !tok.Expiry.After(t0) {
				t.Fatalf("status %d: accepted %v", status, tok)
			}
			return
		}
		msg := err.Error()
		secrets := []string{key}
		var m map[string]any
		if json.Unmarshal(body, &m) == nil {
			if s, ok := m["access_token"].(string); ok && status >= 200 && status <= 299 {
				secrets = append(secrets, s)
			}
		}
		const prefix = "auth: token exchange: "
		inPrefix := false
		for _, s := range secrets {
			if len(s) >= 8 && strings.Contains(msg, s) {
				t.Fatalf("error repeats a secret %q: %s", s, msg)
			}
			inPrefix = inPrefix || overlaps(prefix, s)
		}
		if !inPrefix && !strings.HasPrefix(msg, prefix) {
			t.Fatalf("error %q does not start with %q", msg, prefix)
		}
	})
}

// overlaps reports whether a secret masked in a message that starts with
// prefix may have covered part of prefix: s lies inside prefix, or starts
// inside it and runs on past its end.
func overlaps(prefix, s string) bool {
	if s == "" {
		return false
	}
	if strings.Contains(prefix, s) {
		return true
	}
	for k := min(len(s)-1, len(prefix)); k >= 1; k-- {
		if strings.HasSuffix(prefix, s[:k]) {
			return true
		}
	}
	return false
}
