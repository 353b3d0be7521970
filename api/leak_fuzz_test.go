package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/internal/secret"
	"github.com/aivenapi/aivenapi/internal/secret/leaktest"
)

// fuzzSecret makes a credential of the fuzzer's bytes that every editor
// takes: printable ASCII, no space at either end, 16 bytes or more.
func fuzzSecret(raw []byte) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/=&<>\"'%;:@!$ "
	var b strings.Builder
	b.WriteString("sk-")
	for _, c := range raw {
		b.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	b.WriteString("-Q7z0")
	s := b.String()
	for len(s) < 16 {
		s += "x9"
	}
	return strings.ReplaceAll(s, "  ", " x")
}

// FuzzLeak has a hostile server echo the request's credential, attached by
// an editor the fuzzer picks, in an encoding and a place the fuzzer picks
// (an error or success body of any content type, a header, a Location),
// amid text the fuzzer writes, and checks that no output of the error
// shows it.
func FuzzLeak(f *testing.F) {
	f.Add([]byte("tok3n-leak"), uint8(0), uint8(0), uint16(401), "application/json", uint16(0), `{"message": "bad `, `"}`)
	f.Add([]byte("another-secret"), uint8(3), uint8(1), uint16(502), "text/html", uint16(0), "<html><title>", "</title></html>")
	f.Add([]byte("abc&def<ghi>"), uint8(6), uint8(2), uint16(302), "", uint16(0), "http://[::1/?t=", "")
	f.Add([]byte("zzzzzzzzzzzz"), uint8(16), uint8(3), uint16(503), "text/plain", uint16(32760), "", "")
	f.Add([]byte("problem-key"), uint8(12), uint8(0), uint16(400), "application/problem+json", uint16(0), `{"title": "x", "detail": "`, `"}`)
	f.Add([]byte("cut-me-here"), uint8(20), uint8(0), uint16(200), "text/html", uint16(2040), "<p>", "")
	// Echoes that once leaked: PHP's JSON (\/), hex, JavaScript's \x,
	// base64 of a JSON document and of base64, a body cut inside them.
	f.Add([]byte("aCbCcCd"), uint8(23), uint8(0), uint16(401), "application/json", uint16(0), `{"message": "bad `, `"}`)
	f.Add([]byte("hex-me-please"), uint8(198), uint8(1), uint16(500), "text/plain", uint16(0), "key=", "")
	f.Add([]byte("js-escape"), uint8(27), uint8(0), uint16(502), "text/html", uint16(0), "<script>var k='", "'</script>")
	f.Add([]byte("exchange-b64"), uint8(235), uint8(0), uint16(403), "text/plain", uint16(0), "session ", ".")
	f.Add([]byte("b64-of-b64"), uint8(67), uint8(0), uint16(503), "text/plain", uint16(32740), "", "")
	f.Fuzz(func(t *testing.T, raw []byte, encoding, place uint8, status uint16, contentType string, pad uint16, before, after string) {
		tok := fuzzSecret(raw)
		for _, s := range []string{before, after, contentType} {
			for i := 0; i+6 <= len(tok); i++ {
				if strings.Contains(s, tok[i:i+6]) {
					t.Skip("the surrounding text holds part of the secret")
				}
			}
		}
		if status < 200 || status > 599 || strings.ContainsAny(contentType, "\r\n\x00") {
			status = 500
			contentType = "text/plain"
		}
		fuzzServer := newLeakServer(t)
		fuzzClient := secret.NewHTTPClient(nil)
		defer fuzzClient.CloseIdleConnections()
		ed := leakEditors[int(encoding/32)%len(leakEditors)]
		edit, secrets := ed.make(t, fuzzServer, tok)
		e := leaktest.Echoes[int(encoding)%len(leaktest.Echoes)].Form(secrets[len(secrets)-1])
		const id = "1"
		fuzzServer.cases.Store(id, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			body := strings.Repeat("y", 2*int(pad)) + before + e + after
			switch place % 4 {
			case 1: // a header nobody should print, and the body
				w.Header().Set("X-Echo", strings.Map(func(r rune) rune {
					if r < ' ' || r == 0x7f {
						return '?'
					}
					return r
				}, e))
			case 2: // a Location
				w.Header()["Location"] = []string{strings.Map(func(r rune) rune {
					if r < ' ' || r == 0x7f {
						return '?'
					}
					return r
				}, before+e+after)}
				status = 302
				body = ""
			case 3: // a redirect within the origin, then the body
				if !strings.HasSuffix(r.URL.Path, "/again") {
					http.Redirect(w, r, r.URL.Path+"/again?e="+e, http.StatusTemporaryRedirect)
					return
				}
			}
			w.WriteHeader(int(status))
			_, _ = fmt.Fprint(w, body)
		}))
		c, err := api.New(api.WithBaseURL(fuzzServer.URL+"/"+id), api.WithRequestEditorFn(edit), api.WithHTTPClient(fuzzClient),
			api.WithTimeout(5*time.Second), api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 1}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.UserInfoWithResponse(t.Context())
		if err == nil {
			return // a well-formed answer: nothing printed
		}
		for _, out := range outputs(err) {
			for _, s := range secrets {
				if leaktest.Exposed(out, s) {
					t.Fatalf("output shows the secret %q:\n%s", s, out)
				}
			}
		}
	})
}
