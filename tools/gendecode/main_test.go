package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// module copies the Go files of testdata/name into a throwaway module
// (whose path lets it import the main module's internal packages) and
// returns its directory.
func module(t *testing.T, name string) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files, err := filepath.Glob(filepath.Join("testdata", name, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files in testdata/%s: %v", name, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mod := "module github.com/aivenapi/aivenapi/gendecodetest\n\ngo 1.26.0\n\n" +
		"require github.com/aivenapi/aivenapi v0.0.0\n\nreplace github.com/aivenapi/aivenapi => " + root + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "go", "mod", "tidy")
	return dir
}

func run(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestShapes generates the decoders of testdata/shapes, a package of
// every shape oapi-codegen writes (embedded structs, AdditionalProperties,
// nullable, maps of maps, interface{}, enums, named slices, every scalar,
// a handwritten type), and runs its test, which holds them to
// encoding/json; generating twice gives the same file.
func TestShapes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	dir := module(t, "shapes")
	src, err := generate(dir, "decode.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "decode.gen.go"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := generate(dir, "decode.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(src) {
		t.Error("a second run, over the first one's output, writes another file")
	}
	for _, want := range []string{"func parseGetBodyBody(", "func decodeOtherBody(", "func parseOtherBody(", "func decodeWord(r *jsonread.Reader, v *Word) { v.decodeJSON(r) }", `return missing("GetBody", len(data), "single")`} {
		if !strings.Contains(string(src), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	run(t, dir, "go", "vet", ".")
	run(t, dir, "go", "test", "-count=1", ".")
}

// TestUnknownShape: a field of a shape the generator does not know stops
// it with an error naming the field.
func TestUnknownShape(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	_, err := generate(module(t, "bad"), "decode.gen.go")
	if err == nil || !strings.Contains(err.Error(), "Body.Level") || !strings.Contains(err.Error(), "uint8") {
		t.Errorf("error %v, want one naming Body.Level and uint8", err)
	}
}
