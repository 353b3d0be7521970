package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Time is a timestamp as Aiven sends it: a JSON string such as
// "2021-08-18T09:24:10.298796+00:00".
//
// The upstream description promises only a string, so decoding never fails
// on the text: Raw keeps it exactly as received, and Time holds the instant
// when Raw is an RFC 3339 timestamp (IsZero otherwise). Encoding writes Raw
// back unchanged, so a decoded value re-encodes to the bytes it came from.
type Time struct {
	// Time is the parsed instant, or the zero time when Raw did not parse.
	Time time.Time
	// Raw is the text as received. When empty, encoding formats Time.
	Raw string
}

// NewTime returns the Time for t, written as RFC 3339 with microseconds
// like Aiven writes it.
func NewTime(t time.Time) Time {
	return Time{Time: t, Raw: t.Format("2006-01-02T15:04:05.000000Z07:00")}
}

// Valid reports whether the text was a timestamp that parsed.
func (t Time) Valid() bool { return !t.Time.IsZero() }

// String returns the text as received, or the formatted instant.
func (t Time) String() string {
	if t.Raw != "" || t.Time.IsZero() {
		return t.Raw
	}
	return t.Time.Format(time.RFC3339Nano)
}

// UnmarshalJSON accepts any JSON string; it fails only on a value that is
// not a string.
func (t *Time) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*t = Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("api: time: want a JSON string, got %.20s", b)
	}
	t.Raw = s
	t.Time, _ = parseTime(s)
	return nil
}

// MarshalJSON writes Raw unchanged, or Time in RFC 3339 when Raw is empty.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.Raw == "" && !t.Time.IsZero() {
		return json.Marshal(t.Time.Format(time.RFC3339Nano))
	}
	return json.Marshal(t.Raw)
}

// parseTime reads RFC 3339 with any fraction, and the same without a zone
// (taken as UTC), which older Aiven responses carry.
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.ParseInLocation("2006-01-02T15:04:05.999999999", s, time.UTC)
}
