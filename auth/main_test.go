package auth_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any of them leaves a goroutine
// behind: a token fetch that never ends, a response body not closed.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
