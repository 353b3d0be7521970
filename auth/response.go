package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aivenapi/aivenapi/internal/secret"
)

// maxExcerpt is how many characters of a response an error quotes.
const maxExcerpt = 160

// jsonMessage returns the human-readable message of a JSON error body:
// Aiven's and IBM's "message", or an OAuth-style "error_description" or
// "error".
func jsonMessage(body []byte) (string, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return "", false
	}
	for _, k := range []string{"message", "errorMessage", "error_description", "error", "msg"} {
		var s string
		if json.Unmarshal(m[k], &s) == nil && strings.TrimSpace(s) != "" {
			return s, true
		}
	}
	return "", false
}

// parseTokenResponse reads a successful token endpoint body. reason
// explains why it is unusable, naming fields and positions but never
// quoting the body; access is set whenever the body holds one, so that
// the caller can mask it.
func parseTokenResponse(body []byte, contentType string) (access, userID, reason string) {
	trimmed := bytes.TrimSpace(body)
	ct := strconv.Quote(secret.OneLine(contentType, maxExcerpt))
	if len(trimmed) == 0 {
		return "", "", "empty response body"
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &m); err != nil {
		if trimmed[0] == '<' || strings.Contains(strings.ToLower(contentType), "html") {
			return "", "", "response is an HTML page, not JSON (content type " + ct + ")"
		}
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return "", "", fmt.Sprintf("response is not valid JSON (syntax error at byte %d; content type %s)", se.Offset, ct)
		case errors.As(err, &te):
			return "", "", "response is JSON but not an object"
		}
		return "", "", "response is not valid JSON"
	}
	if m == nil {
		return "", "", "response is JSON but not an object"
	}
	raw, ok := m["access_token"]
	if !ok || string(raw) == "null" {
		return "", "", "response has no access_token"
	}
	if json.Unmarshal(raw, &access) != nil {
		return "", "", "access_token is not a string"
	}
	switch u := m["user_id"]; {
	case len(u) == 0 || string(u) == "null":
	case u[0] == '"':
		if json.Unmarshal(u, &userID) != nil {
			return access, "", "user_id is not a valid string"
		}
	case u[0] == '-' || u[0] >= '0' && u[0] <= '9':
		userID = string(u)
	default:
		return access, "", "user_id is neither a string nor a number"
	}
	return access, userID, ""
}
