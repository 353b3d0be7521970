package json

import (
	stdjson "encoding/json"
	"errors"
	"testing"
)

type known struct{ got []byte }

var errKnown = errors.New("decoded by the registered decoder")

// TestUnmarshal: values the Decoder knows go to it, whole and unchecked;
// everything else is encoding/json's.
func TestUnmarshal(t *testing.T) {
	SetDecoder(func(data []byte, v any) (bool, error) {
		if k, ok := v.(*known); ok {
			k.got = data
			return true, errKnown
		}
		return false, nil
	})
	t.Cleanup(func() { SetDecoder(nil) })

	var k known
	if err := Unmarshal([]byte(` {"a": 1} trailing`), &k); err != errKnown || string(k.got) != ` {"a": 1} trailing` {
		t.Errorf("known type: err %v, data %q; want the Decoder's error and all of the data", err, k.got)
	}

	var m map[string]int
	if err := Unmarshal([]byte(`{"a": 1}`), &m); err != nil || m["a"] != 1 {
		t.Errorf("map: %v, %v", m, err)
	}
	var se *stdjson.SyntaxError
	if err := Unmarshal([]byte(`{"a": 1} x`), &m); !errors.As(err, &se) {
		t.Errorf("bad syntax: error %v (%T), want encoding/json's *SyntaxError", err, err)
	}
	var ie *stdjson.InvalidUnmarshalError
	if err := Unmarshal([]byte(`{}`), map[string]int{}); !errors.As(err, &ie) {
		t.Errorf("non-pointer: error %v (%T), want encoding/json's *InvalidUnmarshalError", err, err)
	}
	if b, err := Marshal(map[string]RawMessage{"a": RawMessage(`[1]`)}); err != nil || string(b) != `{"a":[1]}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
}
