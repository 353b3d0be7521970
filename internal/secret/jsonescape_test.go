package secret_test

import (
	"strings"
	"testing"

	"github.com/aivenapi/aivenapi/internal/secret"
)

// TestMaskJSONEscapes: a secret echoed inside a JSON string with its
// characters escaped (\/ as encoding/json may, \t, \n) is masked, and
// every short escape decodes to its own character: each used to decode to
// the next one in the list, and \t ran off its end (a panic on any text
// holding \t once a secret was set).
func TestMaskJSONEscapes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ secret, echoed string }{
		{"abc/def-0123", `{"message": "token abc\/def-0123 refused"}`},
		{"abc\tdef-0123", `{"message": "token abc\tdef-0123 refused"}`},
		{"abc\ndef-0123", `{"message": "token abc\ndef-0123 refused"}`},
		{"abc\bdef-0123", `{"message": "token abc\bdef-0123 refused"}`},
		{`abc"def-0123`, `{"message": "token abc\"def-0123 refused"}`},
		{`abc\def-0123`, `{"message": "token abc\\def-0123 refused"}`},
	} {
		got := secret.New(tt.secret).Mask(tt.echoed)
		if strings.Contains(got, "def-0123") || !strings.Contains(got, secret.Redacted) {
			t.Errorf("Mask(%q) with secret %q = %q, want it masked", tt.echoed, tt.secret, got)
		}
	}
	if got := secret.New("unrelated-secret").Mask(`"a\tb"`); got != `"a\tb"` {
		t.Errorf("Mask of a text without the secret = %q", got)
	}
}
