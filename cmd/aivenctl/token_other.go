//go:build !unix

package main

import (
	"context"
	"errors"
	"os"
)

// readStream refuses what is not a regular file: reading it within a
// deadline is only done on Unix.
func readStream(context.Context, *os.File, bool) ([]byte, error) {
	return nil, errors.New("is not a regular file; write the token to a file")
}
