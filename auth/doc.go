// Package auth supplies request editors that attach credentials to HTTP
// requests, one per token scheme that users of the Aiven API and its
// neighbours meet:
//
//   - Aiven and Managed Service for TimescaleDB: Aiven (Authorization: aivenv1 <token>);
//   - pages and tools that show Bearer tokens: Bearer;
//   - Versio.io: APIToken (Authorization: apiToken <token>) or Query;
//   - any other header: Header;
//   - IBM Hyper Protect DBaaS, which trades an API key for a short-lived
//     access token: NewExchange.
//
// Each editor is a func(context.Context, *http.Request) error, the
// RequestEditorFn of every oapi-codegen client, so that
//
//	c, err := api.New(api.WithRequestEditorFn(auth.Aiven(token)))
//
// compiles without this package importing the client.
//
// Editors are safe by construction: they Set rather than Add, so applying
// one twice (as a retry does) sends one credential; an empty token is an
// error that says what is missing; no credential is attached to a plain
// http:// URL unless its host is loopback (AllowPlainHTTP is the explicit
// opt-out); and no error, fmt, slog or JSON output of this package carries
// a token, an API key or a URL with a token in its query. Each editor also
// records in the request's context which header or query parameter it set,
// and the value: CheckRedirect keeps exactly those (and any other that
// looks like a credential) from following a redirect to another origin,
// and package api and package validate mask those values, in every
// encoding, in everything they report.
//
// Every editor, Exchange and RoundTripper or Doer of this package is safe
// for concurrent use; Token and ExchangeConfig are plain values.
//
// # Exchanged tokens
//
// IBM Hyper Protect DBaaS trades an API key for an access token that lives
// an hour at most. An Exchange does the trade, caches the token, renews it
// before its JWT exp claim (read without checking the signature) and
// attaches it as an editor. An API that refuses a token answers 401, which
// an editor never sees: its Doer (or Transport) drops the token and sends
// the request once more with a fresh one. Wire both:
//
//	ex, err := auth.NewExchange(auth.ExchangeConfig{
//		TokenURL:   "https://dbaas900.hyperp-dbaas.cloud.ibm.com:20000/api/v3/auth/token",
//		APIKey:     key,
//		Header:     "Authorization", // v3 takes a Bearer token; v1 and v2 x-auth-token
//		HTTPClient: hc,              // trusting the dashboard's CA file
//	})
//	...
//	c, err := api.New(api.WithBaseURL(host),
//		api.WithRequestEditorFn(ex.Edit), api.WithHTTPClient(ex.Doer(nil)))
//
// Token gives the user ID that later URLs need. A failed exchange is an
// *ExchangeError.
package auth
