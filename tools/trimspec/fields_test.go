package main

import (
	"testing"

	"gopkg.in/yaml.v3"
)

// TestPropertyNames: escaped property names are unescaped, and names that
// oapi-codegen would turn into one Go field get distinct ones.
func TestPropertyNames(t *testing.T) {
	t.Parallel()
	const doc = `
type: object
required: [end\-time, topics_exclude]
additionalProperties: true
properties:
  end\-time: {type: integer}
  a\\b: {type: string}
  topics.exclude: {type: array, items: {type: string}}
  topics_exclude: {type: array, items: {type: string}}
  topics-Exclude: {type: string}
  topicsDashExclude: {type: string}
  additional_properties: {type: string}
  type: {type: string}
  nested:
    type: object
    properties:
      client-id: {type: string}
      client_id: {type: string}
      pinned.name: {type: string, x-go-name: ClientID}
`
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
		t.Fatal(err)
	}
	unescapeNames(&root)
	fieldNames(&root)
	schema := root.Content[0]
	props := get(schema, "properties")
	goName := func(props *yaml.Node, name string) string {
		t.Helper()
		p := get(props, name)
		if p == nil {
			t.Fatalf("no property %q", name)
		}
		if g := get(p, "x-go-name"); g != nil {
			return g.Value
		}
		return ""
	}
	for name, want := range map[string]string{
		"end-time":              "",
		`a\\b`:                  "", // a backslash before a backslash goes, the second stays
		"topics_exclude":        "", // snake case keeps its name
		"topics.exclude":        "TopicsDotExclude",
		"topics-Exclude":        "TopicsDashExclude2", // spelled, then taken by topicsDashExclude
		"topicsDashExclude":     "",
		"additional_properties": "AdditionalProperties2", // oapi-codegen's field for other keys
		"type":                  "",
	} {
		if name == `a\\b` {
			name = `a\b`
		}
		if got := goName(props, name); got != want {
			t.Errorf("%s: x-go-name %q, want %q", name, got, want)
		}
	}
	if req := get(schema, "required"); req.Content[0].Value != "end-time" {
		t.Errorf("required names %q, want end-time", req.Content[0].Value)
	}
	nested := get(get(props, "nested"), "properties")
	for name, want := range map[string]string{"client_id": "ClientID2", "client-id": "ClientDashID", "pinned.name": "ClientID"} {
		if got := goName(nested, name); got != want {
			t.Errorf("nested %s: x-go-name %q, want %q", name, got, want)
		}
	}
}

// TestStringFormats: string formats that make Go types stricter than the
// data go; a date-time becomes api.Time.
func TestStringFormats(t *testing.T) {
	t.Parallel()
	const doc = `
properties:
  a: {type: string, format: date-time}
  b: {type: string, format: uuid}
  c: {type: string, format: decimal}
  d: {type: string, format: binary}
  e: {type: string, format: date-time, x-go-type: Other}
  f: {type: integer, format: int64}
  g: {type: array, items: {type: string, format: email}}
`
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
		t.Fatal(err)
	}
	stringFormats(&root)
	props := get(root.Content[0], "properties")
	for name, want := range map[string][2]string{
		"a": {"", "Time"}, "b": {"", ""}, "c": {"decimal", ""}, "d": {"binary", ""}, "e": {"", "Other"}, "f": {"int64", ""},
	} {
		p := get(props, name)
		var got [2]string
		if f := get(p, "format"); f != nil {
			got[0] = f.Value
		}
		if x := get(p, "x-go-type"); x != nil {
			got[1] = x.Value
		}
		if got != want {
			t.Errorf("%s: format, x-go-type = %q, want %q", name, got, want)
		}
	}
	if get(get(get(props, "g"), "items"), "format") != nil {
		t.Error("g: the items kept format email")
	}
}
