package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// goNames returns, for every schema of a trimmed description that carries
// x-go-type-name or x-go-type, its place and the name.
func goNames(t *testing.T, doc []byte) map[string]string {
	t.Helper()
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	var walk func(path string, n *yaml.Node)
	walk = func(path string, n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i].Value, n.Content[i+1]
				if k == "x-go-type-name" || k == "x-go-type" {
					out[path] = k + "=" + v.Value
				}
				walk(path+"/"+k, v)
			}
		}
		for _, c := range n.Content {
			if n.Kind != yaml.MappingNode {
				walk(path, c)
			}
		}
	}
	walk("", &root)
	return out
}

// TestNameTypes: inline objects are named by the rule of names.go.
func TestNameTypes(t *testing.T) {
	res, err := trim(readFile(t, "testdata/upstream.json"), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	got := goNames(t, res.YAML)
	const pet, owner = "/components/schemas/Pet/properties", "/components/schemas/Owner/properties"
	if !strings.Contains(string(res.YAML), "squeaks") || !strings.Contains(shapeOf(mustPath(t, res.YAML, "components", "schemas", "Pet", "properties", "toys", "items"), ""), "squeaks") {
		t.Error("the owner's toy has a property the pet's toy lacks, and the shared type Toy does not get it")
	}
	for path, want := range map[string]string{
		pet + "/toys/items":                "x-go-type-name=Toy",            // singular of the property
		pet + "/collar":                    "x-go-type-name=PetCollar",      // pinned by the overlay
		pet + "/vets/additionalProperties": "x-go-type-name=Vet",            // a map written the ANY way
		owner + "/address":                 "x-go-type-name=Address",        // the property's name
		owner + "/toys/items":              "x-go-type=Toy",                 // same Go shape: shared
		owner + "/collar":                  "x-go-type-name=OwnerPetCollar", // taken, another shape: scoped
	} {
		if got[path] != want {
			t.Errorf("%s: %q, want %q", path, got[path], want)
		}
	}
}

// TestNamesStable: keeping one more operation never renames a type of the
// operations kept before it, and a name declared by hand is never taken.
func TestNamesStable(t *testing.T) {
	src := readFile(t, "testdata/upstream.json")
	opt := testOptions(t)
	opt.Keep = []string{"OwnerGet"}
	one, err := trim(src, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Keep = []string{"OwnerGet", "PetList"}
	two, err := trim(src, opt)
	if err != nil {
		t.Fatal(err)
	}
	before, after := goNames(t, one.YAML), goNames(t, two.YAML)
	for path, name := range before {
		if after[path] != name {
			t.Errorf("%s: %s with one operation, %s with two", path, name, after[path])
		}
	}
	if after["/components/schemas/Owner/properties/collar"] != "x-go-type-name=PetCollar" {
		t.Errorf("the first operation kept does not get the pinned name first: %v", after)
	}

	opt.Reserved = []string{"Address", "Toy"}
	res, err := trim(src, opt)
	if err != nil {
		t.Fatal(err)
	}
	names := goNames(t, res.YAML)
	if got := names["/components/schemas/Owner/properties/address"]; got != "x-go-type-name=OwnerAddress" {
		t.Errorf("address with Address reserved: %s, want OwnerAddress", got)
	}
	for p, n := range names {
		if strings.HasSuffix(n, "=Address") || strings.HasSuffix(n, "=Toy") {
			t.Errorf("%s took the reserved name %s", p, n)
		}
	}
}

func TestHandwrittenNames(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.go":      "package api\n\ntype Time struct{}\n\nfunc Projects() {}\n\nfunc (Time) Method() {}\n\nvar ErrX, errY error\n\nconst (\n\tA = 1\n\tb = 2\n)\n\ntype hidden int\n",
		"a.gen.go":  "package api\n\ntype Generated struct{}\n",
		"a_test.go": "package api\n\ntype InTest struct{}\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := handwrittenNames(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"A", "ErrX", "Projects", "Time"}; !slices.Equal(got, want) {
		t.Errorf("handwrittenNames = %v, want %v", got, want)
	}
	if _, err := handwrittenNames(t.TempDir()); err == nil {
		t.Error("a directory without Go files gives no error")
	}
}

func TestTypeName(t *testing.T) {
	for _, tt := range []struct{ in, name, singular string }{
		{"clouds", "Clouds", "Cloud"},
		{"billing_emails", "BillingEmails", "BillingEmail"},
		{"policies", "Policies", "Policy"},
		{"addresses", "Addresses", "Address"},
		{"user_id", "UserID", "UserIDItem"},
		{"status", "Status", "StatusItem"},
		{"vpc-peering.connections", "VPCPeeringConnections", "VPCPeeringConnection"},
		{"200", "T200", "T200Item"},
	} {
		if got := typeName(tt.in); got != tt.name {
			t.Errorf("typeName(%q) = %q, want %q", tt.in, got, tt.name)
		}
		if got := singular(typeName(tt.in)); got != tt.singular {
			t.Errorf("singular(%q) = %q, want %q", typeName(tt.in), got, tt.singular)
		}
	}
}

// mustPath returns the node at the path of keys in a YAML document.
func mustPath(t *testing.T, doc []byte, keys ...string) *yaml.Node {
	t.Helper()
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		t.Fatal(err)
	}
	n := root.Content[0]
	for _, k := range keys {
		if n = get(n, k); n == nil {
			t.Fatalf("no %v in the document", keys)
		}
	}
	return n
}

// TestMergeableGrows: a schema that gains many properties still shares its
// type with one that has most of the old ones; two objects with few
// properties in common do not share.
func TestMergeableGrows(t *testing.T) {
	t.Parallel()
	schema := func(props ...string) *yaml.Node {
		var b strings.Builder
		b.WriteString("type: object\nproperties:\n")
		for _, p := range props {
			b.WriteString("  " + p + ": {type: string}\n")
		}
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(b.String()), &n); err != nil {
			t.Fatal(err)
		}
		return n.Content[0]
	}
	small := []string{"cloud_name", "geo_region", "provider"}
	grown := append(slices.Clone(small), "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9")
	for _, c := range []struct {
		a, b []string
		want bool
	}{
		{small, grown, true},
		{grown, small, true},
		{small, []string{"cloud_name", "other", "another", "more"}, false},
		{[]string{"state", "x", "y"}, []string{"state", "p", "q", "r"}, false},
		{[]string{"cloud_name", "network_cidr"}, small, false}, // a VPC's clouds are not clouds
		{[]string{"cloud_name", "geo_region", "provider", "a0"}, grown, true},
	} {
		if got := mergeable(schema(c.a...), schema(c.b...)); got != c.want {
			t.Errorf("mergeable(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
