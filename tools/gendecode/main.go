// Command gendecode writes the JSON decoders of the types oapi-codegen
// generates into package api: api/decode.gen.go. `go generate` runs it
// right after oapi-codegen (see gen.go at the root of the repository):
//
//	go run -C tools ./gendecode -dir ../api
//
// It loads package api with go/types (its own previous output left out, so
// that a stale decode.gen.go never stands in the way) and writes, for every
// type that a response body of any operation holds (the JSON... fields of
// the <Op>Result types oapi-codegen writes, and everything inside them):
//
//   - one decoder per struct, named, map, slice, pointer and
//     nullable.Nullable type, built from the runtime of internal/jsonread,
//     that gives what encoding/json.Unmarshal gives, with the fields matched
//     by their json tags (exactly, then case-insensitively, as encoding/json
//     does), embedded structs promoted by encoding/json's rules, and types
//     with AdditionalProperties decoded as the UnmarshalJSON that
//     oapi-codegen writes for them does;
//   - for the body of each operation's JSON 200 response, a function that
//     decodes a whole body, an UnmarshalJSON method when the type has none,
//     and a case of decodeResponse, the decoder that internal/json hands
//     the generated Parse functions' bodies to;
//   - decodedTypes, every decoded type with its decoder, so that the tests
//     hold each one to encoding/json without a list of their own.
//
// Handwritten types. A named type declared in a file of the package that
// is not generated (no "Code generated" header) decodes with its own
// method when *T has
//
//	func (*T) decodeJSON(r *jsonread.Reader)
//
// (api.Time and api.Tags do). Such a method must read one value as the
// type's UnmarshalJSON does.
//
// Result fields. A body is the result of its operation only if it holds
// the operation's result: its required properties (a field that is
// neither a pointer nor tagged omitempty) that are an object of a
// generated struct type or a list of such objects, such as "clouds",
// "projects", "user". A body in which one of them is absent or null is an
// error (BodyError, "has no ..."), so that after a nil error the result
// is there. Required maps, lists of scalars and scalars are not result
// fields: Aiven leaves them out of bodies, and an absent one decodes to
// its zero value. The list of a result is read with jsonread.ReadList,
// which sizes it from the body.
//
// A type with an UnmarshalJSON method of its own (time.Time,
// json.RawMessage, the unions oapi-codegen writes for oneOf) and no
// decodeJSON method is handed its value's text, as encoding/json does
// (jsonread.Reader.Unmarshal).
//
// Any shape it does not know (a map whose keys are not strings, an
// unsigned or 8-bit integer other than the bytes of a []byte (format
// byte, read from base64 as encoding/json does), a channel, a type with only an UnmarshalText
// method, a ",string" tag option, ...) is an error naming the type and the
// field: a field is never skipped.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"log"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

const (
	runtimePath  = "github.com/aivenapi/aivenapi/internal/jsonread"
	nullablePath = "github.com/oapi-codegen/nullable"
	handwritten  = "decodeJSON"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("gendecode: ")
	dir := flag.String("dir", "../api", "directory of the package to write decoders for")
	out := flag.String("o", "decode.gen.go", "file to write, in -dir")
	flag.Parse()
	src, err := generate(*dir, *out)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*dir, *out), src, 0o644); err != nil {
		log.Fatal(err)
	}
}

// generate loads the package in dir, leaving out the file out, and
// returns the decoders' source.
func generate(dir, out string) ([]byte, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	target := filepath.Join(abs, out)
	name, err := packageName(abs, target)
	if err != nil {
		return nil, err
	}
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedFiles,
		Dir:  abs,
		// The previous output is left out: it may not fit the types any
		// more.
		Overlay: map[string][]byte{target: []byte("package " + name + "\n")},
	}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", dir, err)
	}
	if len(pkgs) != 1 {
		return nil, fmt.Errorf("load %s: %d packages", dir, len(pkgs))
	}
	pkg := pkgs[0]
	if pkg.Types == nil || pkg.TypesInfo == nil {
		return nil, fmt.Errorf("load %s: no types: %v", dir, pkg.Errors)
	}
	for _, e := range pkg.Errors {
		// Handwritten code may call decoders that are not written yet;
		// only a file that does not parse stops the generator.
		if e.Kind == packages.ParseError {
			return nil, fmt.Errorf("load %s: %v", dir, e)
		}
	}
	g := newGen(pkg, target)
	if err := g.run(); err != nil {
		return nil, err
	}
	src, err := format.Source(g.buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format the output: %w\n%s", err, g.buf.Bytes())
	}
	return src, nil
}

// packageName returns the package clause of the Go files in dir other
// than skip.
func packageName(dir, skip string) (string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return "", err
	}
	for _, p := range paths {
		if p == skip || strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.PackageClauseOnly)
		if err != nil {
			return "", err
		}
		return f.Name.Name, nil
	}
	return "", fmt.Errorf("no Go files in %s", dir)
}

type gen struct {
	pkg *packages.Package
	// generated are the named types declared in generated files; own the
	// handwritten types with a decodeJSON method.
	generated map[*types.TypeName]bool
	own       map[*types.TypeName]bool
	// funcs maps a type's key to its decoder's name; done the decoders
	// written; queue the types whose decoders are still to write.
	funcs map[string]string
	names map[string]string // decoder name -> type key, to catch clashes
	queue []types.Type
	// named are the generated named types decoded, for decodedTypes.
	named  []*types.TypeName
	routes []route
	// imports are the packages the output names, by path.
	imports map[string]string
	body    bytes.Buffer
	buf     bytes.Buffer
}

// route is the body of an operation's JSON 200 response.
type route struct {
	op      string
	typ     types.Type
	results []resultField
}

type resultField struct {
	goName, jsonName string
	list             bool // a slice (else a struct)
}

func newGen(pkg *packages.Package, target string) *gen {
	g := &gen{
		pkg: pkg, generated: map[*types.TypeName]bool{}, own: map[*types.TypeName]bool{},
		funcs: map[string]string{}, names: map[string]string{}, imports: map[string]string{},
	}
	isGen := map[string]bool{}
	for _, f := range pkg.Syntax {
		isGen[pkg.Fset.File(f.Pos()).Name()] = ast.IsGenerated(f)
	}
	scope := pkg.Types.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		file := pkg.Fset.File(tn.Pos()).Name()
		switch {
		case file == target:
		case isGen[file]:
			g.generated[tn] = true
		case hasDecodeMethod(tn):
			g.own[tn] = true
		}
	}
	return g
}

// hasDecodeMethod reports whether *T has the method of the convention.
func hasDecodeMethod(tn *types.TypeName) bool {
	obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(tn.Type()), false, tn.Pkg(), handwritten)
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig := fn.Type().(*types.Signature)
	if sig.Params().Len() != 1 || sig.Results().Len() != 0 {
		return false
	}
	return isRuntimeReader(sig.Params().At(0).Type())
}

func isRuntimeReader(t types.Type) bool {
	p, ok := t.(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := p.Elem().(*types.Named)
	return ok && n.Obj().Name() == "Reader" && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == runtimePath
}

func (g *gen) printf(format string, args ...any) { fmt.Fprintf(&g.body, format, args...) }

func (g *gen) run() error {
	scope := g.pkg.Types.Scope()
	// The operations: every <Op>WithResponse method of ClientWithResponses
	// returns its *<Op>Result; the JSON fields of that are the bodies.
	cwr, _ := scope.Lookup("ClientWithResponses").(*types.TypeName)
	if cwr == nil {
		return fmt.Errorf("package %s has no ClientWithResponses: is it oapi-codegen's client?", g.pkg.Name)
	}
	mset := types.NewMethodSet(types.NewPointer(cwr.Type()))
	var ops []string
	results := map[string]*types.Struct{}
	for i := range mset.Len() {
		fn := mset.At(i).Obj().(*types.Func)
		op, ok := strings.CutSuffix(fn.Name(), "WithResponse")
		if !ok || op == "" {
			continue
		}
		sig := fn.Type().(*types.Signature)
		if sig.Results().Len() != 2 {
			continue
		}
		p, ok := sig.Results().At(0).Type().(*types.Pointer)
		if !ok {
			continue
		}
		st, ok := p.Elem().Underlying().(*types.Struct)
		if !ok {
			continue
		}
		ops = append(ops, op)
		results[op] = st
	}
	sort.Strings(ops)
	seenBody := map[string]string{}
	for _, op := range ops {
		st := results[op]
		for i := range st.NumFields() {
			f := st.Field(i)
			if !strings.HasPrefix(f.Name(), "JSON") {
				continue
			}
			p, ok := f.Type().(*types.Pointer)
			if !ok {
				return fmt.Errorf("%s result: field %s is %s, want a pointer", op, f.Name(), f.Type())
			}
			if _, err := g.decoder(p.Elem(), op+"."+f.Name()); err != nil {
				return err
			}
			if f.Name() != "JSON200" {
				continue
			}
			key := types.TypeString(p.Elem(), g.qual)
			if other, dup := seenBody[key]; dup {
				return fmt.Errorf("%s and %s both answer 200 with %s: name the bodies apart in the overlay", other, op, key)
			}
			seenBody[key] = op
			rt := route{op: op, typ: p.Elem()}
			if n, ok := p.Elem().(*types.Named); ok && g.generated[n.Obj()] {
				if st, ok := n.Underlying().(*types.Struct); ok {
					rs, err := g.resultFields(n, st)
					if err != nil {
						return err
					}
					rt.results = rs
				}
			}
			g.routes = append(g.routes, rt)
		}
	}
	for len(g.queue) > 0 {
		t := g.queue[0]
		g.queue = g.queue[1:]
		if err := g.write(t); err != nil {
			return err
		}
	}
	g.writeRoutes()
	g.writeTable()

	b := &g.buf
	fmt.Fprintf(b, "// Code generated by tools/gendecode from the types of package %s. DO NOT EDIT.\n\n", g.pkg.Name)
	fmt.Fprintf(b, "package %s\n\n", g.pkg.Name)
	g.imports[runtimePath] = "jsonread"
	paths := make([]string, 0, len(g.imports))
	byName := map[string]string{}
	for path, name := range g.imports {
		if other, ok := byName[name]; ok {
			return fmt.Errorf("packages %s and %s are both named %s", other, path, name)
		}
		byName[name] = path
		paths = append(paths, path)
	}
	sort.Strings(paths)
	fmt.Fprintf(b, "import (\n")
	for _, path := range paths {
		fmt.Fprintf(b, "\t%q\n", path)
	}
	fmt.Fprintf(b, ")\n\n")
	b.Write(g.body.Bytes())
	return nil
}

func (g *gen) qual(p *types.Package) string {
	if p == g.pkg.Types {
		return ""
	}
	g.imports[p.Path()] = p.Name()
	return p.Name()
}

// typeString writes t as the generated file names it.
func (g *gen) typeString(t types.Type) string { return types.TypeString(t, g.qual) }

// resultFields returns the result fields of a body type (see the package
// documentation).
func (g *gen) resultFields(n *types.Named, st *types.Struct) ([]resultField, error) {
	var out []resultField
	for i := range st.NumFields() {
		f := st.Field(i)
		name, opts, skip := jsonName(f, st.Tag(i))
		if skip || f.Embedded() || strings.Contains(opts, "omitempty") {
			continue
		}
		switch t := f.Type().(type) {
		case *types.Slice:
			if g.isObject(t.Elem()) {
				out = append(out, resultField{f.Name(), name, true})
			}
		case *types.Named:
			if g.isObject(t) && !hasAdditional(t) {
				out = append(out, resultField{f.Name(), name, false})
			}
		}
	}
	if len(out) > 64 {
		return nil, fmt.Errorf("%s: more than 64 result fields", n.Obj().Name())
	}
	return out, nil
}

// isObject reports whether t is a struct type of the generated code.
func (g *gen) isObject(t types.Type) bool {
	n, ok := t.(*types.Named)
	if !ok || !g.generated[n.Obj()] {
		return false
	}
	_, ok = n.Underlying().(*types.Struct)
	return ok
}

// jsonName returns the JSON name of a struct field and its tag options,
// or skip for a field encoding/json ignores.
func jsonName(f *types.Var, tag string) (name, opts string, skip bool) {
	t := reflect.StructTag(tag).Get("json")
	if t == "-" {
		return "", "", true
	}
	name, opts, _ = strings.Cut(t, ",")
	if !f.Exported() && !f.Embedded() {
		return "", "", true
	}
	if name == "" {
		name = f.Name()
	}
	return name, opts, false
}

// hasAdditional reports whether a struct is one of oapi-codegen's with
// AdditionalProperties (and its own UnmarshalJSON).
func hasAdditional(n *types.Named) bool {
	st, ok := n.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := range st.NumFields() {
		if st.Field(i).Name() == "AdditionalProperties" && reflect.StructTag(st.Tag(i)).Get("json") == "-" {
			if _, ok := st.Field(i).Type().(*types.Map); ok {
				return true
			}
		}
	}
	return false
}

// hasUnmarshalJSON reports whether *t is a json.Unmarshaler, other than
// one of oapi-codegen's types with AdditionalProperties (whose
// UnmarshalJSON the generated decoder follows).
func hasUnmarshalJSON(t *types.Named) bool {
	if hasAdditional(t) {
		return false
	}
	obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(t), false, t.Obj().Pkg(), "UnmarshalJSON")
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig := fn.Type().(*types.Signature)
	if sig.Params().Len() != 1 || sig.Results().Len() != 1 {
		return false
	}
	s, ok := sig.Params().At(0).Type().(*types.Slice)
	return ok && types.Identical(s.Elem(), types.Typ[types.Byte]) && sig.Results().At(0).Type().String() == "error"
}

// hasMethod reports whether t or *t has the method.
func hasMethod(t types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(t), false, nil, name)
	_, ok := obj.(*types.Func)
	return ok
}

// call returns a statement that decodes into ptr (an expression of type
// *t) with reader r.
func (g *gen) call(t types.Type, r, ptr, where string) (string, error) {
	if isBytes(t) {
		return fmt.Sprintf("%s.SetBytes(%s)", r, ptr), nil
	}
	if b, ok := t.(*types.Basic); ok {
		m, err := basicMethod(b, where)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s.%s(%s)", r, m, ptr), nil
	}
	if p, ok := t.(*types.Pointer); ok {
		if b, ok := p.Elem().(*types.Basic); ok {
			switch b.Kind() {
			case types.String:
				return fmt.Sprintf("%s.SetStringPtr(%s)", r, ptr), nil
			case types.Float64:
				return fmt.Sprintf("%s.SetFloat64Ptr(%s)", r, ptr), nil
			}
		}
	}
	if isEmptyInterface(t) {
		if v, ok := strings.CutPrefix(ptr, "&"); ok {
			return fmt.Sprintf("%s = %s.Any()", v, r), nil
		}
		return fmt.Sprintf("*%s = %s.Any()", ptr, r), nil
	}
	fn, err := g.decoder(t, where)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s(%s, %s)", fn, r, ptr), nil
}

// funcValue returns an expression of type func(*jsonread.Reader, *t).
func (g *gen) funcValue(t types.Type, where string) (string, error) {
	if isBytes(t) {
		return "(*jsonread.Reader).SetBytes", nil
	}
	if b, ok := t.(*types.Basic); ok {
		m, err := basicMethod(b, where)
		if err != nil {
			return "", err
		}
		return "(*jsonread.Reader)." + m, nil
	}
	if p, ok := t.(*types.Pointer); ok {
		if b, ok := p.Elem().(*types.Basic); ok {
			switch b.Kind() {
			case types.String:
				return "(*jsonread.Reader).SetStringPtr", nil
			case types.Float64:
				return "(*jsonread.Reader).SetFloat64Ptr", nil
			}
		}
	}
	if isEmptyInterface(t) {
		return "(*jsonread.Reader).SetAny", nil
	}
	return g.decoder(t, where)
}

func basicMethod(b *types.Basic, where string) (string, error) {
	switch b.Kind() {
	case types.String:
		return "SetString", nil
	case types.Bool:
		return "SetBool", nil
	case types.Int:
		return "SetInt", nil
	case types.Int64:
		return "SetInt64", nil
	case types.Int32:
		return "SetInt32", nil
	case types.Float64:
		return "SetFloat64", nil
	case types.Float32:
		return "SetFloat32", nil
	}
	return "", fmt.Errorf("%s: no decoder for %s (teach tools/gendecode and internal/jsonread)", where, b)
}

// isBytes reports whether t is []byte (a string of format byte), which
// encoding/json reads from base64 and jsonread.Reader.SetBytes as it does.
func isBytes(t types.Type) bool {
	s, ok := types.Unalias(t).(*types.Slice)
	if !ok {
		return false
	}
	b, ok := types.Unalias(s.Elem()).(*types.Basic)
	return ok && b.Kind() == types.Uint8
}

func isEmptyInterface(t types.Type) bool {
	i, ok := t.(*types.Interface)
	return ok && i.Empty()
}

// isNullable returns T of nullable.Nullable[T].
func isNullable(t types.Type) (types.Type, bool) {
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != nullablePath || n.Obj().Name() != "Nullable" || n.TypeArgs().Len() != 1 {
		return nil, false
	}
	return n.TypeArgs().At(0), true
}

// decoder returns the name of the function that decodes t, queueing it to
// be written; where names the field for errors.
func (g *gen) decoder(t types.Type, where string) (string, error) {
	key := g.typeString(t)
	if fn, ok := g.funcs[key]; ok {
		return fn, nil
	}
	name, err := g.mangle(t, where)
	if err != nil {
		return "", err
	}
	fn := "decode" + name
	if other, ok := g.names[fn]; ok && other != key {
		return "", fmt.Errorf("%s: decoders of %s and %s would both be %s", where, other, key, fn)
	}
	g.names[fn] = key
	g.funcs[key] = fn
	g.queue = append(g.queue, t)
	return fn, nil
}

// mangle names t's decoder, and checks that the shape is one it knows.
func (g *gen) mangle(t types.Type, where string) (string, error) {
	if e, ok := isNullable(t); ok {
		n, err := g.mangle(e, where)
		return "NullableOf" + n, err
	}
	switch t := t.(type) {
	case *types.Basic:
		if _, err := basicMethod(t, where); err != nil {
			return "", err
		}
		return strings.ToUpper(t.Name()[:1]) + t.Name()[1:], nil
	case *types.Pointer:
		n, err := g.mangle(t.Elem(), where)
		return "PtrTo" + n, err
	case *types.Slice:
		if isBytes(t) {
			return "Bytes", nil
		}
		n, err := g.mangle(t.Elem(), where)
		return "SliceOf" + n, err
	case *types.Map:
		if b, ok := t.Key().(*types.Basic); !ok || b.Kind() != types.String {
			return "", fmt.Errorf("%s: no decoder for %s: map keys must be strings", where, t)
		}
		n, err := g.mangle(t.Elem(), where)
		return "MapOf" + n, err
	case *types.Interface:
		if !t.Empty() {
			return "", fmt.Errorf("%s: no decoder for %s", where, t)
		}
		return "Any", nil
	case *types.Alias:
		return g.mangle(types.Unalias(t), where)
	case *types.Named:
		obj := t.Obj()
		if !g.own[obj] && hasUnmarshalJSON(t) {
			// Decoded by its own UnmarshalJSON, as encoding/json does.
			if obj.Pkg() != nil && obj.Pkg() != g.pkg.Types {
				return strings.ToUpper(obj.Pkg().Name()[:1]) + obj.Pkg().Name()[1:] + obj.Name(), nil
			}
			return obj.Name(), nil
		}
		if obj.Pkg() != g.pkg.Types || (!g.generated[obj] && !g.own[obj]) {
			return "", fmt.Errorf("%s: no decoder for %s: not generated in package %s, and no method %s(*jsonread.Reader) declares how it decodes", where, g.typeString(t), g.pkg.Name, handwritten)
		}
		if t.TypeArgs().Len() != 0 {
			return "", fmt.Errorf("%s: no decoder for generic type %s", where, g.typeString(t))
		}
		return obj.Name(), nil
	}
	return "", fmt.Errorf("%s: no decoder for %s (teach tools/gendecode)", where, g.typeString(t))
}

// write writes the decoder of t.
func (g *gen) write(t types.Type) error {
	fn := g.funcs[g.typeString(t)]
	ts := g.typeString(t)
	if e, ok := isNullable(t); ok {
		c, err := g.call(e, "r", "&x", ts)
		if err != nil {
			return err
		}
		g.printf("// %s reads a %s as its UnmarshalJSON does: null sets it null,\n// and a value is read into a new value.\n", fn, ts)
		g.printf("func %s(r *jsonread.Reader, v *%s) {\n\tif r.Null() {\n\t\tv.SetNull()\n\t\treturn\n\t}\n\tvar x %s\n\t%s\n\tif !r.Failed() {\n\t\tv.Set(x)\n\t}\n}\n\n", fn, ts, g.typeString(e), c)
		return nil
	}
	switch u := t.(type) {
	case *types.Basic:
		m, _ := basicMethod(u, ts)
		g.printf("func %s(r *jsonread.Reader, v *%s) { r.%s(v) }\n\n", fn, ts, m)
	case *types.Pointer:
		c, err := g.call(u.Elem(), "r", "*v", ts)
		if err != nil {
			return err
		}
		g.printf("// %s reads into the %s *v points to, a new one if nil; null sets nil.\n", fn, g.typeString(u.Elem()))
		g.printf("func %s(r *jsonread.Reader, v *%s) {\n\tif r.Null() {\n\t\t*v = nil\n\t\treturn\n\t}\n\tif *v == nil {\n\t\t*v = new(%s)\n\t}\n\t%s\n}\n\n", fn, ts, g.typeString(u.Elem()), c)
	case *types.Slice:
		f, err := g.funcValue(u.Elem(), ts)
		if err != nil {
			return err
		}
		g.printf("func %s(r *jsonread.Reader, v *%s) { jsonread.ReadSlice(r, v, %s) }\n\n", fn, ts, f)
	case *types.Map:
		c, err := g.call(u.Elem(), "r", "&x", ts)
		if err != nil {
			return err
		}
		g.printf("// %s reads an object into *v as encoding/json does: null sets nil,\n// keys are added to the map there is, each value read into a new one.\n", fn)
		g.printf("func %s(r *jsonread.Reader, v *%s) {\n\tif r.Null() {\n\t\t*v = nil\n\t\treturn\n\t}\n\tif !r.Object() {\n\t\treturn\n\t}\n\tif *v == nil {\n\t\t*v = %s{}\n\t}\n", fn, ts, ts)
		g.printf("\tfor first := true; ; {\n\t\tkey, ok := r.Field(&first)\n\t\tif !ok {\n\t\t\treturn\n\t\t}\n\t\tk := r.NewString(key)\n\t\tvar x %s\n\t\t%s\n\t\t(*v)[k] = x\n\t}\n}\n\n", g.typeString(u.Elem()), c)
	case *types.Interface:
		g.printf("func %s(r *jsonread.Reader, v *any) { *v = r.Any() }\n\n", fn)
	case *types.Named:
		return g.writeNamed(u, fn)
	default:
		return fmt.Errorf("%s: no decoder (teach tools/gendecode)", ts)
	}
	return nil
}

func (g *gen) writeNamed(n *types.Named, fn string) error {
	obj := n.Obj()
	name := g.typeString(n)
	if g.own[obj] {
		g.printf("func %s(r *jsonread.Reader, v *%s) { v.%s(r) }\n\n", fn, name, handwritten)
		return nil
	}
	if hasUnmarshalJSON(n) {
		g.printf("// %s hands the value to %s.UnmarshalJSON, as encoding/json does.\n", fn, name)
		g.printf("func %s(r *jsonread.Reader, v *%s) { r.Unmarshal(v) }\n\n", fn, name)
		if g.generated[obj] {
			g.named = append(g.named, obj)
		}
		return nil
	}
	if hasMethod(n, "UnmarshalText") {
		return fmt.Errorf("%s: has an UnmarshalText method, which tools/gendecode does not follow: give it a %s(*jsonread.Reader) method in a handwritten file", name, handwritten)
	}
	g.named = append(g.named, obj)
	switch u := n.Underlying().(type) {
	case *types.Struct:
		if hasAdditional(n) {
			return g.writeAdditional(n, u, fn)
		}
		return g.writeStruct(n, u, fn)
	case *types.Basic, *types.Slice, *types.Map, *types.Pointer, *types.Interface:
		c, err := g.call(u, "r", fmt.Sprintf("(*%s)(v)", g.typeString(u)), name)
		if err != nil {
			return err
		}
		g.printf("func %s(r *jsonread.Reader, v *%s) { %s }\n\n", fn, name, c)
		return nil
	}
	return fmt.Errorf("%s: no decoder for %s (teach tools/gendecode)", name, n.Underlying())
}

// field is a field as encoding/json sees it: its JSON name and the path
// to it through embedded structs.
type field struct {
	name   string
	path   []*types.Var // the embedded fields, then the field
	tagged bool
	typ    types.Type
}

// fields returns the fields of a struct that encoding/json decodes, in
// its order, promoted from embedded structs by its rules: of the fields
// of one name, the shallowest wins, or the one tagged among them; if still
// more than one, none does.
func (g *gen) fields(n *types.Named, st *types.Struct) ([]field, error) {
	var all []field
	var walk func(st *types.Struct, path []*types.Var, seen map[*types.Struct]bool) error
	walk = func(st *types.Struct, path []*types.Var, seen map[*types.Struct]bool) error {
		if seen[st] {
			return nil
		}
		seen[st] = true
		for i := range st.NumFields() {
			f := st.Field(i)
			tag := st.Tag(i)
			where := n.Obj().Name() + "." + f.Name()
			name, opts, skip := jsonName(f, tag)
			if skip {
				continue
			}
			for o := range strings.SplitSeq(opts, ",") {
				switch o {
				case "", "omitempty", "omitzero":
				default:
					return fmt.Errorf("%s: no decoder for the json tag option %q", where, o)
				}
			}
			p := append(append([]*types.Var(nil), path...), f)
			hasName := reflect.StructTag(tag).Get("json") != "" && !strings.HasPrefix(reflect.StructTag(tag).Get("json"), ",")
			if f.Embedded() && !hasName {
				et := f.Type()
				if ptr, ok := et.(*types.Pointer); ok {
					et = ptr.Elem()
				}
				if hasMethod(et, "UnmarshalJSON") || hasMethod(et, "UnmarshalText") {
					return fmt.Errorf("%s: embeds a type with its own UnmarshalJSON, which encoding/json would use for all of %s; tools/gendecode cannot follow that", where, n.Obj().Name())
				}
				if est, ok := et.Underlying().(*types.Struct); ok {
					if _, isPtr := f.Type().(*types.Pointer); isPtr && !f.Exported() {
						return fmt.Errorf("%s: embeds a pointer to an unexported struct", where)
					}
					if err := walk(est, p, seen); err != nil {
						return err
					}
					continue
				}
				if !f.Exported() {
					continue
				}
			}
			all = append(all, field{name: name, path: p, tagged: hasName, typ: f.Type()})
		}
		delete(seen, st)
		return nil
	}
	if err := walk(st, nil, map[*types.Struct]bool{}); err != nil {
		return nil, err
	}
	byName := map[string][]int{}
	for i, f := range all {
		byName[f.name] = append(byName[f.name], i)
	}
	var out []field
	for i, f := range all {
		idx := byName[f.name]
		best := -1
		depth := 1 << 30
		for _, j := range idx {
			depth = min(depth, len(all[j].path))
		}
		var shallow []int
		for _, j := range idx {
			if len(all[j].path) == depth {
				shallow = append(shallow, j)
			}
		}
		if len(shallow) == 1 {
			best = shallow[0]
		} else {
			var tagged []int
			for _, j := range shallow {
				if all[j].tagged {
					tagged = append(tagged, j)
				}
			}
			if len(tagged) == 1 {
				best = tagged[0]
			}
		}
		if best == i {
			out = append(out, f)
		}
	}
	return out, nil
}

// access returns an expression for a pointer to the field, and the
// statements that allocate the embedded pointers on the way.
func (g *gen) access(f field) (ptr, alloc string) {
	expr := "v"
	var b strings.Builder
	for i, v := range f.path {
		expr += "." + v.Name()
		if i < len(f.path)-1 {
			if p, ok := v.Type().(*types.Pointer); ok {
				fmt.Fprintf(&b, "if %s == nil {\n%s = new(%s)\n}\n", expr, expr, g.typeString(p.Elem()))
			}
		}
	}
	return "&" + expr, b.String()
}

func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }

func (g *gen) writeStruct(n *types.Named, st *types.Struct, fn string) error {
	name := n.Obj().Name()
	fs, err := g.fields(n, st)
	if err != nil {
		return err
	}
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = strconv.Quote(f.name)
	}
	namesVar := lowerFirst(name) + "Names"
	g.printf("// %s are the JSON names of %s's fields,\n// for keys that match one only case-insensitively.\nvar %s = jsonread.NewNames(%s)\n\n", namesVar, name, namesVar, strings.Join(names, ", "))
	g.printf("// %s reads an object into v,\n// setting the fields present as encoding/json does; null leaves v.\n", fn)
	g.printf("func %s(r *jsonread.Reader, v *%s) {\n\tif !r.Object() {\n\t\treturn\n\t}\n", fn, name)
	g.printf("\tfor first := true; ; {\n\t\tkey, ok := r.Field(&first)\n\t\tif !ok {\n\t\t\treturn\n\t\t}\n")
	g.printf("\t\tif !%sField(r, v, key) {\n\t\t\tif k := %s.Fold(key); k == nil || string(k) == string(key) || !%sField(r, v, k) {\n\t\t\t\tr.Skip()\n\t\t\t}\n\t\t}\n\t}\n}\n\n", fn, namesVar, fn)
	g.printf("// %sField reads the value of the field named key,\n// and reports false if there is none.\n", fn)
	g.printf("func %sField(r *jsonread.Reader, v *%s, key []byte) bool {\n\tswitch string(key) {\n", fn, name)
	for _, f := range fs {
		ptr, alloc := g.access(f)
		c, err := g.call(f.typ, "r", ptr, name+"."+f.path[len(f.path)-1].Name())
		if err != nil {
			return err
		}
		g.printf("\tcase %s:\n\t\t%s%s\n", strconv.Quote(f.name), alloc, c)
	}
	g.printf("\tdefault:\n\t\treturn false\n\t}\n\treturn true\n}\n\n")
	return nil
}

// writeAdditional writes the decoder of a struct with
// AdditionalProperties, which follows the UnmarshalJSON oapi-codegen
// writes for it: keys match exactly, the last of a repeated key counts,
// each property is read from its own text into the field there is, and
// the other keys, if any, replace AdditionalProperties.
func (g *gen) writeAdditional(n *types.Named, st *types.Struct, fn string) error {
	name := n.Obj().Name()
	type prop struct {
		name string
		f    *types.Var
	}
	var props []prop
	var extra types.Type
	for i := range st.NumFields() {
		f := st.Field(i)
		if f.Name() == "AdditionalProperties" {
			extra = f.Type().(*types.Map).Elem()
			continue
		}
		if f.Embedded() {
			return fmt.Errorf("%s.%s: embedded field in a type with AdditionalProperties", name, f.Name())
		}
		jn, _, skip := jsonName(f, st.Tag(i))
		if skip {
			continue
		}
		props = append(props, prop{jn, f})
	}
	g.printf("// %s reads an object into v as %s.UnmarshalJSON does: keys\n// match exactly, the last of a repeated key counts, and the keys of no\n// field, if any, replace AdditionalProperties.\n", fn, name)
	g.printf("func %s(r *jsonread.Reader, v *%s) {\n\tif !r.Object() {\n\t\treturn\n\t}\n", fn, name)
	g.printf("\ttype raw struct {\n\t\ttext   []byte\n\t\toffset int\n\t}\n")
	if len(props) > 0 {
		g.printf("\tvar known [%d]raw\n", len(props))
	}
	g.printf("\tvar others map[string]raw\n")
	// The key is matched before the value is read: reading it may
	// overwrite the key.
	g.printf("\tfor first := true; ; {\n\t\tkey, ok := r.Field(&first)\n\t\tif !ok {\n\t\t\tbreak\n\t\t}\n\t\ti, k := -1, \"\"\n\t\tswitch string(key) {\n")
	for i, p := range props {
		g.printf("\t\tcase %s:\n\t\t\ti = %d\n", strconv.Quote(p.name), i)
	}
	g.printf("\t\tdefault:\n\t\t\tk = r.NewString(key)\n\t\t}\n\t\tvar x raw\n\t\tx.text, x.offset = r.Raw()\n")
	if len(props) > 0 {
		g.printf("\t\tif i >= 0 {\n\t\t\tknown[i] = x\n\t\t\tcontinue\n\t\t}\n")
	}
	g.printf("\t\tif others == nil {\n\t\t\tothers = map[string]raw{}\n\t\t}\n\t\tothers[k] = x\n\t}\n\tif r.Failed() {\n\t\treturn\n\t}\n")
	for i, p := range props {
		c, err := g.call(p.f.Type(), "(&part)", "&v."+p.f.Name(), name+"."+p.f.Name())
		if err != nil {
			return err
		}
		g.printf("\tif x := known[%d]; x.text != nil {\n\t\tpart := r.Part(x.text, x.offset)\n\t\t%s\n\t\tr.Adopt(&part)\n\t}\n", i, c)
	}
	c, err := g.call(extra, "(&part)", "&y", name+".AdditionalProperties")
	if err != nil {
		return err
	}
	g.printf("\tif len(others) != 0 {\n\t\tv.AdditionalProperties = make(%s, len(others))\n\t\tfor k, x := range others {\n\t\t\tpart := r.Part(x.text, x.offset)\n\t\t\tvar y %s\n\t\t\t%s\n\t\t\tr.Adopt(&part)\n\t\t\tv.AdditionalProperties[k] = y\n\t\t}\n\t}\n}\n\n",
		g.typeString(types.NewMap(types.Typ[types.String], extra)), g.typeString(extra), c)
	return nil
}

func (g *gen) writeRoutes() {
	g.printf("// decodeResponse decodes the body of a JSON 200 response of any\n// operation; it reports false for a type that is no such body.\n")
	g.printf("func decodeResponse(data []byte, v any) (bool, error) {\n\tswitch v := v.(type) {\n")
	for _, rt := range g.routes {
		g.printf("\tcase *%s:\n\t\tif v == nil {\n\t\t\treturn false, nil\n\t\t}\n\t\treturn true, parse%sBody(data, v)\n", g.typeString(rt.typ), rt.op)
	}
	g.printf("\t}\n\treturn false, nil\n}\n\n")
	for _, rt := range g.routes {
		ts := g.typeString(rt.typ)
		fn := g.funcs[ts]
		n, named := rt.typ.(*types.Named)
		if named && g.generated[n.Obj()] && !hasMethod(n, "UnmarshalJSON") {
			g.printf("// UnmarshalJSON decodes the body of a %s response.\nfunc (v *%s) UnmarshalJSON(data []byte) error { return parse%sBody(data, v) }\n\n", rt.op, ts, rt.op)
		}
		g.printf("// parse%sBody decodes the body of a %s response,\n// which must hold its result", rt.op, rt.op)
		var quoted []string
		for _, f := range rt.results {
			quoted = append(quoted, strconv.Quote(f.jsonName))
		}
		if len(quoted) > 0 {
			g.printf(" (%s)", strings.Join(quoted, ", "))
		}
		g.printf(".\nfunc parse%sBody(data []byte, v *%s) error {\n\tif v == nil {\n\t\treturn nil\n\t}\n\tvar r jsonread.Reader\n\tr.Reset(data)\n", rt.op, ts)
		var structs []resultField
		for _, f := range rt.results {
			if !f.list {
				structs = append(structs, f)
			}
		}
		if len(rt.results) == 0 {
			g.printf("\t%s(&r, v)\n", fn)
		} else {
			if len(structs) > 0 {
				g.printf("\tvar seen [%d]bool\n", len(structs))
			}
			field := fn + "Field"
			g.printf("\tresult := func(key []byte) bool {\n\t\tswitch string(key) {\n")
			si := 0
			for _, f := range rt.results {
				g.printf("\t\tcase %s:\n", strconv.Quote(f.jsonName))
				ft := g.typeString(fieldType(rt.typ, f.goName))
				if f.list {
					elem := fieldType(rt.typ, f.goName).(*types.Slice).Elem()
					fv, _ := g.funcValue(elem, rt.op)
					g.printf("\t\t\tjsonread.ReadList(&r, &v.%s, %s)\n", f.goName, fv)
				} else {
					g.printf("\t\t\tif r.Null() {\n\t\t\t\tv.%s, seen[%d] = %s{}, false\n\t\t\t} else {\n\t\t\t\t%s(&r, &v.%s)\n\t\t\t\tseen[%d] = true\n\t\t\t}\n", f.goName, si, ft, g.funcs[ft], f.goName, si)
					si++
				}
				g.printf("\t\t\treturn true\n")
			}
			g.printf("\t\t}\n\t\treturn %s(&r, v, key)\n\t}\n", field)
			g.printf("\tif r.Object() {\n\t\tfor first := true; ; {\n\t\t\tkey, ok := r.Field(&first)\n\t\t\tif !ok {\n\t\t\t\tbreak\n\t\t\t}\n")
			g.printf("\t\t\tif !result(key) {\n\t\t\t\tif k := %s.Fold(key); k == nil || string(k) == string(key) || !result(k) {\n\t\t\t\t\tr.Skip()\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n", lowerFirst(n.Obj().Name())+"Names")
		}
		g.printf("\tr.End()\n\tif err := r.Err(); err != nil {\n\t\treturn bodyError(%q, len(data), err)\n\t}\n", rt.op)
		si := 0
		for _, f := range rt.results {
			if f.list {
				g.printf("\tif v.%s == nil {\n\t\treturn missing(%q, len(data), %q)\n\t}\n", f.goName, rt.op, f.jsonName)
			} else {
				g.printf("\tif !seen[%d] {\n\t\treturn missing(%q, len(data), %q)\n\t}\n", si, rt.op, f.jsonName)
				si++
			}
		}
		g.printf("\treturn nil\n}\n\n")
	}
}

func fieldType(t types.Type, name string) types.Type {
	st := t.Underlying().(*types.Struct)
	for i := range st.NumFields() {
		if st.Field(i).Name() == name {
			return st.Field(i).Type()
		}
	}
	panic("no field " + name)
}

// writeTable writes decodedTypes.
func (g *gen) writeTable() {
	sort.Slice(g.named, func(i, j int) bool { return g.named[i].Name() < g.named[j].Name() })
	body := map[string]route{}
	for _, rt := range g.routes {
		body[g.typeString(rt.typ)] = rt
	}
	g.printf("// decodedType is a type decode.gen.go decodes, for the tests.\ntype decodedType struct {\n")
	g.printf("\t// value returns a new *T; decode decodes a whole input into one,\n\t// as the Parse functions do for a body.\n\tvalue  func() any\n\tdecode func(data []byte, v any) error\n")
	g.printf("\t// body is set for the body of a JSON 200 response; results are\n\t// the Go names of its result fields, and structs those that are\n\t// structs.\n\tbody            bool\n\tresults, structs []string\n}\n\n")
	g.printf("// decodedTypes returns every generated type that decode.gen.go decodes.\nfunc decodedTypes() []decodedType {\n\treturn []decodedType{\n")
	for _, obj := range g.named {
		name := obj.Name()
		rt, isBody := body[name]
		if isBody {
			var results, structs []string
			for _, f := range rt.results {
				results = append(results, strconv.Quote(f.goName))
				if !f.list {
					structs = append(structs, strconv.Quote(f.goName))
				}
			}
			g.printf("\t\t{value: func() any { return new(%s) }, decode: func(data []byte, v any) error { return parse%sBody(data, v.(*%s)) }, body: true", name, rt.op, name)
			if len(results) > 0 {
				g.printf(", results: []string{%s}", strings.Join(results, ", "))
			}
			if len(structs) > 0 {
				g.printf(", structs: []string{%s}", strings.Join(structs, ", "))
			}
			g.printf("},\n")
			continue
		}
		g.printf("\t\t{value: func() any { return new(%s) }, decode: func(data []byte, v any) error { return decodeWhole(data, v.(*%s), %s) }},\n", name, name, g.funcs[name])
	}
	g.printf("\t}\n}\n")
}
