package main

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/speakeasy-api/openapi/overlay"
	"gopkg.in/yaml.v3"
)

// options says how an upstream description becomes the trimmed one.
type options struct {
	// Keep lists the operationIds to keep; every one must exist upstream.
	Keep []string
	// Drop lists extension keys (x-...) removed wherever they appear.
	Drop []string
	// HoistServerPath moves the path of the servers' URLs into every path,
	// so that the server is a bare host (https://api.aiven.io/v1 + /me
	// becomes https://api.aiven.io + /v1/me).
	HoistServerPath bool
	// Overlay is applied after trimming; nil applies nothing.
	Overlay *overlay.Overlay
	// Reserved are Go names no generated type may take (see names.go).
	Reserved []string
}

// result is the trimmed description and what was noticed on the way.
type result struct {
	YAML     []byte
	Warnings []string
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// topOrder is the order of the document's top-level keys; anything else
// follows, sorted. Every other mapping is written with sorted keys, so the
// output depends on the content of the upstream description, not on the
// order its producer happened to write it in.
var topOrder = []string{"openapi", "info", "externalDocs", "servers", "security", "tags", "paths", "components"}

// trim turns an upstream description (JSON or YAML) into the trimmed one.
func trim(upstream []byte, opt options) (*result, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(upstream, &doc); err != nil {
		return nil, fmt.Errorf("parse upstream description: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("upstream description is not an object")
	}
	root := doc.Content[0]
	if v := get(root, "openapi"); v == nil || !strings.HasPrefix(v.Value, "3.") {
		return nil, fmt.Errorf("upstream description is not OpenAPI 3.x")
	}
	if err := keepOperations(root, opt.Keep); err != nil {
		return nil, err
	}
	if opt.HoistServerPath {
		if err := hoistServerPath(root); err != nil {
			return nil, err
		}
	}
	dropKeys(root, opt.Drop)
	keepUsedTags(root)
	inlineComponents(root)
	anyMaps(root)
	unescapeNames(root)
	res := &result{}
	if opt.Overlay != nil {
		if err := opt.Overlay.Validate(); err != nil {
			return nil, fmt.Errorf("overlay: %w", err)
		}
		warnings, err := opt.Overlay.ApplyToStrict(root)
		res.Warnings = append(res.Warnings, warnings...)
		if err != nil {
			return nil, fmt.Errorf("overlay does not fit this description (an action's target is gone: update the overlay): %w", err)
		}
	}
	stringFormats(root)
	pruneComponents(root)
	if err := nameTypes(root, opt.Keep, nameOptions{Reserved: opt.Reserved}); err != nil {
		return nil, fmt.Errorf("name types: %w", err)
	}
	fieldNames(root)
	normalize(root, true)

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("write trimmed description: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("write trimmed description: %w", err)
	}
	res.YAML = buf.Bytes()
	return res, nil
}

// keepOperations removes every operation whose operationId is not in keep,
// and every path left without operations.
func keepOperations(root *yaml.Node, keep []string) error {
	paths := get(root, "paths")
	if paths == nil || paths.Kind != yaml.MappingNode {
		return fmt.Errorf("upstream description has no paths")
	}
	found := map[string]bool{}
	var kept []*yaml.Node
	for i := 0; i+1 < len(paths.Content); i += 2 {
		item := paths.Content[i+1]
		if item.Kind != yaml.MappingNode {
			continue
		}
		var content []*yaml.Node
		ops := 0
		for j := 0; j+1 < len(item.Content); j += 2 {
			key, val := item.Content[j], item.Content[j+1]
			if slices.Contains(httpMethods, key.Value) {
				id := get(val, "operationId")
				if id == nil || !slices.Contains(keep, id.Value) {
					continue
				}
				if found[id.Value] {
					return fmt.Errorf("operationId %q appears twice upstream", id.Value)
				}
				found[id.Value] = true
				ops++
			}
			content = append(content, key, val)
		}
		if ops > 0 {
			item.Content = content
			kept = append(kept, paths.Content[i], item)
		}
	}
	var missing []string
	for _, id := range keep {
		if !found[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("operations not found upstream: %s", strings.Join(missing, ", "))
	}
	paths.Content = kept
	return nil
}

// inlineComponents replaces every reference from an operation to a
// component parameter, response, request body or header with a copy of
// it, so that pruneComponents drops the component. oapi-codegen declares
// a Go type for each such component (the path parameter "project" becomes
// `type Project = string`), whose name would collide with the types of
// the objects the responses hold; nothing needs those types.
func inlineComponents(root *yaml.Node) {
	comps := get(root, "components")
	paths := get(root, "paths")
	if comps == nil || paths == nil {
		return
	}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if depth > 64 {
			return
		}
		if n.Kind == yaml.MappingNode {
			if ref := get(n, "$ref"); ref != nil && len(n.Content) == 2 {
				for _, section := range []string{"parameters", "responses", "requestBodies", "headers"} {
					name, ok := strings.CutPrefix(ref.Value, "#/components/"+section+"/")
					if !ok {
						continue
					}
					if c := get(get(comps, section), unescapePointer(name)); c != nil && get(c, "$ref") == nil {
						*n = *deepCopy(c)
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(paths, 0)
}

func deepCopy(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, e := range n.Content {
		c.Content[i] = deepCopy(e)
	}
	return &c
}

// anyMaps turns every map written as a property named ANY into what it
// means: `properties: {ANY: S}` says that any key holds an S, which is
// `additionalProperties: S`. Taken literally, the generated struct has a
// field ANY and real data decodes to nothing. It runs before the overlay,
// so that the overlay's rules (open enums, number formats, ...) apply to S
// like to any other schema. The overlay cannot do it: an Overlay 1.0
// action sets values written in the overlay, it cannot move a schema found
// in the description.
func anyMaps(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		if props := get(n, "properties"); props != nil && props.Kind == yaml.MappingNode {
			if s := get(props, "ANY"); s != nil {
				remove(props, "ANY")
				if ap := get(n, "additionalProperties"); ap == nil || ap.Kind == yaml.ScalarNode {
					remove(n, "additionalProperties")
					n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "additionalProperties"}, s)
				}
			}
		}
	}
	for _, c := range n.Content {
		anyMaps(c)
	}
}

// hoistServerPath moves the common path of the servers' URLs into the paths.
func hoistServerPath(root *yaml.Node) error {
	servers := get(root, "servers")
	if servers == nil || servers.Kind != yaml.SequenceNode || len(servers.Content) == 0 {
		return nil
	}
	prefix := ""
	for i, s := range servers.Content {
		u := get(s, "url")
		if u == nil {
			return fmt.Errorf("servers[%d] has no url", i)
		}
		parsed, err := url.Parse(u.Value)
		if err != nil {
			return fmt.Errorf("servers[%d].url: %w", i, err)
		}
		p := strings.TrimSuffix(parsed.Path, "/")
		if i > 0 && p != prefix {
			return fmt.Errorf("servers disagree on their path (%q, %q): cannot hoist it", prefix, p)
		}
		prefix = p
		parsed.Path, parsed.RawPath = "", ""
		u.Value = parsed.String()
	}
	if prefix == "" {
		return nil
	}
	paths := get(root, "paths")
	for i := 0; i+1 < len(paths.Content); i += 2 {
		paths.Content[i].Value = prefix + paths.Content[i].Value
	}
	return nil
}

// dropKeys removes the named keys from every mapping in the tree.
func dropKeys(n *yaml.Node, keys []string) {
	if len(keys) == 0 {
		return
	}
	if n.Kind == yaml.MappingNode {
		content := n.Content[:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			if slices.Contains(keys, n.Content[i].Value) {
				continue
			}
			content = append(content, n.Content[i], n.Content[i+1])
		}
		n.Content = content
	}
	for _, c := range n.Content {
		dropKeys(c, keys)
	}
}

// keepUsedTags drops the top-level tag entries no kept operation uses.
func keepUsedTags(root *yaml.Node) {
	tags := get(root, "tags")
	if tags == nil || tags.Kind != yaml.SequenceNode {
		return
	}
	used := map[string]bool{}
	paths := get(root, "paths")
	for i := 1; i < len(paths.Content); i += 2 {
		for _, m := range httpMethods {
			if op := get(paths.Content[i], m); op != nil {
				if t := get(op, "tags"); t != nil {
					for _, name := range t.Content {
						used[name.Value] = true
					}
				}
			}
		}
	}
	var content []*yaml.Node
	for _, t := range tags.Content {
		if name := get(t, "name"); name != nil && used[name.Value] {
			content = append(content, t)
		}
	}
	if len(content) == 0 {
		remove(root, "tags")
		return
	}
	tags.Content = content
}

// pruneComponents removes every component that nothing kept refers to,
// directly or through other components. Security schemes count as referred
// to when a security requirement names them.
func pruneComponents(root *yaml.Node) {
	comps := get(root, "components")
	if comps == nil || comps.Kind != yaml.MappingNode {
		return
	}
	used := map[string]bool{} // "schemas/Name"
	var queue []*yaml.Node
	mark := func(ref string) {
		const p = "#/components/"
		if !strings.HasPrefix(ref, p) {
			return
		}
		parts := strings.SplitN(strings.TrimPrefix(ref, p), "/", 3)
		if len(parts) < 2 {
			return
		}
		key := parts[0] + "/" + unescapePointer(parts[1])
		if used[key] {
			return
		}
		used[key] = true
		if sec := get(comps, parts[0]); sec != nil {
			if n := get(sec, unescapePointer(parts[1])); n != nil {
				queue = append(queue, n)
			}
		}
	}
	var walk func(n *yaml.Node, inSecurity bool)
	walk = func(n *yaml.Node, inSecurity bool) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "$ref" && v.Kind == yaml.ScalarNode {
					mark(v.Value)
				}
				if inSecurity {
					mark("#/components/securitySchemes/" + escapePointer(k.Value))
				}
				walk(v, false)
				if k.Value == "security" && v.Kind == yaml.SequenceNode {
					for _, req := range v.Content {
						walk(req, true)
					}
				}
			}
			return
		}
		for _, c := range n.Content {
			walk(c, false)
		}
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "components" {
			walk(root.Content[i+1], false)
			if root.Content[i].Value == "security" {
				for _, req := range root.Content[i+1].Content {
					walk(req, true)
				}
			}
		}
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		walk(n, false)
	}
	var content []*yaml.Node
	for i := 0; i+1 < len(comps.Content); i += 2 {
		section, entries := comps.Content[i], comps.Content[i+1]
		if entries.Kind != yaml.MappingNode {
			continue
		}
		var kept []*yaml.Node
		for j := 0; j+1 < len(entries.Content); j += 2 {
			if used[section.Value+"/"+entries.Content[j].Value] {
				kept = append(kept, entries.Content[j], entries.Content[j+1])
			}
		}
		if len(kept) > 0 {
			entries.Content = kept
			content = append(content, section, entries)
		}
	}
	if len(content) == 0 {
		remove(root, "components")
		return
	}
	comps.Content = content
}

// normalize sorts mapping keys and resets the styles the parser recorded,
// so the YAML written depends only on the content.
func normalize(n *yaml.Node, top bool) {
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	switch n.Kind {
	case yaml.MappingNode:
		n.Style = 0
		type pair struct{ k, v *yaml.Node }
		pairs := make([]pair, 0, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			pairs = append(pairs, pair{n.Content[i], n.Content[i+1]})
		}
		rank := func(k string) int {
			if !top {
				return 0
			}
			if i := slices.Index(topOrder, k); i >= 0 {
				return i
			}
			return len(topOrder)
		}
		slices.SortStableFunc(pairs, func(a, b pair) int {
			if r := rank(a.k.Value) - rank(b.k.Value); r != 0 {
				return r
			}
			return strings.Compare(a.k.Value, b.k.Value)
		})
		n.Content = n.Content[:0]
		for _, p := range pairs {
			normalize(p.k, false)
			normalize(p.v, false)
			n.Content = append(n.Content, p.k, p.v)
		}
	case yaml.SequenceNode:
		n.Style = 0
		for _, c := range n.Content {
			normalize(c, false)
		}
	case yaml.ScalarNode:
		n.Style = 0
		if n.Tag == "!!str" && strings.Contains(n.Value, "\n") {
			n.Style = yaml.LiteralStyle
		}
	}
}

func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func remove(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

func unescapePointer(s string) string {
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(s)
}

func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
