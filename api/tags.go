package api

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Tags are a project's resource tags, keys to values.
//
// Aiven sends strings; the upstream description allows any JSON value, so
// decoding never fails on one: a value that is not a string is kept as its
// JSON text (1 becomes "1", true becomes "true", null becomes "null").
type Tags map[string]string

// UnmarshalJSON decodes a JSON object of tags; null leaves t nil.
func (t *Tags) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*t = nil
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("api: tags: %w", err)
	}
	out := make(Tags, len(raw))
	for k, v := range raw {
		var s string
		if len(v) > 0 && v[0] == '"' && json.Unmarshal(v, &s) == nil {
			out[k] = s
			continue
		}
		out[k] = string(v)
	}
	*t = out
	return nil
}
