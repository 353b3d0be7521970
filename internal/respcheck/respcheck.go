// Package respcheck checks HTTP requests and responses against an OpenAPI
// 3.0 description: it finds the operation a request is for (path templates
// included), checks its parameters, says what credential the operation
// asks for, and checks responses against the responses it declares. It is
// the one runtime checker of package validate and of the fake server
// (package apitest).
//
// kin-openapi does the same, and stays in the tests as the oracle (package
// internal/oas), but linking it costs every program about 5 ms and 1.7 MB
// at start-up (its JSON Schema dependency compiles its meta-schemas in
// package init), plus a router, and users' test binaries link apitest.
// This package understands the schema keywords of OpenAPI 3.0 that
// kin-openapi checks in a response (users may add any upstream operation
// to the description, whatever its schemas use), and New refuses a
// keyword it does not know, so that none is ignored silently. The one
// exception is a pattern Go's regexp cannot read: that check is skipped,
// so that the fake server and validate keep working. respcheck_test.go and
// compose_test.go hold it to kin-openapi's verdicts.
package respcheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"mime"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Checker holds the operations of a description. It is safe for
// concurrent use.
type Checker struct {
	ops []*operation // in the order of their paths, then methods
}

// Mismatch is one way a response differs from the description.
type Mismatch struct {
	// Field is the JSON pointer of the value in the body, such as
	// "/projects/3/card_info"; empty for the response as a whole.
	Field string
	// Expected is what the description asks for, such as "type string".
	Expected string
	// Got is what the value is, such as "null"; short, never a whole value.
	Got string
}

// String returns "field: expected X, got Y".
func (m Mismatch) String() string {
	field := m.Field
	if field == "" {
		field = "(response)"
	}
	if m.Got == "" {
		return fmt.Sprintf("%s: %s", field, m.Expected)
	}
	return fmt.Sprintf("%s: expected %s, got %s", field, m.Expected, m.Got)
}

// New reads an OpenAPI 3.0 description (YAML or JSON).
func New(description []byte) (*Checker, error) {
	var doc struct {
		OpenAPI    string                               `yaml:"openapi"`
		Security   []map[string][]string                `yaml:"security"`
		Paths      map[string]map[string]map[string]any `yaml:"paths"`
		Components struct {
			Schemas         map[string]any            `yaml:"schemas"`
			Parameters      map[string]map[string]any `yaml:"parameters"`
			SecuritySchemes map[string]map[string]any `yaml:"securitySchemes"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(description, &doc); err != nil {
		return nil, fmt.Errorf("respcheck: %w", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0.") {
		return nil, fmt.Errorf("respcheck: OpenAPI %q: want 3.0.x", doc.OpenAPI)
	}
	c := &compiler{named: map[string]*schema{}, raw: doc.Components.Schemas}
	ch := &Checker{}
	for _, path := range sortedKeys(doc.Paths) {
		item := doc.Paths[path]
		segs, err := template(path)
		if err != nil {
			return nil, err
		}
		for _, method := range sortedKeys(item) {
			op := item[method]
			switch method {
			case "get", "put", "post", "delete", "options", "head", "patch", "trace":
			case "parameters":
				return nil, fmt.Errorf("respcheck: path %s: parameters shared by a path's operations are not supported", path)
			default:
				continue // summary, description, x-…
			}
			where := strings.ToUpper(method) + " " + path
			o := &operation{method: strings.ToUpper(method), path: path, segs: segs, responses: map[string]map[string]*schema{}}
			o.id, _ = op["operationId"].(string)
			if o.params, err = c.parameters(op["parameters"], doc.Components.Parameters, where); err != nil {
				return nil, err
			}
			if err := o.checkPathParams(); err != nil {
				return nil, err
			}
			security := doc.Security
			if raw, ok := op["security"]; ok {
				if security, err = securityList(raw, where); err != nil {
					return nil, err
				}
			}
			if o.token, err = tokenNeed(security, doc.Components.SecuritySchemes, where); err != nil {
				return nil, err
			}
			responses, _ := op["responses"].(map[string]any)
			for status, r := range responses {
				where := where + " " + status
				content, _ := asMap(r)["content"].(map[string]any)
				byType := map[string]*schema{}
				for mediaType, m := range content {
					var s *schema
					if raw, ok := asMap(m)["schema"]; ok {
						var err error
						if s, err = c.compile(raw, where+" "+mediaType); err != nil {
							return nil, err
						}
					}
					byType[mediaType] = s
				}
				o.responses[status] = byType
			}
			ch.ops = append(ch.ops, o)
		}
	}
	return ch, nil
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// Knows reports whether the description has an operation for method and
// path (a request's path, such as "/v1/project/p1/clouds").
func (c *Checker) Knows(method, path string) bool {
	op, _, _ := c.match(method, path)
	return op != nil
}

// Check returns how a response to method and path (a request's path)
// differs from the description: its status, content type and body.
func (c *Checker) Check(method, path string, status int, header http.Header, body []byte) []Mismatch {
	op, _, _ := c.match(method, path)
	if op == nil {
		return []Mismatch{{Expected: "an operation of the description", Got: method + " " + path}}
	}
	return op.check(status, header, body)
}

func (o *operation) check(status int, header http.Header, body []byte) []Mismatch {
	content, ok := o.responses[strconv.Itoa(status)]
	if !ok {
		if content, ok = o.responses["default"]; !ok {
			return []Mismatch{{Expected: "a status the description declares", Got: strconv.Itoa(status)}}
		}
	}
	if len(content) == 0 {
		return nil
	}
	contentType := header.Get("Content-Type")
	mediaType, _, err := mime.ParseMediaType(contentType)
	s, declared := content[mediaType]
	if err != nil || !declared {
		types := make([]string, 0, len(content))
		for t := range content {
			types = append(types, t)
		}
		slices.Sort(types)
		return []Mismatch{{Expected: "Content-Type " + strings.Join(types, " or "), Got: strconv.Quote(contentType)}}
	}
	if s == nil {
		return nil
	}
	var value any
	if IsJSON(mediaType) {
		var err error
		if value, err = decodeJSON(body); err != nil {
			return []Mismatch{InvalidJSON(err)}
		}
	} else {
		value = string(body)
	}
	var out []Mismatch
	s.check(value, "", &out)
	return out
}

// IsJSON reports whether a media type (without parameters) is JSON:
// application/json or any type ending in +json.
func IsJSON(mediaType string) bool {
	return mediaType == "application/json" || strings.HasSuffix(mediaType, "+json")
}

// InvalidJSON is the mismatch of a JSON body that does not decode, err
// saying why.
func InvalidJSON(err error) Mismatch {
	return Mismatch{Expected: "a JSON body", Got: "invalid JSON: " + err.Error()}
}

// decodeJSON decodes a body as encoding/json decodes it into an any, except
// that a number no float64 holds (1e400) is kept as a json.Number instead
// of failing the whole body: check reports it at its own field, and goes on
// with the rest.
func decodeJSON(body []byte) (any, error) {
	var v any
	err := json.Unmarshal(body, &v)
	// Into an any, the one type error is such a number: rare, so only then
	// decode once more, keeping numbers as written. json.Unmarshal returns
	// it unwrapped (errors.As would cost every call an allocation).
	if _, ok := err.(*json.UnmarshalTypeError); !ok {
		return v, err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	v = nil
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return floats(v), nil
}

// floats replaces each json.Number in v by its float64, where one holds it.
func floats(v any) any {
	switch v := v.(type) {
	case json.Number:
		if f, err := strconv.ParseFloat(string(v), 64); err == nil {
			return f
		}
	case []any:
		for i, item := range v {
			v[i] = floats(item)
		}
	case map[string]any:
		for k, item := range v {
			v[k] = floats(item)
		}
	}
	return v
}

// schema is the part of an OpenAPI 3.0 schema object that validates.
type schema struct {
	typ                  string // "" for any
	nullable             bool
	properties           map[string]*schema
	required             []string
	additional           *schema // for properties not in properties
	noAdditional         bool    // additionalProperties: false
	items                *schema
	enum                 []any
	minLength, maxLength *int
	minimum, maximum     *float64
	minItems, maxItems   *int
	minProps, maxProps   *int
	exclusiveMin         bool     // minimum itself is out (OpenAPI 3.0's boolean form)
	exclusiveMax         bool     //
	exclusiveBelow       *float64 // exclusiveMinimum: n (the 3.1 form, which kin-openapi reads too)
	exclusiveAbove       *float64 // exclusiveMaximum: n
	multipleOf           *big.Rat
	uniqueItems          bool
	format               string         // one of checkedFormats, or ""
	pattern              *regexp.Regexp // nil: none, or one Go's regexp cannot compile
	patternText          string         // as written, for the mismatch
	allOf, anyOf, oneOf  []*schema
	anyOfRefs, oneOfRefs []string // each branch's $ref as written, or ""
	discriminator        *discriminator
	not                  *schema
	writeOnly            bool // as a property, never in a response
}

// discriminator picks, by a property of the value, the one branch of
// oneOf and of anyOf that is checked. As in kin-openapi, only a mapping
// does: without one, every branch is.
type discriminator struct {
	property string
	mapping  map[string]string // property value → $ref
}

// annotations are the schema keywords that do not constrain a response
// (readOnly constrains requests only); New fails on a keyword that is
// neither one of them, nor x-…, nor one it checks.
var annotations = []string{"description", "title", "example", "deprecated", "readOnly", "default", "externalDocs", "xml", "allowEmptyValue"}

// checkedFormats are the formats kin-openapi checks by default, by type
// (int32 and int64 on integers only); it ignores any other format, and so
// does respcheck.
var checkedFormats = map[string]string{"int32": "integer", "int64": "integer", "date": "string", "date-time": "string", "byte": "string"}

// The forms of the string formats, as kin-openapi checks them.
var (
	dateForm     = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$`)
	dateTimeForm = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)
	byteForm     = regexp.MustCompile(`^[a-zA-Z0-9+/_-]*=*$`)
)

type compiler struct {
	raw   map[string]any
	named map[string]*schema
}

func (c *compiler) compile(v any, where string) (*schema, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("respcheck: %s: a schema must be an object", where)
	}
	if ref, ok := m["$ref"].(string); ok {
		name, ok := strings.CutPrefix(ref, "#/components/schemas/")
		if !ok {
			return nil, fmt.Errorf("respcheck: %s: $ref %q: only #/components/schemas/ is supported", where, ref)
		}
		if s, ok := c.named[name]; ok {
			return s, nil
		}
		raw, ok := c.raw[name]
		if !ok {
			return nil, fmt.Errorf("respcheck: %s: $ref %q: no such schema", where, ref)
		}
		s := &schema{}
		c.named[name] = s // before compiling, for schemas that refer to themselves
		compiled, err := c.compile(raw, "#/components/schemas/"+name)
		if err != nil {
			return nil, err
		}
		*s = *compiled
		return s, nil
	}
	s := &schema{}
	for key, val := range m {
		var err error
		switch key {
		case "type":
			s.typ, _ = val.(string)
			if !slices.Contains([]string{"object", "array", "string", "number", "integer", "boolean"}, s.typ) {
				err = fmt.Errorf("type %v", val)
			}
		case "nullable":
			s.nullable, _ = val.(bool)
		case "properties":
			s.properties = map[string]*schema{}
			for name, p := range asMap(val) {
				if s.properties[name], err = c.compile(p, where+"/"+name); err != nil {
					return nil, err
				}
			}
		case "required":
			for _, r := range val.([]any) {
				s.required = append(s.required, fmt.Sprint(r))
			}
		case "additionalProperties":
			switch val := val.(type) {
			case bool:
				s.noAdditional = !val
			default:
				s.additional, err = c.compile(val, where+"/additionalProperties")
			}
		case "items":
			s.items, err = c.compile(val, where+"/items")
		case "enum":
			s.enum, _ = val.([]any)
		case "format":
			if f, _ := val.(string); checkedFormats[f] != "" {
				s.format = f
			}
		case "exclusiveMinimum":
			if s.exclusiveMin, ok = val.(bool); !ok {
				s.exclusiveBelow, err = floatValue(val)
			}
		case "exclusiveMaximum":
			if s.exclusiveMax, ok = val.(bool); !ok {
				s.exclusiveAbove, err = floatValue(val)
			}
		case "multipleOf":
			var f *float64
			if f, err = floatValue(val); err == nil && !math.IsInf(*f, 0) { // as kin-openapi: infinite asks nothing
				s.multipleOf = new(big.Rat).SetFloat64(*f) // ≤ 0: kin-openapi loads it, and every number fails it
			}
		case "uniqueItems":
			s.uniqueItems, _ = val.(bool)
		case "minLength":
			s.minLength, err = intValue(val)
		case "maxLength":
			s.maxLength, err = intValue(val)
		case "minItems":
			s.minItems, err = intValue(val)
		case "maxItems":
			s.maxItems, err = intValue(val)
		case "minProperties":
			s.minProps, err = intValue(val)
		case "maxProperties":
			s.maxProps, err = intValue(val)
		case "minimum":
			s.minimum, err = floatValue(val)
		case "maximum":
			s.maximum, err = floatValue(val)
		case "pattern":
			text, ok := val.(string)
			if !ok {
				err = fmt.Errorf("pattern %v is not a string", val)
				break
			}
			// Patterns are ECMA-262 regular expressions; Go's regexp (RE2)
			// reads most of the ones descriptions use, \uXXXX written as
			// \x{XXXX}. One it cannot read (a lookahead, a backreference) is
			// skipped rather than refused: the fake server and validate must
			// keep working on a description that uses it, and checking
			// everything but that one keyword beats checking nothing.
			if re, rerr := regexp.Compile(goPattern(text)); rerr == nil {
				s.pattern, s.patternText = re, text
			}
		case "allOf", "anyOf", "oneOf":
			list, ok := val.([]any)
			if !ok {
				err = fmt.Errorf("%s must be a list of schemas", key)
				break
			}
			if len(list) == 0 {
				break // as kin-openapi: an empty list asks nothing
			}
			branches := make([]*schema, len(list))
			refs := make([]string, len(list))
			for i, b := range list {
				if branches[i], err = c.compile(b, fmt.Sprintf("%s/%s/%d", where, key, i)); err != nil {
					return nil, err
				}
				refs[i], _ = asMap(b)["$ref"].(string)
			}
			switch key {
			case "allOf":
				s.allOf = branches
			case "anyOf":
				s.anyOf, s.anyOfRefs = branches, refs
			default:
				s.oneOf, s.oneOfRefs = branches, refs
			}
		case "discriminator":
			d := asMap(val)
			name, _ := d["propertyName"].(string) // "" too, as kin-openapi
			s.discriminator = &discriminator{property: name}
			if m := asMap(d["mapping"]); len(m) > 0 {
				s.discriminator.mapping = map[string]string{}
				for k, v := range m {
					ref, _ := v.(string)
					if !strings.Contains(ref, "/") { // a schema's bare name
						ref = "#/components/schemas/" + ref
					}
					s.discriminator.mapping[k] = ref
				}
			}
		case "not":
			s.not, err = c.compile(val, where+"/not")
		case "writeOnly":
			s.writeOnly, _ = val.(bool)
		default:
			if !strings.HasPrefix(key, "x-") && !slices.Contains(annotations, key) {
				err = fmt.Errorf("keyword %q is not supported", key)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("respcheck: %s: %w", where, err)
		}
	}
	return s, nil
}

// unicodeEscape is ECMA-262's \uXXXX, which Go's regexp writes \x{XXXX}.
var unicodeEscape = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})`)

// goPattern rewrites an ECMA-262 pattern for Go's regexp where the two
// differ only in spelling.
func goPattern(p string) string {
	if !strings.Contains(p, `\u`) {
		return p
	}
	return unicodeEscape.ReplaceAllString(p, `\x{$1}`)
}

func intValue(v any) (*int, error) {
	n, ok := v.(int)
	if !ok {
		return nil, fmt.Errorf("%v is not an integer", v)
	}
	return &n, nil
}

func floatValue(v any) (*float64, error) {
	switch v := v.(type) {
	case int:
		f := float64(v)
		return &f, nil
	case float64:
		return &v, nil
	}
	return nil, fmt.Errorf("%v is not a number", v)
}

// check appends to out how value, at pointer field, differs from s.
func (s *schema) check(value any, field string, out *[]Mismatch) {
	s.visit(value, field, out, nil)
}

// visit is check. on holds the schemas of allOf, anyOf, oneOf and not
// being applied to this same value: a schema that reaches itself through
// them (A: {allOf: [$ref A]}) adds nothing the second time, so it passes
// there, as in kin-openapi, instead of recursing forever. A child value
// starts again with none.
func (s *schema) visit(value any, field string, out *[]Mismatch, on []*schema) {
	if slices.Contains(on, s) {
		return
	}
	add := func(expected string) {
		at := field
		if at == "" {
			at = "/" // the body itself
		}
		*out = append(*out, Mismatch{Field: at, Expected: expected, Got: Describe(value)})
	}
	if value == nil && s.nullable {
		return
	}
	// As kin-openapi: not, then oneOf, anyOf and allOf; a failed one is the
	// value's one mismatch at this schema. A null that they accept is
	// accepted whatever the rest says.
	if s.not != nil || s.allOf != nil || s.anyOf != nil || s.oneOf != nil {
		on = append(on, s)
		if !s.compose(value, field, out, on) {
			return
		}
		if value == nil && (s.allOf != nil || s.anyOf != nil || s.oneOf != nil) {
			return
		}
	}
	if value == nil { // as kin-openapi: typed or not, only nullable takes null
		if !s.nullable {
			add("a value, not null")
		}
		return
	}
	if len(s.enum) > 0 && !slices.ContainsFunc(s.enum, func(e any) bool { return equal(e, value) }) {
		add(fmt.Sprintf("enum: value is not one of the allowed values %v", s.enum))
	}
	switch v := value.(type) {
	case bool:
		if s.typ != "" && s.typ != "boolean" {
			add("type " + s.typ)
		}
	case json.Number: // out of float64's range: no typed schema takes it
		if s.typ != "" {
			add("type " + s.typ)
		}
	case float64:
		if s.typ != "" && s.typ != "number" && s.typ != "integer" {
			add("type " + s.typ)
			return
		}
		// As kin-openapi, the other keywords are checked on a number
		// that is not the integer asked for too.
		if s.typ == "integer" {
			if v != math.Trunc(v) {
				add("type integer")
			}
			if s.format != "" && !inIntRange(v, s.format) {
				add(`format: integer doesn't match the format "` + s.format + `"`)
			}
		}
		if b := s.exclusiveBelow; b != nil && v <= *b {
			add(fmt.Sprintf("exclusiveMinimum: number must be more than %g", *b))
		}
		if b := s.exclusiveAbove; b != nil && v >= *b {
			add(fmt.Sprintf("exclusiveMaximum: number must be less than %g", *b))
		}
		if s.minimum != nil {
			if s.exclusiveMin && v <= *s.minimum {
				add(fmt.Sprintf("exclusiveMinimum: number must be more than %g", *s.minimum))
			}
			if v < *s.minimum {
				add(fmt.Sprintf("minimum: number must be at least %g", *s.minimum))
			}
		}
		if s.maximum != nil {
			if s.exclusiveMax && v >= *s.maximum {
				add(fmt.Sprintf("exclusiveMaximum: number must be less than %g", *s.maximum))
			}
			if v > *s.maximum {
				add(fmt.Sprintf("maximum: number must be at most %g", *s.maximum))
			}
		}
		if s.multipleOf != nil {
			f, _ := s.multipleOf.Float64()
			switch {
			case s.multipleOf.Sign() <= 0:
				add(fmt.Sprintf("multipleOf: multipleOf must be greater than zero, got %g", f))
			case !multipleOf(v, s.multipleOf):
				add(fmt.Sprintf("multipleOf: number must be a multiple of %g", f))
			}
		}
	case string:
		if s.typ != "" && s.typ != "string" {
			add("type " + s.typ)
			return
		}
		n := utf8.RuneCountInString(v)
		if s.minLength != nil && n < *s.minLength {
			add(fmt.Sprintf("minLength: minimum string length is %d", *s.minLength))
		}
		if s.maxLength != nil && n > *s.maxLength {
			add(fmt.Sprintf("maxLength: maximum string length is %d", *s.maxLength))
		}
		if s.format != "" && checkedFormats[s.format] == "string" && !stringForm(v, s.format) {
			add(`format: string doesn't match the format "` + s.format + `"`)
		}
		if s.pattern != nil && !s.pattern.MatchString(v) {
			add(`pattern: string doesn't match the regular expression "` + s.patternText + `"`)
		}
	case []any:
		if s.typ != "" && s.typ != "array" {
			add("type " + s.typ)
			return
		}
		if s.minItems != nil && len(v) < *s.minItems {
			add(fmt.Sprintf("minItems: minimum number of items is %d", *s.minItems))
		}
		if s.maxItems != nil && len(v) > *s.maxItems {
			add(fmt.Sprintf("maxItems: maximum number of items is %d", *s.maxItems))
		}
		if s.uniqueItems && !unique(v) {
			add("uniqueItems: duplicate items found")
		}
		if s.items != nil {
			for i, item := range v {
				s.items.check(item, field+"/"+strconv.Itoa(i), out)
			}
		}
	case map[string]any:
		if s.typ != "" && s.typ != "object" {
			add("type " + s.typ)
			return
		}
		if s.minProps != nil && len(v) < *s.minProps {
			add(fmt.Sprintf("minProperties: there must be at least %d properties", *s.minProps))
		}
		if s.maxProps != nil && len(v) > *s.maxProps {
			add(fmt.Sprintf("maxProperties: there must be at most %d properties", *s.maxProps))
		}
		for _, name := range sortedKeys(v) {
			p, ok := s.properties[name]
			if ok && p.writeOnly && v[name] != nil {
				*out = append(*out, Mismatch{Field: field + "/" + escape(name), Expected: fmt.Sprintf("writeOnly: writeOnly property %q in response", name), Got: Describe(v[name])})
			}
			switch {
			case ok:
				p.check(v[name], field+"/"+escape(name), out)
			case s.additional != nil:
				s.additional.check(v[name], field+"/"+escape(name), out)
			case s.noAdditional:
				*out = append(*out, Mismatch{Field: field + "/" + escape(name), Expected: "no property " + strconv.Quote(name), Got: Describe(v[name])})
			}
		}
		for _, name := range s.required {
			if _, ok := v[name]; !ok && !s.writeOnlyProperty(name, nil) {
				*out = append(*out, Mismatch{Field: field + "/" + escape(name), Expected: "a required field", Got: "absent"})
			}
		}
	}
}

// compose applies s's not, oneOf, anyOf and allOf to value, in that
// order, as kin-openapi does, and reports whether they pass. The first
// that fails appends its mismatches and ends the checks: for not, anyOf
// and oneOf one mismatch at the value, saying which branches failed and
// why, briefly; for allOf the mismatches of each branch, every one being
// the value's own.
func (s *schema) compose(value any, field string, out *[]Mismatch, on []*schema) bool {
	add := func(expected string) {
		at := field
		if at == "" {
			at = "/"
		}
		*out = append(*out, Mismatch{Field: at, Expected: expected, Got: Describe(value)})
	}
	if s.not != nil && len(s.branch(s.not, value, field, on)) == 0 {
		add("not: a value the schema under not rejects")
		return false
	}
	if s.oneOf != nil {
		ref, ok := s.discriminate(value, field, out)
		if !ok {
			return false
		}
		var matched []string
		var failed []failure
		for i, b := range s.oneOf {
			if ref != "" && s.oneOfRefs[i] != ref {
				continue
			}
			if ms := s.branch(b, value, field, on); len(ms) > 0 {
				failed = append(failed, failure{i, ms})
			} else {
				matched = append(matched, strconv.Itoa(i))
			}
		}
		switch len(matched) {
		case 0:
			add("oneOf: no branch matches; " + branchReasons(failed, field))
			return false
		case 1:
		default:
			add("oneOf: exactly one branch, but branches " + strings.Join(matched, ", ") + " match")
			return false
		}
	}
	if s.anyOf != nil {
		ref, ok := s.discriminate(value, field, out)
		if !ok {
			return false
		}
		var failed []failure
		matched := false
		for i, b := range s.anyOf {
			if ref != "" && s.anyOfRefs[i] != ref {
				continue
			}
			ms := s.branch(b, value, field, on)
			if len(ms) == 0 {
				matched = true
				break
			}
			failed = append(failed, failure{i, ms})
		}
		if !matched {
			add("anyOf: no branch matches; " + branchReasons(failed, field))
			return false
		}
	}
	if s.allOf != nil {
		var all []Mismatch
		for _, b := range s.allOf {
			for _, m := range s.branch(b, value, field, on) {
				if !slices.Contains(all, m) { // two branches may ask the same
					all = append(all, m)
				}
			}
		}
		*out = append(*out, all...)
		return len(all) == 0
	}
	return true
}

// discriminate returns the $ref of the branch that s's discriminator
// picks for value, "" for every branch, or false, having added the
// mismatch, where the value lacks the property or has one the mapping
// does not name.
func (s *schema) discriminate(value any, field string, out *[]Mismatch) (string, bool) {
	add := func(expected string, got any) {
		at := field
		if at == "" {
			at = "/"
		}
		g := "absent"
		if got != nil {
			g = Describe(got)
		}
		*out = append(*out, Mismatch{Field: at, Expected: expected, Got: g})
	}
	d := s.discriminator
	obj, isObj := value.(map[string]any)
	if d == nil || !isObj {
		return "", true
	}
	v, ok := obj[d.property]
	if !ok {
		add(fmt.Sprintf("discriminator: input does not contain the discriminator property %q", d.property), nil)
		return "", false
	}
	name, ok := v.(string)
	if !ok {
		add(fmt.Sprintf("discriminator: value of discriminator property %q is not a string", d.property), v)
		return "", false
	}
	if d.mapping == nil {
		return "", true
	}
	ref, ok := d.mapping[name]
	if !ok {
		add(fmt.Sprintf("discriminator: discriminator property %q has invalid value", d.property), v)
		return "", false
	}
	return ref, true
}

// branch returns how value differs from b, one of s's branches.
func (s *schema) branch(b *schema, value any, field string, on []*schema) []Mismatch {
	var ms []Mismatch
	b.visit(value, field, &ms, on)
	return ms
}

// inIntRange reports whether an integer v is within the range of an
// integer format, int32 or int64.
func inIntRange(v float64, format string) bool {
	if format == "int32" {
		return v >= math.MinInt32 && v <= math.MaxInt32
	}
	// 2^63 is what float64 makes of math.MaxInt64: kin-openapi takes it.
	return v >= math.MinInt64 && v <= math.MaxInt64
}

// stringForm reports whether v has the form of a string format.
func stringForm(v, format string) bool {
	switch format {
	case "date":
		return dateForm.MatchString(v)
	case "date-time":
		return dateTimeForm.MatchString(v)
	}
	return byteForm.MatchString(v)
}

// multipleOf reports whether v is a multiple of m: exactly, or as kin-openapi
// reads it, to within 2^-51 of v, the precision a float64 division leaves.
func multipleOf(v float64, m *big.Rat) bool {
	x := new(big.Rat).SetFloat64(v)
	q := new(big.Rat).Quo(x, m)
	if q.IsInt() {
		return true
	}
	lo := new(big.Int).Div(q.Num(), q.Denom())
	tolerance := new(big.Rat).Abs(x)
	tolerance.Mul(tolerance, new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Lsh(big.NewInt(1), 51)))
	for _, k := range []*big.Int{lo, new(big.Int).Add(lo, big.NewInt(1))} {
		gap := new(big.Rat).Sub(x, new(big.Rat).Mul(new(big.Rat).SetInt(k), m))
		if gap.Abs(gap).Cmp(tolerance) <= 0 {
			return true
		}
	}
	return false
}

// unique reports whether no two items of an array are the same JSON
// value.
func unique(items []any) bool {
	seen := make(map[string]bool, len(items))
	for _, item := range items {
		b, err := json.Marshal(item)
		if err != nil {
			return true // not from JSON; nothing to compare
		}
		if seen[string(b)] {
			return false
		}
		seen[string(b)] = true
	}
	return true
}

// failure is a branch that failed: its index and its mismatches.
type failure struct {
	index int
	ms    []Mismatch
}

// branchReasons says briefly why branches failed: the first mismatch of
// each of the first three.
func branchReasons(failed []failure, field string) string {
	var b strings.Builder
	for i, f := range failed {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(failed)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "branch %d: %s", f.index, firstReason(f.ms, field))
	}
	return b.String()
}

// firstReason is a branch's first mismatch, without its field where it is
// the value's own (field), and how many more the branch has.
func firstReason(ms []Mismatch, field string) string {
	m := ms[0]
	if m.Field == field || (field == "" && m.Field == "/") {
		m.Field = ""
	}
	r := m.String()
	if m.Field == "" {
		r = strings.TrimPrefix(r, "(response): ")
	}
	if len(ms) > 1 {
		r += fmt.Sprintf(" (and %d more)", len(ms)-1)
	}
	return r
}

// writeOnlyProperty reports whether s, or a schema of its allOf (and
// theirs), declares property name writeOnly: a response may then lack it
// even where it is required.
func (s *schema) writeOnlyProperty(name string, seen []*schema) bool {
	if slices.Contains(seen, s) {
		return false
	}
	if p, ok := s.properties[name]; ok && p.writeOnly {
		return true
	}
	seen = append(seen, s)
	for _, b := range s.allOf {
		if b.writeOnlyProperty(name, seen) {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// escape writes a key as a JSON pointer token.
func escape(key string) string {
	return strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
}

// equal compares an enum value from YAML with a value from JSON.
func equal(a, b any) bool {
	if n, ok := a.(int); ok {
		a = float64(n)
	}
	return reflect.DeepEqual(a, b)
}

// Describe names a JSON value's kind, with short scalars shown.
func Describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprint(v)
	case float64:
		return fmt.Sprint(v)
	case json.Number:
		if len(v) > 40 {
			return fmt.Sprintf("number %s… (out of range)", v[:40])
		}
		return fmt.Sprintf("number %s (out of range)", v)
	case string:
		if len(v) > 40 {
			return fmt.Sprintf("string %q…", v[:40])
		}
		return fmt.Sprintf("string %q", v)
	case []any:
		return fmt.Sprintf("array of %d", len(v))
	case map[string]any:
		return fmt.Sprintf("object with %d fields", len(v))
	}
	return fmt.Sprintf("%T", v)
}
