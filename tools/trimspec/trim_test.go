package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/speakeasy-api/openapi/overlay"
	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update", false, "rewrite testdata/want.yaml")

func testOptions(t *testing.T) options {
	t.Helper()
	ov, err := overlay.Parse("testdata/overlay.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return options{
		Keep:            []string{"PetList", "OwnerGet"},
		Drop:            []string{"x-codeSamples"},
		HoistServerPath: true,
		Overlay:         ov,
	}
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTrimGolden pins the whole output for a small description that has
// every feature trimming deals with.
func TestTrimGolden(t *testing.T) {
	res, err := trim(readFile(t, "testdata/upstream.json"), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("testdata/want.yaml", res.YAML, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := readFile(t, "testdata/want.yaml"); !bytes.Equal(res.YAML, want) {
		t.Errorf("trimmed description differs from testdata/want.yaml (go test -update rewrites it):\n%s", res.YAML)
	}
}

// TestTrimContent checks the properties the golden file is meant to show,
// so that a careless -update cannot bless a wrong output.
func TestTrimContent(t *testing.T) {
	res, err := trim(readFile(t, "testdata/upstream.json"), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Servers []struct{ URL string }
		Tags    []struct{ Name string }
		Paths   map[string]map[string]map[string]any
		Comps   map[string]map[string]any `yaml:"components"`
	}
	if err := yaml.Unmarshal(res.YAML, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "https://pets.example.com" {
		t.Errorf("servers = %+v, want the bare host https://pets.example.com", doc.Servers)
	}
	var paths []string
	for p, item := range doc.Paths {
		for m := range item {
			paths = append(paths, m+" "+p)
		}
	}
	if got, want := strings.Join(sorted(paths), ", "), "get /v1/owners/{owner}, get /v1/pets"; got != want {
		t.Errorf("operations = %s, want %s", got, want)
	}
	if _, ok := doc.Paths["/v1/pets"]["get"]["x-codeSamples"]; ok {
		t.Error("x-codeSamples survived -drop")
	}
	var tags []string
	for _, tg := range doc.Tags {
		tags = append(tags, tg.Name)
	}
	if got := strings.Join(tags, ","); got != "Pets,Owners" {
		t.Errorf("tags = %s, want Pets,Owners (Unused dropped, upstream order kept)", got)
	}
	want := map[string][]string{
		"schemas":         {"Owner", "Pet", "PetListResponse", "Problem"},
		"securitySchemes": {"oauth2", "tokenAuth"},
	}
	if len(doc.Comps) != len(want) {
		t.Errorf("component sections = %v, want %v", keys(doc.Comps), want)
	}
	for section, names := range want {
		if got := keys(doc.Comps[section]); strings.Join(got, ",") != strings.Join(names, ",") {
			t.Errorf("components.%s = %v, want %v", section, got, names)
		}
	}
	if params, _ := doc.Paths["/v1/owners/{owner}"]["get"]["parameters"].([]any); len(params) != 1 || params[0].(map[string]any)["name"] != "owner" {
		t.Errorf("OwnerGet parameters = %v, want the component parameter owner copied in", params)
	}
	pet := doc.Comps["schemas"]["Pet"].(map[string]any)["properties"].(map[string]any)
	friends := pet["friends"].(map[string]any)
	if _, ok := friends["properties"].(map[string]any)["ANY"]; ok {
		t.Error("the ANY pseudo-property survived the overlay")
	}
	if ap, _ := friends["additionalProperties"].(map[string]any); ap["type"] != "string" {
		t.Errorf("friends.additionalProperties = %v, want a string map", friends["additionalProperties"])
	}
	if _, ok := pet["kind"].(map[string]any)["enum"]; ok {
		t.Error("enum survived the overlay")
	}
	if f := pet["weight"].(map[string]any)["format"]; f != "double" {
		t.Errorf("weight format = %v, want double", f)
	}
}

// TestTrimDeterministic: the order in which the upstream producer wrote
// its keys does not change a byte of the output.
func TestTrimDeterministic(t *testing.T) {
	src := readFile(t, "testdata/upstream.json")
	first, err := trim(src, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(src, &v); err != nil {
		t.Fatal(err)
	}
	var reversed bytes.Buffer
	writeReversed(&reversed, v)
	again, err := trim(reversed.Bytes(), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.YAML, again.YAML) {
		t.Errorf("output depends on upstream key order:\n--- upstream order\n%s\n--- reversed\n%s", first.YAML, again.YAML)
	}
}

// writeReversed writes v as JSON with every object's keys in reverse
// sorted order.
func writeReversed(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case map[string]any:
		ks := sorted(keys(v))
		b.WriteByte('{')
		for i := len(ks) - 1; i >= 0; i-- {
			k, _ := json.Marshal(ks[i])
			b.Write(k)
			b.WriteByte(':')
			writeReversed(b, v[ks[i]])
			if i > 0 {
				b.WriteByte(',')
			}
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeReversed(b, e)
		}
		b.WriteByte(']')
	default:
		j, _ := json.Marshal(v)
		b.Write(j)
	}
}

func TestTrimErrors(t *testing.T) {
	base := readFile(t, "testdata/upstream.json")
	stale, err := overlay.Parse("testdata/overlay.yaml")
	if err != nil {
		t.Fatal(err)
	}
	stale.Actions = append(stale.Actions, overlay.Action{Target: "$.components.schemas.Gone", Remove: true})
	tests := []struct {
		name string
		src  []byte
		opt  func(*options)
		want string
	}{
		{"missing operation", base, func(o *options) { o.Keep = append(o.Keep, "NoSuchOp") }, "operations not found upstream: NoSuchOp"},
		{"stale overlay action", base, func(o *options) { o.Overlay = stale }, "overlay does not fit"},
		{"not OpenAPI 3", []byte(`{"swagger": "2.0", "paths": {}}`), nil, "not OpenAPI 3.x"},
		{"not an object", []byte(`[1, 2]`), nil, "not an object"},
		{"not JSON or YAML", []byte("{\"openapi\": "), nil, "parse upstream description"},
		{"no paths", []byte(`{"openapi": "3.0.1"}`), nil, "has no paths"},
		{"servers disagree", bytes.Replace(base, []byte(`[{"url": "https://pets.example.com/v1"}]`),
			[]byte(`[{"url": "https://pets.example.com/v1"}, {"url": "https://eu.pets.example.com/v2"}]`), 1), nil, "servers disagree"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := testOptions(t)
			if tt.opt != nil {
				tt.opt(&opt)
			}
			_, err := trim(tt.src, opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("trim() error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestRunFileAndURL: the command gives the same bytes from a file and from
// a URL, with a header naming the upstream's checksum.
func TestRunFileAndURL(t *testing.T) {
	src := readFile(t, "testdata/upstream.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/doc/openapi.json" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(src)
	}))
	defer srv.Close()

	dir := t.TempDir()
	outputs := map[string]string{"file": "testdata/upstream.json", "url": srv.URL + "/doc/openapi.json"}
	got := map[string][]byte{}
	for name, upstream := range outputs {
		out := filepath.Join(dir, name+".yaml")
		var stderr bytes.Buffer
		args := []string{"-upstream", upstream, "-overlay", "testdata/overlay.yaml", "-keep", "PetList,OwnerGet", "-drop", "x-codeSamples", "-o", out}
		if err := run(context.Background(), args, &bytes.Buffer{}, &stderr); err != nil {
			t.Fatalf("run from %s: %v (stderr: %s)", name, err, stderr.String())
		}
		got[name] = readFile(t, out)
	}
	if !bytes.Equal(got["file"], got["url"]) {
		t.Error("file and URL upstreams give different output")
	}
	sum := sha256.Sum256(src)
	if !bytes.Contains(got["file"], []byte(hex.EncodeToString(sum[:]))) {
		t.Error("output header does not carry the upstream's sha256")
	}
	if !bytes.HasSuffix(got["file"], readFile(t, "testdata/want.yaml")) {
		t.Error("output body is not testdata/want.yaml")
	}

	var stderr bytes.Buffer
	err := run(context.Background(), []string{"-upstream", srv.URL + "/missing", "-keep", "PetList"}, &bytes.Buffer{}, &stderr)
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("run with a missing URL: error = %v, want a 404", err)
	}
	if err := run(context.Background(), []string{"-upstream", "testdata/upstream.json"}, &bytes.Buffer{}, &stderr); err != flag.ErrHelp {
		t.Errorf("run without -keep: error = %v, want flag.ErrHelp", err)
	}
}

func keys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }
