package api

import "net/http"

var checkRedirect func(*http.Request, []*http.Request) error = nil
