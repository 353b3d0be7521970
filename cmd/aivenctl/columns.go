package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/aivenapi/aivenapi/internal/jsonread"
)

// The table of a list of items of a generated type (a cloud list) has a
// column for every field of the type, as avn shows every field: nothing
// here names a field, so a field the spec adds is a column with no edit.

// tableColumn is a column for a field of an item type: a field with a
// value of its own, or a field of a struct field flattened as avn
// flattens an object (zone.id, the column ZONE.ID).
type tableColumn struct {
	name string // the JSON names of the path, dotted: "zone.id"
	text func(item reflect.Value) string
}

// fieldSet is the fields of a struct that encoding/json decodes into, by
// JSON name: the keys of an object the table shows typed.
type fieldSet struct {
	exact  map[string]*declaredField
	folded map[string]*declaredField // by foldKey, as encoding/json matches a key in another case
}

// declaredField is a field of a fieldSet: name is its JSON name; sub is
// the fields of a struct flattened into columns, nil for a field with a
// column of its own.
type declaredField struct {
	name string
	sub  *fieldSet
}

// lookup is the field that encoding/json decodes the object key into, or
// nil when the type does not declare it: the key as written, else the
// key in another case.
func (fs *fieldSet) lookup(key string) *declaredField {
	if fs == nil {
		return nil
	}
	if f, ok := fs.exact[key]; ok {
		return f
	}
	return fs.folded[foldKey(key)]
}

func (fs *fieldSet) add(f *declaredField) {
	if _, ok := fs.exact[f.name]; ok {
		return
	}
	fs.exact[f.name] = f
	if k := foldKey(f.name); fs.folded[k] == nil {
		fs.folded[k] = f
	}
}

func newFieldSet() *fieldSet {
	return &fieldSet{exact: map[string]*declaredField{}, folded: map[string]*declaredField{}}
}

// foldKey is key with each letter replaced by the least of the letters
// it equals ignoring case (unicode.SimpleFold): two keys encoding/json
// takes for the same field fold to the same string.
func foldKey(key string) string {
	var b strings.Builder
	b.Grow(len(key))
	for _, r := range key {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}

// tableType is what the table of a type needs, derived from the type once.
type tableType struct {
	columns  []tableColumn  // by name
	byHeader map[string]int // upper-case column name → index in columns
	fields   *fieldSet
}

var tableTypes sync.Map // reflect.Type → *tableType

// tableOf is the tableType of T, derived at first use.
func tableOf[T any]() *tableType {
	t := reflect.TypeFor[T]()
	if tt, ok := tableTypes.Load(t); ok {
		return tt.(*tableType)
	}
	tt, _ := tableTypes.LoadOrStore(t, newTableType(t))
	return tt.(*tableType)
}

func newTableType(t reflect.Type) *tableType {
	tt := &tableType{fields: newFieldSet(), byHeader: map[string]int{}}
	root := func(v reflect.Value) reflect.Value { return v }
	if t.Kind() == reflect.Struct {
		tt.addFields(t, "", root, tt.fields, []reflect.Type{t})
	}
	slices.SortStableFunc(tt.columns, func(a, b tableColumn) int { return strings.Compare(a.name, b.name) })
	for i, c := range tt.columns {
		h := strings.ToUpper(c.name)
		if _, ok := tt.byHeader[h]; !ok {
			tt.byHeader[h] = i
		}
	}
	return tt
}

// addFields adds the fields of struct type t, reached from an item by
// get, as encoding/json sees them: by JSON name, the fields of an
// embedded struct promoted. path is the struct types being flattened,
// against a type that holds itself.
func (tt *tableType) addFields(t reflect.Type, prefix string, get func(reflect.Value) reflect.Value, fs *fieldSet, path []reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		fget := func(v reflect.Value) reflect.Value {
			if v = get(v); !v.IsValid() {
				return v
			}
			return v.Field(i)
		}
		if f.Anonymous && name == "" {
			et := f.Type
			eget := fget
			if et.Kind() == reflect.Pointer {
				et, eget = et.Elem(), deref(fget)
			}
			if et.Kind() == reflect.Struct && !slices.Contains(path, et) {
				tt.addFields(et, prefix, eget, fs, append(path, et))
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if d := tt.addField(f.Type, name, prefix+name, fget, path); d != nil {
			fs.add(d)
		}
	}
}

// addField adds the columns of a field of type t named name (its JSON
// name), at column path col: one column, or one per field of a struct.
// It returns nil for a type whose value the table takes from the API's
// text (a map, any, json.RawMessage), as for a field not declared.
func (tt *tableType) addField(t reflect.Type, name, col string, get func(reflect.Value) reflect.Value, path []reflect.Type) *declaredField {
	switch {
	case t.Kind() == reflect.Pointer:
		return tt.addField(t.Elem(), name, col, deref(get), path)
	case isNullable(t):
		return tt.addField(t.Elem(), name, col, nullableValue(get), path)
	case t == rawMessageType, t.Kind() == reflect.Map, t.Kind() == reflect.Interface:
		return nil
	case t.Kind() == reflect.Struct && !opaque(t) && !slices.Contains(path, t):
		sub := newFieldSet()
		tt.addFields(t, col+".", get, sub, append(path, t))
		return &declaredField{name: name, sub: sub}
	}
	text := formatter(t, 0)
	tt.columns = append(tt.columns, tableColumn{name: col, text: func(item reflect.Value) string {
		v := get(item)
		if !v.IsValid() {
			return ""
		}
		return text(v)
	}})
	return &declaredField{name: name}
}

var (
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	stringerType    = reflect.TypeFor[fmt.Stringer]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

// opaque reports whether a struct type is one value rather than an object
// of fields: api.Time, a union, anything that decodes itself.
func opaque(t reflect.Type) bool {
	return t.Implements(stringerType) || reflect.PointerTo(t).Implements(unmarshalerType)
}

// isNullable reports whether t is a nullable.Nullable[T] of
// oapi-codegen: a map[bool]T holding the value at true when there is one.
func isNullable(t reflect.Type) bool {
	return t.Kind() == reflect.Map && t.Key().Kind() == reflect.Bool && t.PkgPath() == "github.com/oapi-codegen/nullable"
}

var trueValue = reflect.ValueOf(true)

// nullableValue reaches the value of a nullable.Nullable reached by get:
// invalid when null or absent.
func nullableValue(get func(reflect.Value) reflect.Value) func(reflect.Value) reflect.Value {
	return func(v reflect.Value) reflect.Value {
		if v = get(v); !v.IsValid() || v.IsNil() {
			return reflect.Value{}
		}
		return v.MapIndex(trueValue)
	}
}

// deref reaches the value a pointer reached by get points to: invalid
// when nil.
func deref(get func(reflect.Value) reflect.Value) func(reflect.Value) reflect.Value {
	return func(v reflect.Value) reflect.Value {
		if v = get(v); !v.IsValid() || v.IsNil() {
			return reflect.Value{}
		}
		return v.Elem()
	}
}

// maxFormatDepth bounds formatter on a type that holds itself
// (type T []T): deeper values are shown as JSON.
const maxFormatDepth = 8

// formatter is the cell of a value of type t, by kind: a string as is, a
// number with every digit it has (53.073635, not 53.07 nor
// 5.3073635e+01), nothing for nil or null, the items of a list separated
// by ", " (as avn prints them), a time as the API sent it, anything else
// (an object in a list, a union) as compact JSON, as rawText shows a
// value the client has no type for.
func formatter(t reflect.Type, depth int) func(reflect.Value) string {
	if t.Implements(stringerType) && t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		return func(v reflect.Value) string {
			if !v.CanInterface() {
				return "" // a field of an embedded unexported struct
			}
			return v.Interface().(fmt.Stringer).String()
		}
	}
	switch t.Kind() {
	case reflect.String:
		return reflect.Value.String
	case reflect.Bool:
		return func(v reflect.Value) string { return strconv.FormatBool(v.Bool()) }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(v reflect.Value) string { return strconv.FormatInt(v.Int(), 10) }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(v reflect.Value) string { return strconv.FormatUint(v.Uint(), 10) }
	case reflect.Float32, reflect.Float64:
		bits := t.Bits()
		return func(v reflect.Value) string { return strconv.FormatFloat(v.Float(), 'f', -1, bits) }
	}
	if depth >= maxFormatDepth {
		return jsonText
	}
	switch {
	case t.Kind() == reflect.Pointer:
		elem := formatter(t.Elem(), depth+1)
		return func(v reflect.Value) string {
			if v.IsNil() {
				return ""
			}
			return elem(v.Elem())
		}
	case isNullable(t):
		elem := formatter(t.Elem(), depth+1)
		return func(v reflect.Value) string {
			if e := v.MapIndex(trueValue); e.IsValid() {
				return elem(e)
			}
			return ""
		}
	case t == rawMessageType:
		return func(v reflect.Value) string { return rawText(v.Bytes()) }
	case (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && t.Elem().Kind() != reflect.Uint8:
		elem := formatter(t.Elem(), depth+1)
		if k := t.Elem().Kind(); k == reflect.Struct || k == reflect.Map {
			elem = jsonText // an object in a list: compact JSON, as rawText
		}
		return func(v reflect.Value) string {
			texts := make([]string, v.Len())
			for i := range texts {
				texts[i] = elem(v.Index(i))
			}
			return strings.Join(texts, ", ")
		}
	}
	return jsonText
}

// jsonText is the cell of a value as JSON (rawText of its encoding):
// []byte as base64, as the API would send it.
func jsonText(v reflect.Value) string {
	if !v.CanInterface() {
		return "" // a field of an embedded unexported struct
	}
	if v.CanAddr() {
		v = v.Addr() // for a MarshalJSON with a pointer receiver
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return ""
	}
	return rawText(b)
}

// listOutput is a list of items of type T: raw (the JSON array the items
// decoded from) for --json, a row per item for a table. The table has a
// column for every field the items of raw carry, as avn shows them: the
// fields T declares, typed, and every other one from the API's text (an
// object flattened to one column per field, named NAME.FIELD); all
// alphabetically by the API's field name. A field T declares that no item
// carries has no column, as in avn, so a field the spec adds changes no
// table until the API sends it. Without raw, every field of T has one.
func listOutput[T any](raw []byte, list []T) output {
	return output{
		json: raw,
		table: func() ([]string, [][]string) {
			tt := tableOf[T]()
			extra, cells, present := undeclaredFields(raw, len(list), tt.fields)
			header := tt.header(extra, present)
			src := make([]int, len(header)) // index in tt.columns, -1 for an undeclared column
			for j, h := range header {
				if c, ok := tt.byHeader[h]; ok {
					src[j] = c
				} else {
					src[j] = -1
				}
			}
			rows := make([][]string, len(list))
			for i := range list {
				item := reflect.ValueOf(&list[i]).Elem()
				row := make([]string, len(header))
				for j, c := range src {
					if c >= 0 {
						row[j] = tt.columns[c].text(item)
					} else {
						row[j] = cells[i][header[j]]
					}
				}
				rows[i] = row
			}
			return header, rows
		},
	}
}

// header is the header of a table with the undeclared field names extra
// and the declared fields present (all of them when present is nil): all
// columns in the order of the API's field names, each named once
// ("Cloud_Name" and "cloud_name" would both be CLOUD_NAME; the declared
// field's typed value is shown).
func (tt *tableType) header(extra []string, present map[string]bool) []string {
	names := make([]string, 0, len(tt.columns)+len(extra))
	for _, c := range tt.columns {
		top, _, _ := strings.Cut(c.name, ".")
		if present == nil || present[strings.ToUpper(top)] {
			names = append(names, c.name)
		}
	}
	names = append(names, extra...)
	slices.Sort(names)
	header := names[:0]
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if n = strings.ToUpper(n); !seen[n] {
			seen[n] = true
			header = append(header, n)
		}
	}
	return header
}

// undeclaredFields reads the JSON array raw of n items and returns the
// names of the fields that fs does not declare (also inside a declared
// struct field), objects flattened to dotted names as avn flattens them,
// for each item its cells by upper-case column name (nil for an item
// without such fields), and the upper-case names of the declared fields
// some item carries. raw has already decoded into the items, so an error
// here is unexpected; it yields no extra columns and every declared one
// (present nil).
func undeclaredFields(raw []byte, n int, fs *fieldSet) (names []string, cells []map[string]string, present map[string]bool) {
	cells = make([]map[string]string, n)
	present = map[string]bool{}
	seen := map[string]bool{}
	// field adds the field name with value v; sub is its fields when it
	// is a declared struct (whose own cells are typed).
	var field func(i int, name string, v []byte, sub *fieldSet)
	field = func(i int, name string, v []byte, sub *fieldSet) {
		if len(v) > 0 && v[0] == '{' {
			var fields map[string]json.RawMessage
			if json.Unmarshal(v, &fields) == nil {
				for k, fv := range fields {
					if d := sub.lookup(k); d != nil {
						if d.sub != nil {
							field(i, name+"."+d.name, fv, d.sub)
						}
						continue
					}
					field(i, name+"."+k, fv, nil)
				}
				return
			}
		}
		if sub != nil {
			return // a declared struct that is null
		}
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
		if cells[i] == nil {
			cells[i] = map[string]string{}
		}
		cells[i][strings.ToUpper(name)] = rawText(v)
	}
	var r jsonread.Reader
	r.Reset(raw)
	i := 0
	if r.Array() {
		for first := true; r.Item(&first) && i < n; i++ {
			if !r.Object() {
				continue // null, which decoded into a zero item
			}
			for first := true; ; {
				key, ok := r.Field(&first)
				if !ok {
					break
				}
				d := fs.lookup(string(key))
				if d != nil {
					present[strings.ToUpper(d.name)] = true
				}
				if d != nil && d.sub == nil {
					r.Skip() // declared: the table has it typed
					continue
				}
				v, _ := r.Raw()
				if d != nil {
					field(i, d.name, v, d.sub)
				} else {
					field(i, string(key), v, nil)
				}
			}
		}
	}
	if r.Err() != nil || i != n {
		return nil, make([]map[string]string, n), nil
	}
	return names, cells, present
}
