package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/aivenapi/aivenapi/api"
)

// referenceIndent is what indentJSON must print: json.Indent's layout,
// then every character unsafeRune names escaped, the slow way.
func referenceIndent(t testing.TB, compact []byte) []byte {
	var buf bytes.Buffer
	if err := json.Indent(&buf, bytes.TrimSpace(compact), "", "  "); err != nil {
		t.Fatalf("json.Indent: %v", err)
	}
	buf.WriteByte('\n')
	var out []byte
	for b := buf.Bytes(); len(b) > 0; {
		r, size := utf8.DecodeRune(b)
		if r >= 0x7f && unsafeRune(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[:size]...)
		}
		b = b[size:]
	}
	return out
}

// compactJSON is src as encoding/json writes it. Numbers are kept as
// json.Number, as written: any valid document compacts, 1E700 included,
// though no float64 holds it.
func compactJSON(t testing.TB, src []byte) []byte {
	var v any
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestIndentJSON(t *testing.T) {
	t.Parallel()
	inputs := []string{
		`[]`, `{}`, `null`, `"s"`, `1e-7`, `[{}]`, `[[],[[]]]`, `{"a":{"b":[]}}`,
		`{"k:,{[":"v\",}]\\","x":[1,2.5,-3,true,false,null]}`,
		"[\"a\u202eb\",\"c1\u009b\",\"del\x7f\",\"\u2066iso\u2069\",\"ok 東京 🦀\"]",
	}
	fixtures, err := filepath.Glob(filepath.Join("testdata", "api", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtures {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, string(b))
	}
	for _, in := range inputs {
		compact := compactJSON(t, []byte(in))
		want := referenceIndent(t, compact)
		if diff := cmp.Diff(string(want), string(indentJSON(nil, compact))); diff != "" {
			t.Errorf("indentJSON(%.60q) (-want +got):\n%s", in, diff)
		}
	}
}

// FuzzIndentJSON checks indentJSON against json.Indent on any JSON value
// encoding/json can write.
func FuzzIndentJSON(f *testing.F) {
	f.Add([]byte(`{"clouds":[{"cloud_name":"aws-eu-west-1","geo_latitude":53.073635}]}`))
	f.Add([]byte("[\"\u202e\",{},[],{\"a\":[{}]}]"))
	f.Add([]byte(`"\u0000\"\\"`))
	f.Add([]byte(`[1E700,-0,1e-400,0.10]`)) // valid JSON that no float64 holds
	f.Fuzz(func(t *testing.T, b []byte) {
		if !json.Valid(b) {
			return
		}
		compact := compactJSON(t, b)
		got := indentJSON(nil, compact)
		if diff := cmp.Diff(string(referenceIndent(t, compact)), string(got)); diff != "" {
			t.Errorf("indentJSON(%q) (-want +got):\n%s", compact, diff)
		}
		// The reference escapes the same way; jq must still read the output.
		if !json.Valid(got) {
			t.Errorf("indentJSON(%q) = %q, not valid JSON", compact, got)
		}
		// --json hands it the API's bytes as sent (white space, \/,
		// invalid UTF-8 and all): the output must hold the same value.
		asSent := indentJSON(nil, b)
		if !json.Valid(asSent) {
			t.Fatalf("indentJSON(%q) = %q, not valid JSON", b, asSent)
		}
		if diff := cmp.Diff(decodeNumbers(t, b), decodeNumbers(t, asSent)); diff != "" {
			t.Errorf("indentJSON(%q) = %q holds another value (-want +got):\n%s", b, asSent, diff)
		}
	})
}

func decodeNumbers(t *testing.T, b []byte) any {
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// FuzzCloudTable: a cloud list that decodes gives a table with a cell
// for every column in every row, one row per cloud, whatever fields the
// clouds carry besides those openapi.yaml declares.
func FuzzCloudTable(f *testing.F) {
	for _, name := range []string{"clouds.json", "undeclared_clouds.json", "hostile_clouds.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "api", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"clouds": [null, {"cloud_name": "a", "x": {"y": {"z": [1, {"w": 2}]}}, "x.y": "dup", "x": 3, "CLOUD_NAME": "b", "Geo_Region": "r"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var res api.ListCloudsResponse
		if json.Unmarshal(b, &res) != nil {
			return
		}
		raw, err := items(b, "clouds")
		if err != nil {
			t.Fatal(err)
		}
		header, rows := listOutput(raw, res.Clouds).table()
		if len(rows) != len(res.Clouds) {
			t.Fatalf("%d rows for %d clouds", len(rows), len(res.Clouds))
		}
		// A declared field with a value in some cloud was sent: it has a
		// column (a field no cloud carries has none, as in avn).
		tt := tableOf[api.Cloud]()
		for i := range res.Clouds {
			item := reflect.ValueOf(&res.Clouds[i]).Elem()
			for _, c := range tt.columns {
				if h := strings.ToUpper(c.name); c.text(item) != "" && !slices.Contains(header, h) {
					t.Errorf("header %q lacks %s, which cloud %d has", header, h, i)
				}
			}
		}
		if len(slices.Compact(slices.Sorted(slices.Values(header)))) != len(header) {
			t.Errorf("header %q names a column twice", header)
		}
		for i, r := range rows {
			if len(r) != len(header) {
				t.Fatalf("row %d has %d cells for %d columns", i, len(r), len(header))
			}
		}
	})
}

func BenchmarkWriteJSON(b *testing.B) {
	var body struct{ Clouds []map[string]any }
	if err := json.Unmarshal(cloudsBody(150), &body); err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	c := &cli{stdout: &out}
	for b.Loop() {
		out.Reset()
		if err := c.writeJSON(body.Clouds); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCloudTable is the table of 150 clouds, as cloud list prints
// it without --json: decoding aside, the work of the table code.
func BenchmarkCloudTable(b *testing.B) {
	body := cloudsBody(150)
	var res api.ListCloudsResponse
	if err := json.Unmarshal(body, &res); err != nil {
		b.Fatal(err)
	}
	raw, err := items(body, "clouds")
	if err != nil {
		b.Fatal(err)
	}
	c := &cli{stdout: io.Discard}
	for b.Loop() {
		if err := c.writeTable(listOutput(raw, res.Clouds).table()); err != nil {
			b.Fatal(err)
		}
	}
}
