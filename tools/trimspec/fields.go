package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

// Property names, two traps of which are fixed by rule for every object.

// unescapeNames removes the Markdown escapes upstream writes in some
// property names: `end\-time` names the key end-time of real responses
// (Flink's job details), and a Go field tagged `json:"end\-time"` would
// never be filled (encoding/json even ignores such a tag). A backslash
// before a character that is neither a letter nor a digit is dropped, in
// the names of properties and in the required lists that name them. It
// runs before the overlay, so that the overlay's rules see the real names.
func unescapeNames(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		if props := get(n, "properties"); props != nil && props.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(props.Content); i += 2 {
				props.Content[i].Value = unescapeName(props.Content[i].Value)
			}
			if req := get(n, "required"); req != nil && req.Kind == yaml.SequenceNode {
				for _, r := range req.Content {
					r.Value = unescapeName(r.Value)
				}
			}
		}
	}
	for _, c := range n.Content {
		unescapeNames(c)
	}
}

func unescapeName(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	r := []rune(s)
	for i := 0; i < len(r); i++ {
		if r[i] == '\\' && i+1 < len(r) && !unicode.IsLetter(r[i+1]) && !unicode.IsDigit(r[i+1]) {
			i++
		}
		b.WriteRune(r[i])
	}
	return b.String()
}

// fieldNames gives distinct Go field names to the properties of an object
// that oapi-codegen would turn into one (topics.exclude and topics_exclude
// both become TopicsExclude, and the struct does not compile). Go field
// names keep only the letters and digits of a property name, so names
// that agree in those, ignoring case, may collide, and so may a property
// named like the AdditionalProperties field of an object that allows
// other keys or like an x-go-name. Of such names the one written in snake case (else the first
// in byte order) keeps its field name; each other gets x-go-name spelling
// its separators (topics.exclude: TopicsDotExclude, client-id:
// ClientDashID), with a number after it if even that is taken. It runs
// after naming, which may add properties to an object that shares a type.
func fieldNames(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		if props := get(n, "properties"); props != nil && props.Kind == yaml.MappingNode {
			distinctFields(n, props)
		}
	}
	for _, c := range n.Content {
		fieldNames(c)
	}
}

func distinctFields(schema, props *yaml.Node) {
	// Names no property may have: oapi-codegen's field for other keys, and
	// those set by x-go-name.
	reserved := map[string]bool{}
	if ap := get(schema, "additionalProperties"); ap != nil && !(ap.Kind == yaml.ScalarNode && ap.Value == "false") {
		reserved["additionalproperties"] = true
	}
	groups := map[string][]string{}
	for i := 0; i+1 < len(props.Content); i += 2 {
		name := props.Content[i].Value
		if g := get(props.Content[i+1], "x-go-name"); g != nil {
			reserved[fieldKey(g.Value)] = true
			continue
		}
		groups[fieldKey(name)] = append(groups[fieldKey(name)], name)
	}
	taken := maps.Clone(reserved)
	for k := range groups {
		taken[k] = true
	}
	for _, k := range slices.Sorted(maps.Keys(groups)) {
		names := groups[k]
		slices.SortFunc(names, func(a, b string) int {
			if sa, sb := isSnake(a), isSnake(b); sa != sb {
				if sa {
					return -1
				}
				return 1
			}
			return strings.Compare(a, b)
		})
		if !reserved[k] {
			names = names[1:]
		}
		for _, name := range names {
			spelled := spellName(name)
			goName := spelled
			for i := 2; taken[fieldKey(goName)]; i++ {
				goName = fmt.Sprintf("%s%d", spelled, i)
			}
			taken[fieldKey(goName)] = true
			if p := get(props, name); p != nil && p.Kind == yaml.MappingNode {
				setScalar(p, "x-go-name", goName)
			}
		}
	}
}

// fieldKey is what decides the Go field name of a property name: its
// letters and digits, ignoring case.
func fieldKey(name string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, name)
}

func isSnake(name string) bool {
	return strings.IndexFunc(name, func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '_')
	}) < 0
}

// separatorWords spell the separators of a property name in spellName.
var separatorWords = map[rune]string{'.': "Dot", '-': "Dash", ':': "Colon", '/': "Slash", '+': "Plus", ' ': "Space", '~': "Tilde", '@': "At"}

// spellName is the Go name of a property name with each separator but _
// spelled as a word: topics.exclude: TopicsDotExclude.
func spellName(name string) string {
	var b strings.Builder
	for _, r := range name {
		if w, ok := separatorWords[r]; ok {
			b.WriteString("_" + w + "_")
		} else {
			b.WriteRune(r)
		}
	}
	return typeName(b.String())
}

// keptFormats are the string formats that stay: decimal (set by the
// overlay on amounts, a string in Go) and binary (a file's body).
var keptFormats = []string{"decimal", "binary"}

// stringFormats makes string formats no stricter than the data, for every
// schema: oapi-codegen turns date-time into time.Time, uuid into
// uuid.UUID, email, date and byte into types that fail a whole response on
// one value they cannot parse (and the response checker knows none of
// them). A date-time becomes api.Time, which parses RFC 3339 and keeps any
// text, like the times the overlay finds by name; any other format but
// those of keptFormats is removed. It runs after the overlay, whose rules
// are written for the formats upstream uses.
func stringFormats(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		if t, f := get(n, "type"), get(n, "format"); t != nil && t.Value == "string" && f != nil && !slices.Contains(keptFormats, f.Value) {
			if f.Value == "date-time" && get(n, "x-go-type") == nil {
				setScalar(n, "x-go-type", "Time")
			}
			remove(n, "format")
		}
	}
	for _, c := range n.Content {
		stringFormats(c)
	}
}
