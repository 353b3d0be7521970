package api_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any of them leaves a goroutine
// behind: a response body not closed, a retry timer not stopped.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
