package auth

import (
	"net/http"
	"time"
)

// SetClock makes e read the time from now, for tests of expiry.
func SetClock(e *Exchange, now func() time.Time) { e.now = now }

// JWTExpiry exposes jwtExpiry to the external tests.
var JWTExpiry = jwtExpiry

// DecodeTokenResponse runs e's decoding of a token endpoint response.
func DecodeTokenResponse(e *Exchange, status int, h http.Header, body []byte, now time.Time) (Token, error) {
	c, err := e.decode(status, h, body, now)
	if err != nil {
		return Token{}, err
	}
	return c.tok, nil
}

// Waiting returns how many callers wait for e's token request in
// progress.
func Waiting(e *Exchange) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.call == nil {
		return 0
	}
	return e.call.waiters
}
