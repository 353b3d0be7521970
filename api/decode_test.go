package api

import (
	"bytes"
	stdjson "encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/aivenapi/aivenapi/internal/jsonread"
)

// The tests of this file hold the generated decoders of decode.gen.go to
// the results of encoding/json, for every type they decode (decodedTypes,
// written by tools/gendecode): reference decodes a body with encoding/json
// alone, on the plain types (so with the UnmarshalJSON methods of the
// nested types), and the decoder must give the same value or fail where
// it fails.

// reference decodes data into v, of the type dt decodes, with
// encoding/json alone. For the body of a response it decodes into a copy
// of the type without methods in which the result fields that are structs
// are pointers (so that null and absence show), and requires the result
// fields.
func reference(dt decodedType, data []byte, v any) error {
	if !dt.body {
		return stdjson.Unmarshal(data, v)
	}
	rv := reflect.ValueOf(v).Elem()
	fields := reflect.VisibleFields(rv.Type())
	var plain []reflect.StructField
	for _, f := range fields {
		if len(f.Index) != 1 {
			continue
		}
		if slices.Contains(dt.structs, f.Name) {
			f.Type = reflect.PointerTo(f.Type)
		}
		f.Index, f.Offset = nil, 0
		plain = append(plain, f)
	}
	pv := reflect.New(reflect.StructOf(plain))
	for i, f := range plain {
		if f.Type == rv.FieldByName(f.Name).Type() {
			pv.Elem().Field(i).Set(rv.FieldByName(f.Name))
		}
	}
	if err := stdjson.Unmarshal(data, pv.Interface()); err != nil {
		return err
	}
	for i, f := range plain {
		field := pv.Elem().Field(i)
		if slices.Contains(dt.results, f.Name) && field.IsNil() {
			return fmt.Errorf("no %s", f.Name)
		}
		if f.Type != rv.FieldByName(f.Name).Type() {
			field = field.Elem()
		}
		rv.FieldByName(f.Name).Set(field)
	}
	return nil
}

func typeName(v any) string { return reflect.TypeOf(v).Elem().Name() }

// compareDecoders decodes data into a value of each decoded type with
// the decoder and with reference, and reports any difference.
func compareDecoders(t *testing.T, data []byte) {
	t.Helper()
	compareDecodersWith(t, data, func(want, got any) string { return cmp.Diff(want, got, allFields) })
}

// allFields makes cmp compare unexported fields too: the unions
// oapi-codegen writes for oneOf keep their value in one.
var allFields = cmp.Exporter(func(reflect.Type) bool { return true })

// compareDecodersWith is compareDecoders with diff to compare the values
// (cmp.Diff takes time quadratic in the depth of a value).
func compareDecodersWith(t *testing.T, data []byte, diff func(want, got any) string) {
	t.Helper()
	for _, dt := range decodedTypes() {
		want, got := dt.value(), dt.value()
		wantErr := reference(dt, data, want)
		gotErr := dt.decode(data, got)
		name := typeName(want)
		switch {
		case (wantErr == nil) != (gotErr == nil):
			t.Errorf("%s of %q:\nencoding/json error: %v\ndecoder error:      %v", name, clip(data), wantErr, gotErr)
		case gotErr != nil:
			offset := -2
			var be *BodyError
			var je *jsonread.Error
			switch {
			case dt.body && errors.As(gotErr, &be) && errors.Is(gotErr, ErrInvalidResponse):
				offset = be.Offset
			case !dt.body && errors.As(gotErr, &je):
				offset = je.Offset
			default:
				t.Errorf("%s of %q: error %v (%T) is not a *BodyError that is ErrInvalidResponse (or, for a type inside a body, a *jsonread.Error)", name, clip(data), gotErr, gotErr)
			}
			if offset < -1 || offset > len(data) {
				t.Errorf("%s of %q: error offset %d outside the body", name, clip(data), offset)
			}
		default:
			if diff := diff(want, got); diff != "" {
				t.Errorf("%s of %q: decoder differs from encoding/json (-encoding/json +decoder):\n%s", name, clip(data), diff)
			}
		}
	}
}

func clip(data []byte) string {
	if len(data) > 300 {
		return string(data[:300]) + "…"
	}
	return string(data)
}

// tricky are bodies that take each path of the decoders and of
// encoding/json's rules that a decoder can get wrong.
var tricky = []string{
	// The result field: absent, null, empty, wrong kind.
	`{}`, `null`, ` null `, `{"clouds": null}`, `{"clouds": []}`, `{"projects": []}`, `{"user": {}}`,
	`{"user": null}`, `{"user": null, "user": {"user": "a"}}`, `{"user": {"user": "a"}, "user": null}`,
	`[]`, `"x"`, `1`, `true`, ``, ` `, `{"clouds": {}}`, `{"projects": "x"}`, `{"user": []}`,
	// Syntax.
	`{"clouds": []}}`, `{"clouds": [],}`, `{"clouds": [] "x": 1}`, `{"clouds": [1,]}`, `{,}`, `{"a"}`,
	`{"a" 1}`, `{"clouds": [}`, `{"clouds": tru}`, `{"clouds": nul}`, `{"x": -}`, `{"x": 01}`, `{"x": 1.}`,
	`{"x": 1e}`, `{"x": 1e+}`, `{"x": .5}`, `{"x": +1}`, `{"x": "\x01"}`, `{"x": "\q"}`, `{"x": "\u12"}`,
	`{"x": "\u12g4"}`, `{"x": "abc`, `{"x": "abc\`, "{\"clouds\": []}\x00", `{"clouds": []} x`,
	"\t\r\n {\"clouds\"\t:\n[ ]\r} \n", `{"clouds": [], "x": {"y": [1, {"z": null}]}}`,
	// Duplicate keys: later values win, objects merge, slices reuse elements.
	`{"clouds": [{"cloud_name": "a", "geo_region": "x"}, {"cloud_name": "b"}], "clouds": [{"cloud_name": "c"}]}`,
	`{"clouds": [{"cloud_name": "a"}, {"cloud_name": "b", "geo_region": "r"}], "clouds": [{"cloud_name": "c"}], "clouds": [{}, {}]}`,
	`{"clouds": [{"cloud_name": "a"}], "clouds": []}`,
	`{"clouds": [{"cloud_name": "a", "cloud_name": "b", "geo_latitude": 1, "geo_latitude": null}]}`,
	`{"user": {"projects": ["a", "b"], "projects": ["c"], "city": "x", "city": null}}`,
	`{"user": {"projects": ["a", null, "b"], "auth": null}}`,
	`{"projects": [{"project_name": "p", "tags": {"a": "1"}, "tags": {"b": "2"}}]}`,
	`{"projects": [{"features": {"a": 1}, "features": {"b": 2}, "card_info": {"brand": "v"}, "card_info": {"name": "n"}}]}`,
	`{"projects": [{"end_of_life_extension": {"elasticsearch": {"version": "7"}}, "end_of_life_extension": {"elasticsearch": {"eol_date": "d"}}}]}`,
	`{"projects": [{"end_of_life_extension": {"x": 1e999, "x": 1}}]}`,
	`{"projects": [{"end_of_life_extension": {"elasticsearch": 1, "elasticsearch": null}}]}`,
	`{"projects": [{"end_of_life_extension": {"x": 1}, "end_of_life_extension": {}}]}`,
	`{"projects": [{"end_of_life_extension": {"Elasticsearch": {"version": "7"}, "opensearch": {"version": "1"}}}]}`,
	`{"projects": [{"end_of_life_extension": {"elasticsearch": {"VERSION": "7"}}}]}`,
	`{"projects": [{"end_of_life_extension": null}, {"end_of_life_extension": "x"}]}`,
	`{"project_membership": {"a": "admin"}, "project_membership": {"b": null}, "projects": []}`,
	`{"project_memberships": {"a": ["x"], "a": null, "b": []}, "projects": []}`,
	// Keys: case, escapes, the Kelvin sign and the long s, invalid UTF-8.
	`{"CLOUDS": [{"Cloud_Name": "a", "GEO_REGION": "r"}]}`,
	`{"clouds": [{"cloud_name": "a", "CLOUD_NAME": "b"}]}`,
	`{"clouds": [{"CLOUD_NAME": "b", "cloud_name": "a"}]}`,
	`{"cl\u006fuds": [{"cloud\u005fname": "a"}]}`,
	`{"user": {"to\u212aen_validity_begin": "2020-01-01T00:00:00Z", "tenant": "t"}}`,
	`{"user": {"tenant": "t", "\u017fTATE": "x", "State": "y"}}`,
	"{\"clouds\": [{\"cloud_name\xff\": \"a\"}]}",
	`{"projects": [{"TAGS": {"a": 1}, "Billing_Emails": [{"EMAIL": "e"}], "tech_emails": [{"Email": "t"}]}]}`,
	// Strings.
	`{"clouds": [{"cloud_name": "\u00fc\u6771\ud83d\ude00\"\\\/\b\f\n\r\t"}]}`,
	`{"clouds": [{"cloud_name": "\ud83d"}, {"cloud_name": "\ude00x"}, {"cloud_name": "\ud83d\u0041"}, {"cloud_name": "\ud83d\ud83d\ude00"}]}`,
	// Invalid UTF-8 inside eight plain bytes, which are read a word at a time.
	"{\"clouds\": [{\"cloud_name\": \"abcdefgh\xffijklmnop\", \"geo_region\": \"0123456789\xe4\xb8\"}]}",
	"{\"user\": {\"features\": {\"00000\xe400\": [], \"abcdefghij\u00e4klmnop\xc3\": 1}}}",
	"{\"clouds\": [{\"cloud_name\": \"a\xffb\xc3\"}, {\"cloud_name\": \"\xed\xa0\x80\"}, {\"cloud_name\": \"ok\xe6\x9d\xb1\"}]}",
	// Numbers.
	`{"clouds": [{"cloud_name": "a", "geo_latitude": -0, "geo_longitude": 1.5e300}]}`,
	`{"clouds": [{"geo_latitude": 1e999}]}`, `{"clouds": [{"geo_latitude": -1e-999}]}`,
	`{"clouds": [{"geo_latitude": -0.0, "geo_longitude": 0.000000000000001}]}`,
	`{"clouds": [{"geo_latitude": 999999999999999, "geo_longitude": 9999999999999999}]}`,
	`{"clouds": [{"geo_latitude": 0.1, "geo_longitude": -179.99999999999}]}`,
	`{"clouds": [{"geo_latitude": "1"}]}`, `{"clouds": [{"cloud_name": 1}]}`,
	`{"projects": [{"card_info": {"exp_month": 12, "exp_year": 2030}}]}`,
	`{"projects": [{"card_info": {"exp_month": 1.0}}]}`, `{"projects": [{"card_info": {"exp_month": 1e2}}]}`,
	`{"projects": [{"card_info": {"exp_month": 9223372036854775808}}]}`, `{"projects": [{"card_info": {"exp_month": -9223372036854775808}}]}`,
	`{"projects": [{"card_info": {"exp_month": null, "brand": null}}]}`, `{"projects": [{"card_info": {"exp_month": "1"}}]}`,
	`{"message": "m", "errors": [{"status": 400, "status": null, "error_code": "x", "metadata": {"a": [1, "b", null, true, {"c": 2.5}]}}], "clouds": []}`,
	`{"errors": [{"status": 1.5}], "clouds": []}`, `{"errors": [{"metadata": {"n": 1e400}}], "clouds": []}`,
	// Nullable fields, times and tags.
	`{"projects": [{"account_id": null, "billing_extra_text": "x", "trial_expiration_time": "2024-01-02T03:04:05.123456+00:00", "card_info": null}]}`,
	`{"projects": [{"account_id": 5}]}`, `{"projects": [{"trial_expiration_time": 5}]}`, `{"projects": [{"card_info": []}]}`,
	`{"projects": [{"trial_expiration_time": "not a time"}, {"trial_expiration_time": "2024-01-02T03:04:05"}]}`,
	`{"user": {"create_time": null, "token_validity_begin": "x", "invitations": [{"invite_time": null}, {"invite_time": "2020-01-01T00:00:00Z"}]}}`,
	`{"user": {"invitations": [{"invite_time": 1}]}}`, `{"user": {"create_time": {}}}`,
	`{"projects": [{"tags": {"a": 1, "b": true, "c": null, "d": [1, 2], "e": {"f": "g"}, "h": "\u00fc", "a": "x"}}]}`,
	`{"projects": [{"tags": null}, {"tags": []}]}`, `{"projects": [{"tags": {"a": [1 , 2 ]}}]}`,
	`{"user": {"managed_by_scim": true, "managed_by_scim": false}}`, `{"user": {"managed_by_scim": "true"}}`,
	`{"user": {"features": null, "projects": null, "project_membership": null}}`,
}

// TestDecodersMatchEncodingJSON runs the tricky bodies and the fixtures.
func TestDecodersMatchEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, body := range tricky {
		compareDecoders(t, []byte(body))
	}
	for _, data := range fixtures(t) {
		compareDecoders(t, data)
	}
}

func fixtures(t testing.TB) [][]byte {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	var out [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// FuzzDecoders: on any input, the decoders and encoding/json agree on
// whether it decodes and on what it decodes to.
func FuzzDecoders(f *testing.F) {
	for _, body := range tricky {
		f.Add([]byte(body))
	}
	for _, data := range fixtures(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		compareDecoders(t, data)
	})
}

// TestDecodersReadEveryField fills every field of every decoded type (and
// of the types inside them) with a value, encodes that with encoding/json
// and decodes it: the decoders must give what encoding/json gives back,
// so a field a decoder left out fails here.
func TestDecodersReadEveryField(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, dt := range decodedTypes() {
		for range 20 {
			full := reflect.ValueOf(dt.value())
			fill(t, rng, full.Elem(), typeName(full.Interface()))
			data, err := stdjson.Marshal(full.Interface())
			if err != nil {
				t.Fatal(err)
			}
			got := dt.value()
			if err := dt.decode(data, got); err != nil {
				t.Fatalf("decode %s: %v\n%s", typeName(got), err, data)
			}
			compareDecoders(t, data)
		}
	}
}

// fill sets v and everything in it to values that are not zero, by kind.
func fill(t *testing.T, rng *rand.Rand, v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(word(rng))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(1 + rng.Int64N(1<<30))
	case reflect.Float64, reflect.Float32:
		v.SetFloat(float64(float32(rng.NormFloat64() * 100)))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Interface:
		v.Set(reflect.ValueOf(word(rng)))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, rng, v.Elem(), path)
	case reflect.Slice:
		n := 1 + rng.IntN(3)
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			fill(t, rng, v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		n := 1 + rng.IntN(3)
		if v.Type().Key().Kind() == reflect.Bool { // nullable.Nullable: a value
			n = 1
		}
		for range n {
			key := reflect.New(v.Type().Key()).Elem()
			fill(t, rng, key, path+"[key]")
			elem := reflect.New(v.Type().Elem()).Elem()
			fill(t, rng, elem, path+"[]")
			v.SetMapIndex(key, elem)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			fill(t, rng, v.Field(i), path+"."+f.Name)
		}
	default:
		t.Fatalf("%s: fill does not know %s; teach it", path, v.Type())
	}
}

var words = []string{"aiven", "Ünïcödé", "東京", "a\"quote", "back\\slash", "tab\there", "emoji 😀", "<html>", "x"}

func word(rng *rand.Rand) string {
	return words[rng.IntN(len(words))] + strings.Repeat("!", rng.IntN(3))
}

// TestGeneratedParseUsesDecoders: the generated Parse functions reach the
// decoders through internal/json (templates/imports.tmpl), not
// encoding/json, whose errors would be a *json.SyntaxError.
func TestGeneratedParseUsesDecoders(t *testing.T) {
	t.Parallel()
	rsp := &http.Response{
		StatusCode: 200,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(`{"clouds": [}`)),
	}
	_, err := ParseListCloudsResult(rsp)
	var be *BodyError
	if !errors.As(err, &be) || be.Operation != "ListClouds" || be.Offset != 12 {
		t.Errorf("ParseListCloudsResult error %v (%T), want a *BodyError of ListClouds at byte 12", err, err)
	}
	var nilPtr *ListCloudsResponse
	if ok, _ := decodeResponse([]byte(`{}`), nilPtr); ok {
		t.Error("decodeResponse took a nil pointer; encoding/json must report it")
	}
}

// TestListsGrowToTheirSize: the list a response is made of ends close to
// its length, whatever the size of its Go type against that of its JSON
// (a thousand short clouds, each far smaller than an api.Cloud, which
// grows with every field upstream adds), and a few small elements
// followed by a long value do not make it reserve more than the body's
// size (internal/jsonread's TestReadListCapacity checks the same for
// element types of many sizes).
func TestListsGrowToTheirSize(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`{"clouds": [`)
	for i := range 1000 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `{"cloud_name": "aws-region-%d", "geo_latitude": %d.25, "geo_region": "europe"}`, i, i%90)
	}
	b.WriteString(`]}`)
	var clouds ListCloudsResponse
	if err := clouds.UnmarshalJSON([]byte(b.String())); err != nil {
		t.Fatal(err)
	}
	if n, c := len(clouds.Clouds), cap(clouds.Clouds); n != 1000 || c > n+n/5 {
		t.Errorf("1,000 clouds: len %d, cap %d; want len 1000, cap at most 1200", n, c)
	}

	tail := `{"projects": [` + strings.Repeat(`{}, `, 40) + `{}], "message": "` + strings.Repeat("x", 1<<20) + `"}`
	var projects ProjectListResponse
	if err := projects.UnmarshalJSON([]byte(tail)); err != nil {
		t.Fatal(err)
	}
	reserved := cap(projects.Projects) * int(reflect.TypeFor[Project]().Size())
	if len(projects.Projects) != 41 || reserved > len(tail)+64*int(reflect.TypeFor[Project]().Size()) {
		t.Errorf("41 empty projects before 1 MiB of text: len %d, %d bytes reserved for a %d-byte body",
			len(projects.Projects), reserved, len(tail))
	}
}

// deepPlaces are bodies with a place (%s) for a deep value: in a result,
// in its elements, in a known field of every kind (string, number, time,
// nested object, tags, a map of any, a map of typed values), in an
// unknown field, and in the error fields.
var deepPlaces = []string{
	`{"clouds":%s`, `{"clouds":[%s`, `{"clouds":[{"cloud_name":%s`, `{"clouds":[{"geo_latitude":%s`,
	`{"clouds":[{"unknown":%s`, `{"projects":[{"card_info":%s`, `{"projects":[{"tags":{"a":%s`,
	`{"projects":[{"features":{"a":%s`, `{"projects":[{"end_of_life_extension":{"x":%s`,
	`{"projects":[{"end_of_life_extension":{"elasticsearch":%s`, `{"projects":[{"trial_expiration_time":%s`,
	`{"user":{"invitations":[{"invite_time":%s`, `{"user":{"project_memberships":{"a":%s`,
	`{"errors":[{"metadata":{"a":%s`, `{"message":%s`, `%s`,
}

// maxDepthOffset returns the offset of the bracket of body at which
// nesting first goes past jsonread.MaxDepth, or -1 (the bodies here have
// no brackets inside strings).
func maxDepthOffset(body []byte) int {
	depth := 0
	for i, c := range body {
		switch c {
		case '[', '{':
			if depth++; depth > jsonread.MaxDepth {
				return i
			}
		case ']', '}':
			depth--
		}
	}
	return -1
}

// TestDeepNestingIsAnError: a body nested three million deep, by arrays
// or by objects, anywhere in it, is an error naming the offset, for the
// body of every operation and for Projects, never a stack overflow.
func TestDeepNestingIsAnError(t *testing.T) {
	t.Parallel()
	n := 0
	for _, place := range deepPlaces {
		for _, unit := range []string{"[", `{"a":`} {
			body := []byte(fmt.Sprintf(place, strings.Repeat(unit, 3_000_000)))
			wantOffset := maxDepthOffset(body)
			check := func(name string, err error) {
				t.Helper()
				var be *BodyError
				if !errors.As(err, &be) || be.Offset != wantOffset || !strings.Contains(be.Reason, "exceeded max depth") {
					t.Errorf("%s of %q: error %v, want a *BodyError at byte %d for exceeding the max depth", name, clip(body), err, wantOffset)
				}
			}
			for _, dt := range decodedTypes() {
				if dt.body {
					n++
					check(typeName(dt.value()), dt.decode(body, dt.value()))
				}
			}
			check("Projects", streamProjects(strings.NewReader(string(body)), func(Project, error) bool { return true }))
		}
	}
	if n == 0 {
		t.Fatal("no response bodies in decodedTypes")
	}
}

// TestHostileBodies holds the decoders to encoding/json, and Projects to
// the buffered decoder, on bodies nested right at and just past the
// limit, in every place of deepPlaces, on long strings and numbers, and
// on every prefix of each fixture.
func TestHostileBodies(t *testing.T) {
	t.Parallel()
	var bodies [][]byte
	for _, place := range deepPlaces {
		for _, unit := range [][2]string{{"[", "]"}, {`{"a":`, "}"}} {
			for _, depth := range []int{jsonread.MaxDepth - 1, jsonread.MaxDepth, jsonread.MaxDepth + 1} {
				open := fmt.Sprintf(place, strings.Repeat(unit[0], depth)+"1"+strings.Repeat(unit[1], depth))
				// Close what the place opened.
				closing := strings.NewReplacer("{", "}", "[", "]").Replace(reverse(strings.Map(func(r rune) rune {
					if r == '{' || r == '[' {
						return r
					}
					return -1
				}, place)))
				bodies = append(bodies, []byte(open+closing))
			}
		}
	}
	long := strings.Repeat("x\u00e5\nÿ", 1<<18)
	digits := strings.Repeat("9", 1<<20)
	for _, v := range []string{`"` + long + `"`, digits, "-0." + digits, "1e" + digits, "0." + digits + "e-400", `"` + long} {
		for _, place := range []string{`{"clouds":[{"cloud_name":%s}]}`, `{"clouds":[{"geo_latitude":%s}]}`,
			`{"projects":[{"card_info":{"exp_year":%s}}]}`, `{"projects":[{"tags":{"a":%s}}]}`,
			`{"user":{"features":{"a":%s}}}`, `{"clouds":[], "unknown":%s}`} {
			bodies = append(bodies, []byte(fmt.Sprintf(place, v)))
		}
	}
	for _, data := range fixtures(t) {
		for i := range data {
			bodies = append(bodies, data[:i])
		}
	}
	deepEqual := func(want, got any) string {
		if reflect.DeepEqual(want, got) {
			return ""
		}
		return "values differ (reflect.DeepEqual)"
	}
	for _, body := range bodies {
		compareDecodersWith(t, body, deepEqual)
		compareStream(t, body, bytes.NewReader(body))
	}
}

func reverse(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}

// TestStreamMatchesBuffered: Projects, given the body a byte at a time,
// yields the projects ProjectListWithResponse decodes, or fails where it
// fails (it also fails only where that fails, but for the fields it
// skips).
func TestStreamMatchesBuffered(t *testing.T) {
	t.Parallel()
	bodies := fixtures(t)
	for _, s := range tricky {
		bodies = append(bodies, []byte(s))
	}
	// A project larger than the window, which then grows.
	big := strings.Repeat("é", streamWindow)
	bodies = append(bodies, []byte(`{"projects": [{"project_name": "a"}, {"project_name": "`+big+`", "tags": {"k": "`+big+`"}}, {"project_name": "c"}]}`))
	for _, body := range bodies {
		compareStream(t, body, iotest.OneByteReader(bytes.NewReader(body)))
	}
}

// compareStream streams body from src and holds Projects to what the
// buffered decoder gives for body.
func compareStream(t *testing.T, body []byte, src io.Reader) {
	t.Helper()
	var want ProjectListResponse
	wantErr := parseProjectListBody(body, &want)
	var got []Project
	gotErr := streamProjects(src, func(p Project, _ error) bool {
		got = append(got, p)
		return true
	})
	switch {
	case wantErr == nil && gotErr != nil:
		t.Errorf("%q: streamed error %v, decoded without", clip(body), gotErr)
	case gotErr == nil && wantErr != nil:
		var be *BodyError
		if !errors.As(wantErr, &be) || be.Offset < 0 {
			t.Errorf("%q: decode error %v, streamed without", clip(body), wantErr)
		}
	case gotErr == nil && !cmp.Equal(want.Projects, got, cmpopts.EquateEmpty(), allFields):
		t.Errorf("%q: streamed projects differ (-decoded +streamed):\n%s", clip(body), cmp.Diff(want.Projects, got, cmpopts.EquateEmpty(), allFields))
	}
}
