package auth

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// maxExp is the largest exp claim taken as a time: the last second of the
// year 9999.
const maxExp = 253402300799

// jwtExpiry reads the exp claim of a JWT in compact form
// (header.payload.signature, each base64url), WITHOUT verifying the
// signature: the token is only ever sent back to the party that issued it,
// and reading exp only decides when to ask for a new one. hasExp is false
// when the payload has no exp claim (or a null one).
//
// Its errors describe the token's structure only; they never repeat any
// part of it.
func jwtExpiry(token string) (exp time.Time, hasExp bool, err error) {
	header, rest, ok1 := strings.Cut(token, ".")
	payload, sig, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.Contains(sig, ".") {
		return time.Time{}, false, errors.New("want three dot-separated parts")
	}
	if _, err := jwtObject(header, "header"); err != nil {
		return time.Time{}, false, err
	}
	claims, err := jwtObject(payload, "payload")
	if err != nil {
		return time.Time{}, false, err
	}
	raw, ok := claims["exp"]
	if !ok || string(raw) == "null" {
		return time.Time{}, false, nil
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return time.Time{}, false, errors.New("exp claim is not a number")
	}
	if err != nil || !(f >= 0 && f <= maxExp) {
		return time.Time{}, false, errors.New("exp claim is out of range")
	}
	sec := math.Floor(f)
	nsec := math.Round((f - sec) * 1e9)
	return time.Unix(int64(sec), int64(nsec)), true, nil
}

// jwtObject decodes one base64url part of a JWT that must hold a JSON
// object.
func jwtObject(part, name string) (map[string]json.RawMessage, error) {
	if part == "" {
		return nil, errors.New(name + " is empty")
	}
	// Unpadded base64url, as RFC 7515 says; padding is tolerated.
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(part, "="))
	if err != nil {
		return nil, errors.New(name + " is not base64url")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return nil, errors.New(name + " is not a JSON object")
	}
	return m, nil
}
