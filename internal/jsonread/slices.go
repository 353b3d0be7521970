package jsonread

import (
	"encoding/json"
	"unsafe"
)

// ReadSlice reads an array into *s as encoding/json does: null sets nil,
// [] sets an empty slice, and elements are read with elem into the ones
// already there (keeping fields the new element lacks), the slice cut to
// length.
func ReadSlice[T any](r *Reader, s *[]T, elem func(*Reader, *T)) {
	readArray(r, s, elem, false)
}

// ReadList is ReadSlice for the list a response is made of (its projects,
// its clouds), which is most of the input: once a few elements are read,
// the slice grows at once to the number of elements the rest of the input
// holds at the size seen so far, instead of doubling, which for a long
// list allocates and copies about twice the final slice. Whatever the size
// of T, a list of elements of about one size ends with a capacity little
// above its length; see listCap for what the rest of the input cannot make
// it reserve.
func ReadList[T any](r *Reader, s *[]T, elem func(*Reader, *T)) {
	readArray(r, s, elem, true)
}

func readArray[T any](r *Reader, s *[]T, elem func(*Reader, *T), estimate bool) {
	if r.Null() {
		*s = nil
		return
	}
	if !r.Array() {
		return
	}
	start := r.pos
	x := *s
	i := 0
	for first := true; r.Item(&first); i++ {
		if i >= cap(x) {
			if n := listCap[T](estimate, i, r.pos-start, len(r.data)-r.pos); n > i {
				grown := make([]T, len(x), n)
				copy(grown, x)
				x = grown
			} else if cap(x) == 0 {
				x = make([]T, 0, firstCap[T]())
			} else {
				x = append(x[:cap(x)], *new(T))[:len(x)]
			}
		}
		if i >= len(x) {
			x = x[:i+1]
		}
		elem(r, &x[i])
	}
	if i < len(x) {
		x = x[:i]
	}
	if i == 0 {
		x = []T{}
	}
	*s = x
}

// firstCap is the capacity of the first allocation of a slice: four
// elements, as encoding/json starts with, where append would start with
// one and reallocate at two and at three (most arrays in Aiven's answers
// hold a few strings), but no more than 512 bytes of large elements.
func firstCap[T any]() int {
	return min(4, max(1, 512/max(int(unsafe.Sizeof(*new(T))), 1)))
}

// listCap returns the capacity for a list of which n elements took used
// bytes of the input, with left bytes after them, or 0 to let append
// choose. It guesses the length the rest of the input gives at the size
// seen so far, plus a sixteenth for longer elements. The rest may not be
// elements at all (a few short ones, then one long string), so beyond n it
// reserves no more elements than fit either in the bytes the input has
// left or in the memory the n elements already take, whichever is more:
// what is reserved and never used is at most the size of the input or
// what doubling would leave unused. A T larger in memory than its JSON
// (often: a struct of many optional fields from short objects) then grows
// by the second bound, at least doubling, until the guess fits, and never
// past the guess.
func listCap[T any](estimate bool, n, used, left int) int {
	const sample = 8 // elements read before their size is trusted
	if !estimate || n < sample || used <= 0 {
		return 0
	}
	guess := int(float64(left) / float64(used) * float64(n))
	guess += guess/16 + 1
	return n + min(guess, max(left/max(int(unsafe.Sizeof(*new(T))), 1), n))
}

// ReadSlicePtr reads an array into **p, reusing the slice it points to;
// null sets it to nil.
func ReadSlicePtr[T any](r *Reader, p **[]T, elem func(*Reader, *T)) {
	if r.Null() {
		*p = nil
		return
	}
	if *p == nil {
		*p = new([]T)
	}
	ReadSlice(r, *p, elem)
}

// SetBytes reads a []byte as encoding/json does: a string of base64 (a
// string of format byte), null for nil, or an array of numbers. The value
// is handed to encoding/json, as rare as it is.
func (r *Reader) SetBytes(p *[]byte) { r.Unmarshal((*jsonBytes)(p)) }

type jsonBytes []byte

func (b *jsonBytes) UnmarshalJSON(data []byte) error { return json.Unmarshal(data, (*[]byte)(b)) }
