// Package json is the JSON package that api/api.gen.go imports in place of
// encoding/json (templates/imports.tmpl makes oapi-codegen write that
// import). It is encoding/json, except that Unmarshal first offers the
// value to the decoder package api registers with SetDecoder.
//
// encoding/json checks the syntax of a whole body before it hands the body
// to a type's UnmarshalJSON method, and then scans it a second time to find
// where the value ends: two passes over every byte that cost as much as a
// fast decoder's whole work (12 ms for a 1.4 MB project list). Through this
// package the generated Parse functions reach api's decoders (generated
// into api/decode.gen.go by tools/gendecode) directly, and those check the
// syntax as they decode.
package json

import stdjson "encoding/json"

// RawMessage is encoding/json's RawMessage.
type RawMessage = stdjson.RawMessage

// Marshal is encoding/json's Marshal.
func Marshal(v any) ([]byte, error) { return stdjson.Marshal(v) }

// Decoder decodes data into v and reports true when it knows v's type;
// for any other type it reports false and leaves v alone. A Decoder checks
// the syntax of all of data itself and rejects whatever encoding/json would
// reject.
type Decoder func(data []byte, v any) (ok bool, err error)

var decoder Decoder

// SetDecoder sets the Decoder that Unmarshal tries first. It is meant to be
// called once, from a package's init function.
func SetDecoder(d Decoder) { decoder = d }

// Unmarshal decodes data into v with the Decoder set by SetDecoder when it
// knows v's type, and with encoding/json.Unmarshal otherwise.
func Unmarshal(data []byte, v any) error {
	if decoder != nil {
		if ok, err := decoder(data, v); ok {
			return err
		}
	}
	return stdjson.Unmarshal(data, v)
}
