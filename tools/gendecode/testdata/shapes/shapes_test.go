package shapes

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var bodies = []string{
	`{"items": [], "single": {}}`, `{"items": null, "single": {}}`, `{"single": {}}`, `{"items": []}`, `null`, `{}`,
	`{"items": [{"s": "x", "f": 1.5, "f32": 3.4e38, "i": -3, "i64": 9007199254740993, "i32": 2147483647, "b": true, "k": "red", "pk": "blue", "pb": false, "pf": 0.1, "a": {"x": [1, null]}, "n": null, "w": "word"}], "single": {"n": 2.5, "N": 3}}`,
	`{"items": [{"by": "aGVsbG8=", "pby": "", "bby": ["AA==", null]}], "single": {}}`, `{"items": [{"by": null, "pby": null}], "single": {}}`,
	`{"items": [{"by": "aGVsbG8"}], "single": {}}`, `{"items": [{"by": [1, 255]}], "single": {}}`, `{"items": [{"by": [256]}], "single": {}}`, `{"items": [{"by": 1}], "single": {}}`,
	`{"items": [{"i32": 2147483648}], "single": {}}`, `{"items": [{"f32": 3.5e38}], "single": {}}`, `{"items": [{"i64": 1.5}], "single": {}}`,
	`{"items": [], "single": {}, "id": "a", "shade": 4, "depth": 2, "note": "n", "Plain": "p", "plain": "q", "Skip": "s", "-": "t"}`,
	`{"items": [], "single": {}, "map": {"a": {"b": 1}, "c": null}, "opt": [{"x": {"s": "y"}}, null], "names": ["a", null], "any": [1, "x", {}, []]}`,
	`{"items": [], "single": {}, "extra": {"known": {"s": "k"}, "count": 2, "other": [{"s": "o"}], "KNOWN": [], "known": {"i": 1}}}`,
	`{"items": [], "single": {}, "extra": {"other": 1}}`, `{"items": [], "single": {}, "extra": null}`, `{"items": [], "single": {}, "extra": {"count": "x"}}`,
	`{"items": [], "single": {}, "null": null}`, `{"items": [], "single": {}, "null": [{"s": "z"}]}`, `{"items": [], "single": {}, "null": 5}`,
	`{"items": [{"w": 5}], "single": {}}`, `{"items": [{"w": null}], "single": {}}`,
	`{"ITEMS": [{"S": "x", "I64": 2}], "Single": {"s": "a"}, "single": null}`, `{"items": [], "single": {"s": "a"}, "single": null, "single": {"i": 1}}`,
	`{"items": [{"t": "2024-01-02T03:04:05.5Z", "pt": "2024-01-02T03:04:05Z", "r": {"x": [1, 2]}, "u": [1, "x"]}], "single": {"t": null, "pt": null, "u": null}}`,
	`{"items": [{"t": "yesterday"}], "single": {}}`, `{"items": [{"pt": 5}], "single": {}}`, `{"items": [{"r": nul}], "single": {}}`,
	`{"message": "m"}`, `{"message": 5}`, `[]`, `{"items": [}`,
}

// reference decodes body into v with encoding/json alone, and requires
// the result fields of Body as tools/gendecode's rule has them.
func reference(v any, body []byte) error {
	switch v := v.(type) {
	case *Body:
		if err := json.Unmarshal(body, (*plainBody)(v)); err != nil {
			return err
		}
		var results struct {
			Items  []Leaf `json:"items"`
			Single *Leaf  `json:"single"`
		}
		if err := json.Unmarshal(body, &results); err != nil {
			return err
		}
		if results.Items == nil || results.Single == nil {
			return errors.New("no result")
		}
		v.Single = *results.Single
		return nil
	case *OtherBody:
		return json.Unmarshal(body, (*plainOtherBody)(v))
	}
	return json.Unmarshal(body, v)
}

type (
	plainBody      Body
	plainOtherBody OtherBody
)

// TestShapes: the generated decoders give what encoding/json gives, for
// every shape, every decoded type and every body.
func TestShapes(t *testing.T) {
	if len(decodedTypes()) < 6 {
		t.Fatalf("%d decoded types", len(decodedTypes()))
	}
	for _, dt := range decodedTypes() {
		for _, body := range bodies {
			want, got := dt.value(), dt.value()
			wantErr := reference(want, []byte(body))
			gotErr := dt.decode([]byte(body), got)
			if (wantErr == nil) != (gotErr == nil) {
				t.Errorf("%T of %s: encoding/json error %v, decoder error %v", want, body, wantErr, gotErr)
				continue
			}
			if wantErr == nil && !reflect.DeepEqual(want, got) {
				t.Errorf("%T of %s (-encoding/json +decoder):\n%s", want, body, cmp.Diff(want, got))
			}
		}
	}
}
