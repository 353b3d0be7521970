//go:build unix

package main

import (
	"context"
	"errors"
	"os"
	"syscall"
	"time"
)

// readStream reads f, a pipe, FIFO or terminal opened non-blocking, until
// its writer closes it or ctx ends, and at most maxTokenFile+1 bytes. A
// FIFO that no writer has opened yet reads as empty at once: with fifo,
// readStream waits for a writer instead, so that a token written just
// after aivenctl starts is not missed; the end of that writer's output
// ends the read (that of an empty one only if it came after the wait
// began: one that left before may be waited for until ctx ends).
func readStream(ctx context.Context, f *os.File, fifo bool) ([]byte, error) {
	if err := f.SetReadDeadline(time.Time{}); err != nil {
		return nil, errors.New("cannot be read with a deadline: not a regular file, pipe or terminal")
	}
	stop := context.AfterFunc(ctx, func() { _ = f.SetReadDeadline(time.Now()) })
	defer stop()
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	var data []byte
	var rerr error
	buf := make([]byte, 4096)
	waited := !fifo
	err = rc.Read(func(fd uintptr) bool {
		for len(data) <= maxTokenFile {
			n, err := syscall.Read(int(fd), buf)
			switch {
			case err == syscall.EINTR:
				continue
			case err == syscall.EAGAIN:
				return false // a writer, no data yet: wait for some
			case err != nil:
				rerr = err
				return true
			case n == 0 && len(data) == 0 && !waited:
				waited = true
				return false // no writer yet: wait for one
			case n == 0:
				return true
			}
			data = append(data, buf[:n]...)
		}
		return true
	})
	return data, errors.Join(err, rerr)
}
