package api

import (
	"encoding/binary"
	stdjson "encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The tests of this file hold the one-pass decoders of decode.go to the
// results of encoding/json: reference decodes a body the way the client
// did before them, with encoding/json on the plain generated types (so
// with the UnmarshalJSON methods of the nested types), and requires the
// same field.

// reference decodes data into v (a *ListCloudsResponse,
// *ProjectListResponse or *UserInfoResponse) with encoding/json alone.
func reference(data []byte, v any) error {
	switch v := v.(type) {
	case *ListCloudsResponse:
		type plain ListCloudsResponse
		if err := stdjson.Unmarshal(data, (*plain)(v)); err != nil {
			return err
		}
		if v.Clouds == nil {
			return errors.New("no clouds")
		}
	case *ProjectListResponse:
		type plain ProjectListResponse
		if err := stdjson.Unmarshal(data, (*plain)(v)); err != nil {
			return err
		}
		if v.Projects == nil {
			return errors.New("no projects")
		}
	case *UserInfoResponse:
		type plain UserInfoResponse
		// The outer User shadows the embedded one, as in decode.go's
		// userInfo: "user" is read into a User of its own.
		var body struct {
			*plain
			User *User `json:"user"`
		}
		body.plain = (*plain)(v)
		if err := stdjson.Unmarshal(data, &body); err != nil {
			return err
		}
		if body.User == nil {
			return errors.New("no user")
		}
		v.User = *body.User
	default:
		panic(fmt.Sprintf("reference: %T", v))
	}
	return nil
}

// results are fresh values of the three response types.
func results() []any {
	return []any{new(ListCloudsResponse), new(ProjectListResponse), new(UserInfoResponse)}
}

// compareDecoders decodes data into a value of each response type with
// the decoder and with reference, and reports any difference.
func compareDecoders(t *testing.T, data []byte) {
	t.Helper()
	for _, want := range results() {
		got := reflect.New(reflect.TypeOf(want).Elem()).Interface()
		wantErr := reference(data, want)
		ok, gotErr := decodeResult(data, got)
		if !ok {
			t.Fatalf("decodeResult does not know %T", got)
		}
		name := reflect.TypeOf(want).Elem().Name()
		switch {
		case (wantErr == nil) != (gotErr == nil):
			t.Errorf("%s of %q:\nencoding/json error: %v\ndecoder error:      %v", name, clip(data), wantErr, gotErr)
		case gotErr != nil:
			var be *BodyError
			if !errors.As(gotErr, &be) || !errors.Is(gotErr, ErrInvalidResponse) {
				t.Errorf("%s of %q: error %v (%T) is not a *BodyError that is ErrInvalidResponse", name, clip(data), gotErr, gotErr)
			}
			if be != nil && (be.Offset < -1 || be.Offset > len(data)) {
				t.Errorf("%s of %q: error offset %d outside the body", name, clip(data), be.Offset)
			}
		default:
			if diff := cmp.Diff(want, got); diff != "" {
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

// TestDecodersReadEveryField fills every field of the three response types
// (and of the types inside them) with a value, encodes that with
// encoding/json and decodes it: the decoders must give back every field.
// A field that a new openapi.yaml adds to a generated type fails here
// until decode.go reads it.
func TestDecodersReadEveryField(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, v := range results() {
		for range 20 {
			full := reflect.New(reflect.TypeOf(v).Elem())
			fill(t, rng, full.Elem(), full.Type().Elem().Name())
			data, err := stdjson.Marshal(full.Interface())
			if err != nil {
				t.Fatal(err)
			}
			got := reflect.New(full.Type().Elem())
			if _, err := decodeResult(data, got.Interface()); err != nil {
				t.Fatalf("decode %s: %v\n%s", full.Type().Elem().Name(), err, data)
			}
			if diff := cmp.Diff(full.Interface(), got.Interface()); diff != "" {
				t.Fatalf("%s: decoded value differs from the encoded one (-encoded +decoded):\n%s", full.Type().Elem().Name(), diff)
			}
			compareDecoders(t, data)
		}
	}
}

// fill sets v and everything in it to values that are not zero.
func fill(t *testing.T, rng *rand.Rand, v reflect.Value, path string) {
	switch v.Type() {
	case reflect.TypeFor[Time]():
		at := time.Date(2000+rng.IntN(30), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), 0, 0, rng.IntN(1e6)*1000, time.UTC)
		v.Set(reflect.ValueOf(NewTime(at)))
		return
	case reflect.TypeFor[Tags]():
		v.Set(reflect.ValueOf(Tags{"env": word(rng), "team": word(rng)}))
		return
	case reflect.TypeFor[any]():
		v.Set(reflect.ValueOf(any(word(rng))))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(word(rng))
	case reflect.Int:
		v.SetInt(1 + rng.Int64N(1<<40))
	case reflect.Float64:
		v.SetFloat(rng.NormFloat64() * 100)
	case reflect.Bool:
		v.SetBool(true)
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
		if v.Type().Key().Kind() == reflect.Bool { // nullable.Nullable: a value
			elem := reflect.New(v.Type().Elem()).Elem()
			fill(t, rng, elem, path)
			v.Set(reflect.MakeMap(v.Type()))
			v.SetMapIndex(reflect.ValueOf(true), elem)
			return
		}
		v.Set(reflect.MakeMap(v.Type()))
		for range 1 + rng.IntN(3) {
			elem := reflect.New(v.Type().Elem()).Elem()
			fill(t, rng, elem, path+"[]")
			v.SetMapIndex(reflect.ValueOf(word(rng)), elem)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				t.Fatalf("%s.%s: unexported field in a generated type", path, f.Name)
			}
			fill(t, rng, v.Field(i), path+"."+f.Name)
		}
	default:
		t.Fatalf("%s: fill does not know %s; teach it, and decode.go", path, v.Type())
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
	if ok, _ := decodeResult([]byte(`{}`), nilPtr); ok {
		t.Error("decodeResult took a nil pointer; encoding/json must report it")
	}
}

// TestListsGrowToTheirSize: the list a response is made of is allocated
// about once, at its final size, and a few small elements followed by a
// long value do not make it reserve more than the body's size.
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
