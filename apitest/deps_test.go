package apitest_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLibraryDependencies: apitest, which users link into their test
// binaries, and validate link no kin-openapi, no JSON Schema library and
// no router: internal/respcheck routes and checks for both, and
// kin-openapi stays in the tests as the oracle it is held to.
func TestLibraryDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	for _, pkg := range []string{".", "../validate", "../cmd/aivenfake"} {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, banned := range []string{"kin-openapi", "jsonschema", "gorilla/mux", "/internal/oas", "go-openapi", "oasdiff"} {
				if strings.Contains(dep, banned) {
					t.Errorf("%s links %s", pkg, dep)
				}
			}
		}
	}
}
