package bench

import (
	"syscall"
	"unsafe"
)

// cpuTime returns the CPU time the process has used, in nanoseconds
// (clock_gettime CLOCK_PROCESS_CPUTIME_ID): on a machine shared with
// other work, unlike the wall clock, it does not count the time spent
// waiting for a core.
func cpuTime() int64 {
	const clockProcessCPUTime = 2
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockProcessCPUTime, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0
	}
	return ts.Nano()
}
