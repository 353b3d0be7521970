package jsonread

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

// testReadList reads data, an array of any values followed by anything,
// with ReadList into a []T, and returns the slice.
func testReadList[T any](t *testing.T, data string) []T {
	t.Helper()
	var r Reader
	r.Reset([]byte(data))
	var s []T
	ReadList(&r, &s, func(r *Reader, _ *T) { r.Skip() })
	if err := r.Err(); err != nil {
		t.Fatalf("ReadList: %v", err)
	}
	return s
}

// checkListCap holds ReadList to its promises for one element type, on
// lists of elements of one size (which end not far above their length, whatever the size of T against that of the JSON of an element)
// and on a few short elements followed by a long value (which reserve
// beyond their length at most the size of the input or what doubling would
// leave unused).
func checkListCap[T any](t *testing.T) {
	size := int(unsafe.Sizeof(*new(T)))
	t.Run(fmt.Sprintf("%d-byte elements", size), func(t *testing.T) {
		t.Parallel()
		for _, elem := range []string{`0`, `{"a": 1}`, `{"name": "` + strings.Repeat("n", 500) + `"}`} {
			for _, n := range []int{0, 1, 7, 8, 9, 17, 100, 1000, 4321} {
				data := "[" + strings.TrimSuffix(strings.Repeat(elem+", ", n), ", ") + "]"
				s := testReadList[T](t, data)
				// A sixteenth more, and the guess counts a separator less
				// per element than there is; below 8, append chooses.
				if limit := max(n+n/8, 8); len(s) != n || cap(s) > limit {
					t.Errorf("%d elements of %d bytes: len %d, cap %d; want cap at most %d",
						n, len(elem), len(s), cap(s), limit)
				}
			}
		}
		for _, n := range []int{8, 9, 40, 300} {
			data := "[" + strings.Repeat("{}, ", n-1) + "{}]" + strings.Repeat(" ", 1<<20)
			s := testReadList[T](t, data)
			unused := (cap(s) - len(s)) * size
			if len(s) != n || unused > max(len(data), len(s)*size)+size {
				t.Errorf("%d empty objects before 1 MiB of space: len %d, cap %d: %d bytes reserved and unused for a %d-byte input",
					n, len(s), cap(s), unused, len(data))
			}
		}
	})
}

// TestReadListCapacity: a list grows to its length in a few steps and not
// far past it, for elements small and large in memory.
func TestReadListCapacity(t *testing.T) {
	t.Parallel()
	checkListCap[byte](t)
	checkListCap[[64]byte](t)
	checkListCap[[1000]byte](t)
	checkListCap[[4096]byte](t)
}
