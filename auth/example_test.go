package auth_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/auth"
)

// fakeAiven is a stand-in for api.aiven.io: it answers GET /v1/clouds and
// GET /v1/me when the request carries the credential that ok accepts, and
// Aiven's 401 otherwise.
func fakeAiven(ok func(*http.Request) bool) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if !ok(r) {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"message":"Invalid token","errors":[{"message":"Invalid token","status":401}]}`)
			return
		}
		switch r.URL.Path {
		case "/v1/clouds":
			fmt.Fprint(w, `{"clouds":[
				{"cloud_name":"aws-eu-west-1","cloud_description":"Europe, Ireland - Amazon Web Services: Ireland",
				 "geo_latitude":53.35,"geo_longitude":-6.26,"geo_region":"europe","provider":"aws",
				 "provider_description":"Amazon Web Services"},
				{"cloud_name":"google-europe-west3","cloud_description":"Europe, Germany - Google Cloud: Frankfurt",
				 "geo_latitude":50.11,"geo_longitude":8.68,"geo_region":"europe","provider":"google",
				 "provider_description":"Google Cloud Platform"}]}`)
		case "/v1/me":
			fmt.Fprint(w, `{"user":{"user":"jane@example.com","user_id":"a1b2c3","real_name":"Jane Doe",
				"state":"active","auth":["password"],"invitations":[],"project_membership":{"demo":"admin"},
				"project_memberships":{"demo":["admin"]},"projects":["demo"],"tenant":"aiven",
				"create_time":"2021-08-18T09:24:10.298796+00:00"}}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message":"Not found"}`)
		}
	}))
}

func printClouds(c *api.ClientWithResponses) {
	res, err := c.ListCloudsWithResponse(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, cl := range res.JSON200.Clouds {
		fmt.Println(cl.CloudName, cl.GeoRegion)
	}
}

// Aiven and Managed Service for TimescaleDB take "Authorization: aivenv1
// <token>".
func ExampleAiven() {
	const token = "example-aiven-token"
	srv := fakeAiven(func(r *http.Request) bool { return r.Header.Get("Authorization") == "aivenv1 "+token })
	defer srv.Close()

	c, err := api.New(api.WithBaseURL(srv.URL), api.WithRequestEditorFn(auth.Aiven(token)))
	if err != nil {
		log.Fatal(err)
	}
	printClouds(c)
	// Output:
	// aws-eu-west-1 europe
	// google-europe-west3 europe
}

// Bearer sends the same token the way many of Aiven's pages show it.
func ExampleBearer() {
	const token = "example-aiven-token"
	srv := fakeAiven(func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer "+token })
	defer srv.Close()

	c, err := api.New(api.WithBaseURL(srv.URL), api.WithRequestEditorFn(auth.Bearer(token)))
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.UserInfoWithResponse(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.JSON200.User.User, res.JSON200.User.ProjectMembership["demo"])
	// Output: jane@example.com admin
}

// Versio.io takes "Authorization: apiToken <token>".
func ExampleAPIToken() {
	const token = "example-versio-token"
	srv := fakeAiven(func(r *http.Request) bool { return r.Header.Get("Authorization") == "apiToken "+token })
	defer srv.Close()

	c, err := api.New(api.WithBaseURL(srv.URL), api.WithRequestEditorFn(auth.APIToken(token)))
	if err != nil {
		log.Fatal(err)
	}
	printClouds(c)
	// Output:
	// aws-eu-west-1 europe
	// google-europe-west3 europe
}

// Query puts the token in a query parameter whose name the server sets.
func ExampleQuery() {
	const token = "example-versio-token"
	srv := fakeAiven(func(r *http.Request) bool { return r.URL.Query().Get("apiToken") == token })
	defer srv.Close()

	c, err := api.New(api.WithBaseURL(srv.URL), api.WithRequestEditorFn(auth.Query("apiToken", token)))
	if err != nil {
		log.Fatal(err)
	}
	printClouds(c)
	// Output:
	// aws-eu-west-1 europe
	// google-europe-west3 europe
}

// Header sends a token in a header of the API's choosing.
func ExampleHeader() {
	const token = "example-token"
	srv := fakeAiven(func(r *http.Request) bool { return r.Header.Get("X-Auth-Token") == token })
	defer srv.Close()

	c, err := api.New(api.WithBaseURL(srv.URL), api.WithRequestEditorFn(auth.Header("x-auth-token", token)))
	if err != nil {
		log.Fatal(err)
	}
	printClouds(c)
	// Output:
	// aws-eu-west-1 europe
	// google-europe-west3 europe
}

// exampleJWT returns an unsigned JWT that expires in 2100, numbered n.
func exampleJWT(n int64) string {
	enc := base64.RawURLEncoding
	claims, _ := json.Marshal(map[string]any{"sub": "IBMid-1", "exp": 4102444800, "jti": n})
	return enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc.EncodeToString(claims) + ".c2lnbmF0dXJl"
}

// A token endpoint of IBM Hyper Protect DBaaS: GET with an api_key header
// gives an access token and a user ID.
func fakeTokenEndpoint(apiKey string, calls *atomic.Int64) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("api_key") != apiKey {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"access_token": exampleJWT(calls.Add(1)), "user_id": "a1b2c3"})
	}))
}

// An Exchange trades an API key for access tokens. Edit attaches them and
// the Doer replaces one that the API refuses: here the API has revoked the
// first token, so the call goes through with the second.
func ExampleNewExchange() {
	var calls atomic.Int64
	tokens := fakeTokenEndpoint("example-api-key", &calls)
	defer tokens.Close()
	apiSrv := fakeAiven(func(r *http.Request) bool {
		return r.Header.Get("x-auth-token") != "" && r.Header.Get("x-auth-token") != exampleJWT(1)
	})
	defer apiSrv.Close()

	ex, err := auth.NewExchange(auth.ExchangeConfig{
		TokenURL: tokens.URL + "/api/v3/auth/token",
		APIKey:   "example-api-key",
		// Header: "Authorization" would send "Authorization: Bearer <token>".
	})
	if err != nil {
		log.Fatal(err)
	}
	c, err := api.New(
		api.WithBaseURL(apiSrv.URL),
		api.WithRequestEditorFn(ex.Edit),
		api.WithHTTPClient(ex.Doer(nil)),
	)
	if err != nil {
		log.Fatal(err)
	}
	printClouds(c)

	tok, err := ex.Token(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("tokens fetched:", calls.Load())
	fmt.Println("user:", tok.UserID)
	// Output:
	// aws-eu-west-1 europe
	// google-europe-west3 europe
	// tokens fetched: 2
	// user: a1b2c3
}

// Transport gives an *http.Client of your own the retry that Doer gives.
func ExampleExchange_Transport() {
	var calls atomic.Int64
	tokens := fakeTokenEndpoint("example-api-key", &calls)
	defer tokens.Close()
	apiSrv := fakeAiven(func(r *http.Request) bool {
		return r.Header.Get("Authorization") != "" && r.Header.Get("Authorization") != "Bearer "+exampleJWT(1)
	})
	defer apiSrv.Close()

	ex, err := auth.NewExchange(auth.ExchangeConfig{
		TokenURL: tokens.URL + "/api/v3/auth/token",
		APIKey:   "example-api-key",
		Header:   "Authorization",
	})
	if err != nil {
		log.Fatal(err)
	}
	hc := &http.Client{Transport: ex.Transport(nil), CheckRedirect: auth.CheckRedirect}
	c, err := api.New(api.WithBaseURL(apiSrv.URL), api.WithRequestEditorFn(ex.Edit), api.WithHTTPClient(hc))
	if err != nil {
		log.Fatal(err)
	}
	printClouds(c)
	hc.CloseIdleConnections()
	// Output:
	// aws-eu-west-1 europe
	// google-europe-west3 europe
}

// A Token prints, logs and marshals without its access token.
func ExampleToken() {
	tok := auth.Token{AccessToken: exampleJWT(1), UserID: "a1b2c3"}
	fmt.Println(tok)
	fmt.Printf("%#v\n", auth.Token{AccessToken: "secret"})
	b, _ := json.Marshal(auth.Token{UserID: "a1b2c3"})
	fmt.Println(string(b))
	// Output:
	// auth.Token{AccessToken: "****", UserID: "a1b2c3", Expiry: 0001-01-01T00:00:00Z}
	// auth.Token{AccessToken:"****", UserID:"", Expiry:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)}
	// {"access_token":"","user_id":"a1b2c3","expiry":"0001-01-01T00:00:00Z"}
}
