package bench

// The ogen peer is generated from the project's own openapi.yaml, so every
// client in the benchmark decodes the same description.
//go:generate go tool ogen -config ogen.yml -package ogenclient -target ogenclient -clean ../openapi.yaml
