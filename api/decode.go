package api

import (
	"encoding/json"
	"fmt"
)

// The response bodies decode through these methods so that a body of the
// wrong shape, cut short, or without the one field the result is about fails
// with an error that names what was being decoded, instead of a bare
// encoding/json message or a half-filled result.

// UnmarshalJSON decodes a GET /v1/clouds body.
func (r *ListCloudsResponse) UnmarshalJSON(b []byte) error {
	type plain ListCloudsResponse
	if err := decodeBody("ListClouds", b, (*plain)(r)); err != nil {
		return err
	}
	return required("ListClouds", "clouds", r.Clouds != nil)
}

// UnmarshalJSON decodes a GET /v1/project body.
func (r *ProjectListResponse) UnmarshalJSON(b []byte) error {
	type plain ProjectListResponse
	if err := decodeBody("ProjectList", b, (*plain)(r)); err != nil {
		return err
	}
	return required("ProjectList", "projects", r.Projects != nil)
}

// UnmarshalJSON decodes a GET /v1/me body.
func (r *UserInfoResponse) UnmarshalJSON(b []byte) error {
	type plain UserInfoResponse
	// The outer User shadows the embedded one, so that a missing "user" is
	// told apart from a user whose fields are all empty.
	var body struct {
		*plain
		User *User `json:"user"`
	}
	body.plain = (*plain)(r)
	if err := decodeBody("UserInfo", b, &body); err != nil {
		return err
	}
	if err := required("UserInfo", "user", body.User != nil); err != nil {
		return err
	}
	r.User = *body.User
	return nil
}

func decodeBody(op string, b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("api: %s: decode response body (%d bytes): %w", op, len(b), err)
	}
	return nil
}

func required(op, field string, present bool) error {
	if !present {
		return fmt.Errorf("api: %s: response body has no %q", op, field)
	}
	return nil
}
