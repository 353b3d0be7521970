package jsonread

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// seeds are inputs that take each path of the reader and of
// encoding/json's rules that a reader can get wrong.
var seeds = []string{
	`{}`, `[]`, `null`, ` null `, `true`, `false`, `0`, `-0`, `1.5e300`, `1e999`, `-1e-999`, `""`, ``, ` `,
	`{"a": 1, "a": 2, "b": [1, "x", null, true, {"c": {}}]}`, `[1, [2, [3, [4]]]]`, `{"a": {"b": {"c": []}}}`,
	`{"a"}`, `{"a" 1}`, `{,}`, `[1,]`, `{"a": 1,}`, `[1 2]`, `{"a": tru}`, `nul`, `-`, `01`, `1.`, `1e`, `1e+`, `.5`, `+1`,
	`"\x01"`, `"\q"`, `"\u12"`, `"\u12g4"`, `"abc`, `"abc\`, "{}\x00", `{} x`, `{}}`, "\t\r\n [ ] \n",
	`"\u00fc\u6771\ud83d\ude00\"\\\/\b\f\n\r\t"`, `["\ud83d", "\ude00x", "\ud83d\u0041", "\ud83d\ud83d\ude00"]`,
	"\"abcdefgh\xffijklmnop\"", "\"0123456789\xe4\xb8\"", "{\"k\xff\": 1, \"abcdefghij\u00e4klmnop\xc3\": 2}",
	`[999999999999999, 9999999999999999, 0.1, -179.99999999999, 0.000000000000001]`,
	strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth),
	strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1),
	strings.Repeat(`{"a":`, MaxDepth) + "1" + strings.Repeat("}", MaxDepth),
	strings.Repeat(`{"a":`, MaxDepth+1) + "1" + strings.Repeat("}", MaxDepth+1),
}

// readAll reads one value of any kind from r, as Any, and the end.
func readAll(r *Reader) (any, error) {
	var v any
	for {
		m := r.Mark()
		v = r.Any()
		if !r.Retry(m) {
			break
		}
	}
	for {
		m := r.Mark()
		if r.End(); !r.Retry(m) {
			break
		}
	}
	return v, r.Err()
}

// chunks is an io.Reader that returns its input in pieces of random
// sizes, some empty.
type chunks struct {
	data []byte
	rng  *rand.Rand
}

func (c *chunks) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(c.data), c.rng.IntN(20))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// compare holds the reader to encoding/json on data: from memory, and
// from io.Readers that hand it over a byte at a time and in random pieces.
func compare(t *testing.T, data []byte) {
	t.Helper()
	var want any
	wantErr := json.Unmarshal(data, &want)

	var r Reader
	r.Reset(data)
	got, gotErr := readAll(&r)
	switch {
	case (wantErr == nil) != (gotErr == nil):
		t.Fatalf("%.200q: encoding/json error %v, reader error %v", data, wantErr, gotErr)
	case gotErr == nil:
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("%.200q: reader differs from encoding/json (-encoding/json +reader):\n%s", data, cmp.Diff(want, got))
		}
	default:
		var e *Error
		if !errors.As(gotErr, &e) || e.Offset < 0 || e.Offset > len(data) {
			t.Fatalf("%.200q: error %v (%T) is not an *Error inside the input", data, gotErr, gotErr)
		}
	}
	var skip Reader
	skip.Reset(data)
	skip.Skip()
	skip.End()
	if valid := json.Valid(data); valid != (skip.Err() == nil) {
		t.Fatalf("%.200q: json.Valid %v, Skip error %v", data, valid, skip.Err())
	}

	for name, src := range map[string]io.Reader{
		"one byte at a time": iotest.OneByteReader(strings.NewReader(string(data))),
		"random pieces":      &chunks{data, rand.New(rand.NewPCG(uint64(len(data)), 7))},
	} {
		var s Reader
		s.ResetReader(src, 1) // the smallest window there is
		sgot, serr := readAll(&s)
		if fmt.Sprint(serr) != fmt.Sprint(gotErr) {
			t.Fatalf("%.200q read %s: error %v, from memory %v", data, name, serr, gotErr)
		}
		if !reflect.DeepEqual(got, sgot) {
			diff := cmp.Diff(got, sgot)
			t.Fatalf("%.200q read %s: differs from memory (-memory +stream):\n%s", data, name, diff)
		}
	}
}

func TestReaderMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, s := range seeds {
		compare(t, []byte(s))
	}
}

// FuzzReader: on any input, the reader and encoding/json agree on whether
// it is JSON and on the value it holds, and reading from an io.Reader
// gives what reading from memory gives.
func FuzzReader(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		compare(t, data)
	})
}

// TestDeepNestingIsAnError: three million brackets are an error naming
// the offset of the first one too many, for every way of reading, never a
// stack overflow.
func TestDeepNestingIsAnError(t *testing.T) {
	t.Parallel()
	body := []byte(`{"clouds":` + strings.Repeat("[", 3_000_000))
	want := fmt.Sprintf("at byte %d: exceeded max depth %d", len(`{"clouds":`)+MaxDepth-1, MaxDepth)
	reads := map[string]func(r *Reader){
		"Any":  func(r *Reader) { r.Any() },
		"Skip": func(r *Reader) { r.Skip() },
		"Raw":  func(r *Reader) { r.Raw() },
		"Object then Array": func(r *Reader) {
			first := true
			if r.Object() {
				r.Field(&first)
				for r.Array() {
				}
			}
		},
	}
	for name, read := range reads {
		t.Run(name, func(t *testing.T) {
			var r Reader
			r.Reset(body)
			read(&r)
			if err := r.Err(); err == nil || err.Error() != want {
				t.Errorf("error %v, want %s", err, want)
			}
			var s Reader
			s.ResetReader(strings.NewReader(string(body)), 4096)
			for {
				m := s.Mark()
				if read(&s); !s.Retry(m) {
					break
				}
			}
			if err := s.Err(); err == nil || err.Error() != want {
				t.Errorf("from an io.Reader: error %v, want %s", err, want)
			}
		})
	}
}

// TestReadError: an error of the io.Reader ends reading with that error.
func TestReadError(t *testing.T) {
	t.Parallel()
	boom := errors.New("connection reset")
	var r Reader
	r.ResetReader(io.MultiReader(strings.NewReader(`{"a": [1, 2, `), iotest.ErrReader(boom)), 1)
	_, err := readAll(&r)
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want %v", err, boom)
	}
	var stuck Reader
	stuck.ResetReader(nothing{}, 1)
	if _, err := readAll(&stuck); !errors.Is(err, io.ErrNoProgress) {
		t.Errorf("a reader that returns nothing, forever: error %v, want %v", err, io.ErrNoProgress)
	}
}

// nothing is an io.Reader that returns 0, nil forever.
type nothing struct{}

func (nothing) Read([]byte) (int, error) { return 0, nil }

// TestFold: keys match names as encoding/json matches them.
func TestFold(t *testing.T) {
	t.Parallel()
	n := NewNames("token", "state", "user_id")
	for key, want := range map[string]string{
		"TOKEN": "token", "to\u212aen": "token", "\u017ftate": "state", "User_ID": "user_id", "userid": "", "stat": "",
	} {
		if got := string(n.Fold([]byte(key))); got != want {
			t.Errorf("Fold(%q) = %q, want %q", key, got, want)
		}
	}
}

// TestShortDecimal: the numbers shortDecimal converts, it converts to the
// float64 strconv.ParseFloat gives, bit for bit; the others it leaves.
func TestShortDecimal(t *testing.T) {
	t.Parallel()
	texts := []string{"0", "-0", "0.0", "-0.0", "1", "0.1", "0.3", "-8.24389", "53.073635", "179.999999",
		"123456789012345", "0.00000000000001", "9007199254740991", "1e5", "1.5E-3", "0.000000000000001234"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200_000 {
		whole, frac := rng.Uint64N(1_000_000_000), rng.Uint64N(1_000_000_000)
		texts = append(texts, fmt.Sprintf("%d.%0*d", whole, 1+rng.IntN(9), frac),
			fmt.Sprintf("-%.*f", rng.IntN(12), math.Abs(rng.NormFloat64()*100)))
	}
	converted := 0
	for _, text := range texts {
		want, err := strconv.ParseFloat(text, 64)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := shortDecimal([]byte(text))
		digits := strings.Count(text, "") - 1 - strings.Count(text, "-") - strings.Count(text, ".")
		if short := digits <= 15 && !strings.ContainsAny(text, "eE"); ok != short {
			t.Fatalf("shortDecimal(%s): ok = %v, want %v", text, ok, short)
		}
		if !ok {
			continue
		}
		converted++
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("shortDecimal(%s) = %v (%#x), strconv gives %v (%#x)", text, got, math.Float64bits(got), want, math.Float64bits(want))
		}
	}
	if converted < len(texts)/2 {
		t.Fatalf("only %d of %d numbers converted", converted, len(texts))
	}
}

// TestSpecialFindsFirstStop: the lowest byte special marks is the first of
// eight that is a quote, a backslash or a control character, whatever the
// bytes around it.
func TestSpecialFindsFirstStop(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	// Bytes that matter: the stops, their neighbours, and the high ones.
	pool := []byte{0, 1, 0x1f, ' ', '!', '"', '#', '[', '\\', ']', 'a', 0x7f, 0x80, 0xa2, 0xdc, 0xff}
	var word [8]byte
	for range 1_000_000 {
		for i := range word {
			if rng.IntN(3) == 0 {
				word[i] = byte(rng.Uint32())
			} else {
				word[i] = pool[rng.IntN(len(pool))]
			}
		}
		want := 8
		for i, c := range word {
			if c == '"' || c == '\\' || c < ' ' {
				want = i
				break
			}
		}
		m := special(binary.LittleEndian.Uint64(word[:]))
		if got := bits.TrailingZeros64(m) / 8; got != want {
			t.Fatalf("special(% x) marks byte %d first, want %d", word, got, want)
		}
	}
}
