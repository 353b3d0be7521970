package api_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// TestRawConstructorsPointToNew: go doc steers a user from the generated
// constructors, which skip every guarantee, to New: their doc comments
// (rewritten by tools/rawdoc after oapi-codegen) and the package doc say so.
func TestRawConstructorsPointToNew(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range []string{"api.gen.go", "doc.go"} {
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	pkg, err := doc.NewFromFiles(fset, files, "github.com/aivenapi/aivenapi/api")
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	for _, f := range pkg.Funcs {
		docs[f.Name] = f.Doc
	}
	for _, ty := range pkg.Types {
		for _, f := range ty.Funcs {
			docs[f.Name] = f.Doc
		}
	}
	for _, name := range []string{"NewClient", "NewClientWithResponses"} {
		d := docs[name]
		if !strings.HasPrefix(d, name+" returns the raw generated client") || !strings.Contains(d, "New:") || !strings.Contains(d, "no retries") {
			t.Errorf("doc of %s does not mark it raw and name New:\n%s", name, d)
		}
	}
	if !strings.Contains(pkg.Doc, "New is the way in") || !strings.Contains(pkg.Doc, "NewClientWithResponses") {
		t.Errorf("package doc does not steer to New:\n%s", pkg.Doc)
	}
}
