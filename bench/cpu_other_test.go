//go:build !linux

package bench

// cpuTime is only measured on Linux; elsewhere the metric is 0.
func cpuTime() int64 { return 0 }
