package aivenapi_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBreakingGate runs CI's breaking-change gate (.ci/breaking-check) on
// small descriptions of its own: a compatible change passes, a breaking one
// fails until CHANGELOG-style acknowledgement names it.
func TestBreakingGate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs oasdiff through go tool")
	}
	tests := []struct {
		name, new, ack string
		fail           bool
		out            string
	}{
		{"compatible change", "compatible.yaml", "noack.md", false, "No breaking changes"},
		{"breaking change", "breaking.yaml", "noack.md", true, "removed the required property `user/intercom`"},
		{"acknowledged breaking change", "breaking.yaml", "ack.md", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command("./.ci/breaking-check")
			cmd.Env = append(cmd.Environ(),
				"SPEC_OLD=testdata/breaking/old.yaml",
				"SPEC_NEW=testdata/breaking/"+tt.new,
				"SPEC_ACK=testdata/breaking/"+tt.ack)
			out, err := cmd.CombinedOutput()
			if failed := err != nil; failed != tt.fail {
				t.Fatalf("failed = %v (%v), want %v; output:\n%s", failed, err, tt.fail, out)
			}
			if !strings.Contains(string(out), tt.out) {
				t.Errorf("output does not contain %q:\n%s", tt.out, out)
			}
			if tt.fail && !strings.Contains(string(out), "acknowledge each change") {
				t.Errorf("a failure does not say how to acknowledge the change:\n%s", out)
			}
		})
	}
}
