package leaktest

import (
	"strings"
	"testing"
)

// TestExposedSeesEveryEcho checks the checker: every echo of every token,
// alone or amid text, is found, and text without the token is not.
func TestExposedSeesEveryEcho(t *testing.T) {
	t.Parallel()
	for _, tok := range Tokens {
		for _, e := range Echoes {
			for _, in := range []string{e.Form(tok), "invalid token " + e.Form(tok) + ", try again", "<p>x" + e.Form(tok) + "y</p>"} {
				if !Exposed(in, tok) {
					t.Errorf("echo %s of %q not found in %q", e.Name, tok, in)
				}
			}
		}
		if Exposed("invalid token ****, "+strings.Repeat("try again ", 10), tok) {
			t.Errorf("%q found where it is not", tok)
		}
	}
}
