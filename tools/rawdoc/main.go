// Command rawdoc rewrites the doc comments of the constructors oapi-codegen
// generates (NewClient, NewClientWithResponses) so that go doc marks them as
// the raw client and names api.New, the way in with the guarantees. It runs
// from go generate right after oapi-codegen (see gen.go), so the generated
// file stays generated: nothing in it is edited by hand, and oapi-codegen's
// own templates are used as they ship.
//
// Usage:
//
//	rawdoc -file ../api/api.gen.go
//
// Every function named here must exist in the file: when a new oapi-codegen
// renames one, rawdoc fails instead of leaving a constructor unmarked.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"sort"
	"strings"
)

// docs holds the doc comment each constructor gets, without the "// ".
var docs = map[string]string{
	"NewClient": `NewClient returns the raw generated client, without the guarantees of
New: no timeout, no retries, no cap on the body size, an http.Client{}
of its own when none is given, and no error for a status that is not
2xx. Use New unless you add all of those yourself.`,
	"NewClientWithResponses": `NewClientWithResponses returns the raw generated client with typed
results, without the guarantees of New: no timeout, no retries, no cap
on the body size, and err == nil for a 401, a 500 or a proxy's HTML page
(only HTTPResponse says what happened). New returns the same type with
all of those, and an *Error for every status that is not 2xx: use it.`,
}

func main() {
	file := flag.String("file", "", "the generated Go file to rewrite in place")
	flag.Parse()
	if *file == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: rawdoc -file path/to/api.gen.go")
		os.Exit(2)
	}
	if err := run(*file); err != nil {
		fmt.Fprintln(os.Stderr, "rawdoc:", err)
		os.Exit(1)
	}
}

func run(name string) error {
	src, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	out, err := rewrite(name, src, docs)
	if err != nil {
		return err
	}
	if bytes.Equal(out, src) {
		return nil
	}
	return os.WriteFile(name, out, 0o644)
}

// rewrite gives each top-level function named in docs the doc comment docs
// holds for it, replacing the one it had, and returns the formatted file.
func rewrite(name string, src []byte, docs map[string]string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	found := map[string]bool{}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil {
			continue
		}
		doc, want := docs[fd.Name.Name]
		if !want {
			continue
		}
		found[fd.Name.Name] = true
		start := fset.Position(fd.Pos()).Offset
		end := start
		if fd.Doc != nil {
			start = fset.Position(fd.Doc.Pos()).Offset
		}
		edits = append(edits, edit{start, end, comment(doc)})
	}
	var missing []string
	for n := range docs {
		if !found[n] {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("%s: no function %s: has the generator renamed it?", name, strings.Join(missing, ", "))
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
	out := bytes.Clone(src)
	for _, e := range edits {
		out = append(out[:e.start:e.start], append([]byte(e.text), out[e.end:]...)...)
	}
	return format.Source(out)
}

// comment turns text into // lines ending in a newline.
func comment(text string) string {
	var b strings.Builder
	for line := range strings.SplitSeq(text, "\n") {
		b.WriteString(strings.TrimRight("// "+line, " "))
		b.WriteByte('\n')
	}
	return b.String()
}
