package apitest_test

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any of them leaves a goroutine
// behind (a latency fault still waiting, a connection not closed), and
// with -v tells how many errors were checked for the token.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) {
		if testing.Verbose() {
			fmt.Printf("apitest: %d errors checked for the token\n", errorsChecked.Load())
		}
		os.Exit(code)
	}))
}
