// Package aivenapi is a Go client for the Aiven API (also behind Managed
// Service for TimescaleDB). The client itself is package api; package auth
// holds the request editors for each token scheme.
//
// This package holds the OpenAPI description the client is generated from,
// so that tools such as response validators can use the very description the
// client was built against.
package aivenapi

import (
	"bytes"
	_ "embed"
)

// Regenerate api/api.gen.go from openapi.yaml with the oapi-codegen pinned in
// tools/go.mod, kept apart so that the generator's dependencies never enter
// the module graph of programs that import this module.
//go:generate go tool -modfile=tools/go.mod oapi-codegen -config oapi-codegen.yaml openapi.yaml

// Mark the generated constructors as the raw client in their doc comments
// (tools/rawdoc), so that go doc names api.New as the way in.
//go:generate go run -C tools ./rawdoc -file ../api/api.gen.go

// Then write api/decode.gen.go, the decoders of the types just generated,
// with tools/gendecode (see its documentation).
//go:generate go run -C tools ./gendecode -dir ../api

//go:embed openapi.yaml
var spec []byte

// OpenAPI returns openapi.yaml, the description package api is generated
// from. Each call returns a new copy.
func OpenAPI() []byte { return bytes.Clone(spec) }
