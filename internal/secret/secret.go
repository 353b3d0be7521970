// Package secret is the one model of what is secret in a request and how
// it is kept out of everything this module prints or forwards.
//
// Every request editor records what it attached (Attach): the header or
// query parameter, and the secret value. The record, a Ledger, travels in
// the request's context, so that the redirect policy (CheckRedirect) knows
// which headers and parameters must not reach another origin, and every
// error path knows which values to mask (ForRequest). A Set masks its
// values in every form a server or proxy may echo them (Mask), strips URLs
// (StripURL) and errors (Error), and cuts safe excerpts of bodies
// (Excerpt). Names that merely look like credentials (CredentialName) are
// only a second line, for credentials no editor recorded.
package secret

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// Kind says where a request carries a secret.
type Kind uint8

// The places a secret travels in.
const (
	Header Kind = iota // an HTTP header
	Query              // a query parameter
)

// Ledger lists the secrets attached to one request. It is safe for
// concurrent use.
type Ledger struct {
	mu      sync.Mutex
	entries []entry
}

type entry struct {
	kind        Kind
	name, value string
}

type ledgerKey struct{}

// Attach records that req carries value in the header or query parameter
// name. The ledger lives in req's context; when it has none yet, Attach
// puts a new one there (replacing *req by a copy with that context).
// Recording the same entry twice keeps one.
func Attach(req *http.Request, kind Kind, name, value string) {
	l := LedgerOf(req.Context())
	if l == nil {
		l = &Ledger{}
		*req = *req.WithContext(context.WithValue(req.Context(), ledgerKey{}, l))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	e := entry{kind, name, value}
	if !slices.Contains(l.entries, e) {
		l.entries = append(l.entries, e)
	}
}

// LedgerOf returns the ledger of the request whose context is ctx, or nil.
func LedgerOf(ctx context.Context) *Ledger {
	l, _ := ctx.Value(ledgerKey{}).(*Ledger)
	return l
}

// names returns the names recorded for kind, and the values of all kinds.
func (l *Ledger) names(kind Kind) (names, values []string) {
	if l == nil {
		return nil, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.entries {
		if e.kind == kind {
			names = append(names, e.name)
		}
		values = append(values, e.value)
	}
	return names, values
}

// CredentialName reports whether a header or query parameter of this name
// may carry a credential: the second line of defence, for credentials that
// no editor recorded.
func CredentialName(name string) bool {
	l := strings.ToLower(name)
	for _, w := range []string{"auth", "token", "key", "secret", "session", "password", "passwd", "cookie", "credential", "signature", "sig"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// ForRequest returns the secrets of req: the values its ledger recorded,
// then (second line) the values of credential-named headers and query
// parameters, and of a "scheme credential" value also the credential part.
func ForRequest(req *http.Request) *Set {
	if req == nil {
		return New()
	}
	_, vals := LedgerOf(req.Context()).names(Header)
	for name, vs := range req.Header {
		if !CredentialName(name) {
			continue
		}
		for _, v := range vs {
			vals = append(vals, v)
			if _, cred, ok := strings.Cut(v, " "); ok {
				vals = append(vals, strings.TrimSpace(cred))
			}
		}
	}
	if req.URL != nil {
		for name, vs := range req.URL.Query() {
			if CredentialName(name) {
				vals = append(vals, vs...)
			}
		}
	}
	return New(vals...)
}
