package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

// Go type names for inline objects.
//
// oapi-codegen turns an inline object schema into an anonymous struct that
// nobody can name in Go, unless the schema carries x-go-type-name. Naming
// them by hand in the overlay, path by path, breaks as soon as another
// operation is kept: its inline objects want the same names ("Project",
// "EndOfLifeExtension") and oapi-codegen stops on a duplicate type name.
// JSONPath cannot compute a name from where a schema sits, nor see two
// schemas at once, so trimspec names them, after the overlay, by this rule:
//
//  1. The natural name of an inline object is its property's name in Go
//     spelling (card_info: CardInfo); for the items of an array or the
//     values of a map, the singular of it (clouds: Cloud, billing_emails:
//     BillingEmail). An x-go-type-name the overlay set is taken as the
//     natural name.
//  2. Names are handed out operation by operation in the order of -keep,
//     shallowest schema first, then in the rest of the components: an
//     operation added at the end of the list never renames a type of the
//     operations before it.
//  3. A schema whose natural name is taken by a schema it can share a Go
//     type with (the properties both have have the same types, formats,
//     required-ness and nullability, recursively; descriptions and length
//     limits aside) shares that type: it gets x-go-type instead, and keeps
//     its own schema for validation, and the properties only it has are
//     added, optional, to the schema that owns the type. So a field added
//     upstream to one of two schemas that share a type renames nothing:
//     the type gains the field. Two objects share only when at least
//     half of the properties of each are common, or three quarters of
//     those of the smaller one (so that many fields added to one of them
//     do not end the sharing and rename the other's type).
//  4. Otherwise it is scoped: the Go name of the type that holds it comes
//     first (ProjectGetResponse + Project = ProjectGetResponseProject),
//     then a number if even that is taken.
//  5. A component schema keeps its own name when it is free at the time
//     it is reached; otherwise it gets x-go-name with "Schema" after it.
//  6. Taken from the start are the names oapi-codegen gives the client and
//     each kept operation, and every exported name declared in the
//     handwritten files of the Go package the client is generated into
//     (-go-package).
//
// Component parameters, responses, request bodies and headers do not
// take part: trimspec copies them into the operations that refer to them
// (see inlineComponents), since oapi-codegen would declare a Go type for
// each (the path parameter "project" becomes `type Project = string`) and
// nothing needs those types.
//
// Objects with a Go type of their own (x-go-type) are not named, nor is
// anything inside them.

// nameOptions says which names are taken before naming starts.
type nameOptions struct {
	// Reserved are Go names no generated type may take.
	Reserved []string
}

// clientNames are the names oapi-codegen's client and models templates
// declare whatever the operations.
var clientNames = []string{
	"Client", "ClientInterface", "ClientOption", "ClientWithResponses", "ClientWithResponsesInterface",
	"HttpRequestDoer", "RequestEditorFn", "NewClient", "NewClientWithResponses", "WithBaseURL",
	"WithHTTPClient", "WithRequestEditorFn",
}

// operationNames are the suffixes (after the operation ID) and prefixes of
// the names oapi-codegen declares for each operation.
var operationNames = [][2]string{
	{"", "Result"}, {"", "Params"}, {"", "JSONBody"}, {"", "JSONRequestBody"}, {"", "WithResponse"},
	{"New", "Request"}, {"Parse", "Result"},
}

// handwrittenNames returns the exported top-level names declared in the Go
// files of dir that are neither generated (*.gen.go) nor tests.
func handwrittenNames(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("-go-package %s: no Go files", dir)
	}
	var names []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, ".gen.go") || strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		file, err := parser.ParseFile(fset, f, src, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("-go-package: %w", err)
		}
		for _, d := range file.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() {
					names = append(names, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							names = append(names, s.Name.Name)
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								names = append(names, n.Name)
							}
						}
					}
				}
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// namer hands out the names; see the rule above.
type namer struct {
	schemas *yaml.Node            // components.schemas, or nil
	taken   map[string]string     // Go name -> "" when reserved, "component", or "inline"
	owners  map[string]*yaml.Node // Go name -> the inline schema it was given to
	shares  map[*yaml.Node]string // schema -> the Go type it shares
	done    map[*yaml.Node]bool   // schemas already visited
	queue   []nameJob             // breadth first, within one operation
	named   map[*yaml.Node]string
}

type nameJob struct {
	n *yaml.Node
	// holder is the Go name of the type that holds n ("" at the top).
	holder string
	// natural is the name n gets if it is an object of its own.
	natural string
	// component is true when n is a component schema, already named.
	component bool
}

// nameTypes gives every inline object schema reachable from the kept
// operations (in the order of keep) and the components a Go type name.
func nameTypes(root *yaml.Node, keep []string, opt nameOptions) error {
	nm := &namer{taken: map[string]string{}, owners: map[string]*yaml.Node{}, shares: map[*yaml.Node]string{}, done: map[*yaml.Node]bool{}, named: map[*yaml.Node]string{}}
	for _, r := range opt.Reserved {
		nm.taken[r] = ""
	}
	for _, c := range clientNames {
		nm.taken[c] = ""
	}
	nm.schemas = get(get(root, "components"), "schemas")
	var compNames []string
	if nm.schemas != nil {
		for i := 0; i+1 < len(nm.schemas.Content); i += 2 {
			compNames = append(compNames, nm.schemas.Content[i].Value)
		}
	}
	ops := map[string]*yaml.Node{}
	paths := get(root, "paths")
	for i := 1; paths != nil && i < len(paths.Content); i += 2 {
		for j := 0; j+1 < len(paths.Content[i].Content); j += 2 {
			if op := paths.Content[i].Content[j+1]; slices.Contains(httpMethods, paths.Content[i].Content[j].Value) {
				if id := get(op, "operationId"); id != nil {
					ops[id.Value] = op
				}
			}
		}
	}
	for _, id := range keep {
		for _, p := range operationNames {
			nm.taken[p[0]+typeName(id)+p[1]] = ""
		}
	}
	for _, id := range keep {
		op := ops[id]
		if op == nil {
			continue
		}
		responses := get(op, "responses")
		for i := 0; responses != nil && i+1 < len(responses.Content); i += 2 {
			code := responses.Content[i].Value
			suffix := "Response" // 200
			switch {
			case code == "200":
			case strings.Trim(code, "0123456789X") == "":
				suffix = code + "Response" // OrganizationProjectsList404Response
			default:
				suffix = typeName(code) + "Response" // DefaultResponse
			}
			content := get(responses.Content[i+1], "content")
			for j := 0; content != nil && j+1 < len(content.Content); j += 2 {
				if s := get(content.Content[j+1], "schema"); s != nil {
					nm.queue = append(nm.queue, nameJob{n: s, natural: typeName(id) + suffix})
				}
			}
		}
		if err := nm.run(); err != nil {
			return fmt.Errorf("operation %s: %w", id, err)
		}
	}
	slices.Sort(compNames)
	for _, c := range compNames {
		nm.queue = append(nm.queue, nameJob{n: get(nm.schemas, c), natural: typeName(c), component: true})
	}
	if err := nm.run(); err != nil {
		return err
	}
	for n, name := range nm.shares {
		setScalar(n, "x-go-type", name)
	}
	return nil
}

func (nm *namer) run() error {
	for len(nm.queue) > 0 {
		j := nm.queue[0]
		nm.queue = nm.queue[1:]
		if err := nm.visit(j); err != nil {
			return err
		}
	}
	return nil
}

func (nm *namer) visit(j nameJob) error {
	n := j.n
	if n == nil || n.Kind != yaml.MappingNode || nm.done[n] {
		return nil
	}
	nm.done[n] = true
	if ref := get(n, "$ref"); ref != nil {
		const p = "#/components/schemas/"
		if name, ok := strings.CutPrefix(ref.Value, p); ok {
			name = unescapePointer(name)
			nm.queue = append(nm.queue, nameJob{n: get(nm.schemas, name), natural: typeName(name), component: true})
		}
		return nil
	}
	if get(n, "x-go-type") != nil {
		return nil
	}
	holder := j.holder
	if j.component {
		// A component schema is a type of its own whatever its kind: it
		// keeps its name, unless an earlier operation took it.
		holder = nm.claimComponent(n, j.natural)
	} else if isStruct(n) {
		name, shared := nm.claim(n, j)
		if shared {
			// x-go-type is set once every name is handed out, so that
			// mergeable compares schemas as upstream wrote them.
			nm.shares[n] = name
			remove(n, "x-go-type-name")
			return nil
		}
		setScalar(n, "x-go-type-name", name)
		holder = name
	}
	nm.named[n] = holder
	if props := get(n, "properties"); props != nil && props.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(props.Content); i += 2 {
			nm.queue = append(nm.queue, nameJob{n: props.Content[i+1], holder: holder, natural: typeName(props.Content[i].Value)})
		}
	}
	// Items and map values take the singular of a property's name; those of
	// an operation's or a component's own schema take "Item" after it.
	element := j.natural + "Item"
	if j.holder != "" && !j.component {
		element = singular(j.natural)
	}
	if items := get(n, "items"); items != nil {
		nm.queue = append(nm.queue, nameJob{n: items, holder: holder, natural: element})
	}
	if ap := get(n, "additionalProperties"); ap != nil && ap.Kind == yaml.MappingNode {
		nm.queue = append(nm.queue, nameJob{n: ap, holder: holder, natural: element})
	}
	return nil
}

// claimComponent gives component schema n its Go name, or x-go-name with
// a scoped one when an earlier schema took it.
func (nm *namer) claimComponent(n *yaml.Node, name string) string {
	for k := 1; ; k++ {
		c := name
		if k > 1 {
			c = fmt.Sprintf("%sSchema%d", name, k)
			if k == 2 {
				c = name + "Schema"
			}
		}
		if _, taken := nm.taken[c]; !taken {
			nm.taken[c] = "component"
			if k > 1 {
				setScalar(n, "x-go-name", c)
			}
			return c
		}
	}
}

// claim finds n's name: its natural one, a type of the same shape to
// share, or a name scoped to its holder.
func (nm *namer) claim(n *yaml.Node, j nameJob) (name string, shared bool) {
	natural := j.natural
	if pinned := get(n, "x-go-type-name"); pinned != nil && pinned.Value != "" {
		natural = pinned.Value
	}
	candidates := []string{natural}
	if j.holder != "" && !strings.HasPrefix(natural, j.holder) {
		candidates = append(candidates, j.holder+natural)
	}
	base := candidates[len(candidates)-1]
	for k := 2; ; k++ {
		for _, c := range candidates {
			s, taken := nm.taken[c]
			if !taken {
				nm.taken[c] = "inline"
				nm.owners[c] = n
				return c, false
			}
			if owner := nm.owners[c]; s == "inline" && mergeable(owner, n) {
				nm.merge(owner, n)
				return c, true
			}
		}
		candidates = []string{fmt.Sprintf("%s%d", base, k)}
	}
}

// mergeable reports whether one Go type can serve schemas a and b: the
// properties both have have the same Go shape, recursively, and are
// required in both or in neither; the rest of the two schemas is the
// same but for what does not change a Go type (descriptions, limits).
// Properties only one of them has are allowed: the shared type gets them
// all (see merge), so that a field added upstream to one of two schemas
// that shared a type renames nothing.
func mergeable(a, b *yaml.Node) bool {
	if a.Kind != yaml.MappingNode || b.Kind != yaml.MappingNode {
		return shapeOf(a, "") == shapeOf(b, "")
	}
	if headShape(a) != headShape(b) {
		return false
	}
	pa, pb := get(a, "properties"), get(b, "properties")
	if (pa == nil || len(pa.Content) == 0) != (pb == nil || len(pb.Content) == 0) {
		return false // a struct and a map
	}
	common := 0
	for i := 0; pa != nil && i+1 < len(pa.Content); i += 2 {
		name := pa.Content[i].Value
		other := get(pb, name)
		if other == nil {
			continue
		}
		if !mergeable(pa.Content[i+1], other) || isRequired(a, name) != isRequired(b, name) {
			return false
		}
		common++
	}
	// Two objects that merely share a name (a "state", a "config", the
	// clouds of a VPC) are not one type: half of the properties of each
	// must be common, or three quarters of those of the smaller one. The
	// second keeps a schema that gains many fields upstream (in one of two
	// operations) sharing, instead of renaming the Go type of the other
	// operation, a breaking change made of an additive one.
	if pa != nil {
		if na, nb := len(pa.Content)/2, len(pb.Content)/2; (2*common < na || 2*common < nb) && 4*common < 3*min(na, nb) {
			return false
		}
	}
	for _, key := range []string{"items", "additionalProperties"} {
		x, y := get(a, key), get(b, key)
		if (x == nil) != (y == nil) || x != nil && !mergeable(x, y) {
			return false
		}
	}
	return true
}

// headShape is the Go shape of a schema without its properties, required
// list, items and map values, which mergeable compares one by one.
func headShape(n *yaml.Node) string {
	var pairs []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i].Value
		switch {
		case k == "properties", k == "required", k == "items", k == "additionalProperties":
			if k == "properties" || k == "required" {
				continue
			}
			pairs = append(pairs, k) // present; its content is compared apart
		case slices.Contains(shapeIgnored, k):
		default:
			pairs = append(pairs, fmt.Sprintf("%q:%s", k, shapeOf(n.Content[i+1], k)))
		}
	}
	slices.Sort(pairs)
	return strings.Join(pairs, ",")
}

func isRequired(n *yaml.Node, name string) bool {
	if req := get(n, "required"); req != nil {
		for _, r := range req.Content {
			if r.Value == name {
				return true
			}
		}
	}
	return false
}

// merge adds to the schema that owns a Go type (a) every property of b it
// lacks, as optional, recursively, so that the shared type holds every
// field of both. A property added to an object already named is queued
// for naming with that object's type as its holder.
func (nm *namer) merge(a, b *yaml.Node) {
	if a.Kind != yaml.MappingNode || b.Kind != yaml.MappingNode {
		return
	}
	pa, pb := get(a, "properties"), get(b, "properties")
	for i := 0; pb != nil && i+1 < len(pb.Content); i += 2 {
		name, schema := pb.Content[i].Value, pb.Content[i+1]
		if mine := get(pa, name); mine != nil {
			nm.merge(mine, schema)
			continue
		}
		if pa == nil {
			continue // not after mergeable: both have properties or neither does
		}
		added := deepCopy(schema)
		pa.Content = append(pa.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name}, added)
		if nm.done[a] {
			if holder := nm.named[a]; holder != "" {
				nm.queue = append(nm.queue, nameJob{n: added, holder: holder, natural: typeName(name)})
			}
		}
	}
	for _, key := range []string{"items", "additionalProperties"} {
		if x, y := get(a, key), get(b, key); x != nil && y != nil {
			nm.merge(x, y)
		}
	}
}

// isStruct reports whether oapi-codegen makes a struct of schema n: an
// object with properties of its own.
func isStruct(n *yaml.Node) bool {
	props := get(n, "properties")
	if props == nil || props.Kind != yaml.MappingNode || len(props.Content) == 0 {
		return false
	}
	t := get(n, "type")
	return t == nil || t.Value == "object"
}

// shapeIgnored are the keywords that do not change the Go type of a schema.
var shapeIgnored = []string{
	"description", "title", "example", "examples", "deprecated", "readOnly", "writeOnly", "default",
	"maxLength", "minLength", "maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum",
	"multipleOf", "maxItems", "minItems", "uniqueItems", "pattern", "maxProperties", "minProperties",
	"x-go-type-name", "x-deprecated-reason",
}

// shapeOf is a canonical text of what in schema n (the value of key)
// decides its Go type.
func shapeOf(n *yaml.Node, key string) string {
	switch n.Kind {
	case yaml.MappingNode:
		var pairs []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if key != "properties" && slices.Contains(shapeIgnored, k) {
				continue
			}
			pairs = append(pairs, fmt.Sprintf("%q:%s", k, shapeOf(n.Content[i+1], k)))
		}
		slices.Sort(pairs)
		return "{" + strings.Join(pairs, ",") + "}"
	case yaml.SequenceNode:
		var items []string
		for _, c := range n.Content {
			items = append(items, shapeOf(c, ""))
		}
		if key == "required" || key == "enum" {
			slices.Sort(items)
		}
		return "[" + strings.Join(items, ",") + "]"
	case yaml.AliasNode:
		return shapeOf(n.Alias, key)
	}
	return fmt.Sprintf("%q", n.Value)
}

// initialisms are written in capitals in Go names, as oapi-codegen's
// ToCamelCaseWithInitialisms writes them in field names.
var initialisms = []string{
	"ACL", "API", "ASCII", "CA", "CPU", "CSS", "CSV", "DNS", "EOF", "GUID", "HTML", "HTTP", "HTTPS", "ID",
	"IP", "JSON", "KMS", "OS", "PDF", "QPS", "RAM", "RPC", "SLA", "SMTP", "SQL", "SSH", "SSL", "TCP",
	"TLS", "TTL", "UDP", "UI", "UID", "URI", "URL", "UUID", "VM", "VPC", "XML", "XSRF", "XSS",
}

// typeName turns a property, operation or schema name into a Go name:
// words split at anything that is not a letter or digit, each capitalised,
// initialisms in capitals (billing_emails: BillingEmails, user_id: UserID).
func typeName(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var b strings.Builder
	for _, w := range words {
		if up := strings.ToUpper(w); slices.Contains(initialisms, up) {
			b.WriteString(up)
			continue
		}
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	name := b.String()
	if name == "" || !unicode.IsLetter([]rune(name)[0]) {
		name = "T" + name
	}
	return name
}

// singular returns the English singular of a Go name that ends in a
// plural (Clouds: Cloud, Policies: Policy, Addresses: Address), or the
// name and "Item" when it does not look like one.
func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies") && len(s) > 3:
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "sses"), strings.HasSuffix(s, "xes"), strings.HasSuffix(s, "ches"), strings.HasSuffix(s, "shes"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "ss"), strings.HasSuffix(s, "us"), strings.HasSuffix(s, "is"):
		return s + "Item"
	case strings.HasSuffix(s, "s") && len(s) > 1:
		return s[:len(s)-1]
	}
	return s + "Item"
}

// setScalar sets key to a string value in mapping m.
func setScalar(m *yaml.Node, key, value string) {
	if v := get(m, key); v != nil {
		v.Kind, v.Tag, v.Value, v.Content = yaml.ScalarNode, "!!str", value, nil
		return
	}
	m.Content = append(m.Content,
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key},
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value})
}
