package api_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/auth"
)

// exampleServer stands in for https://api.aiven.io in the examples.
func exampleServer() *httptest.Server {
	mux := http.NewServeMux()
	reply := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			io.WriteString(w, body)
		}
	}
	mux.Handle("GET /v1/clouds", reply(200, `{"clouds": [
		{"cloud_name": "aws-eu-west-1", "cloud_description": "Europe, Ireland - Amazon Web Services: Ireland", "geo_region": "europe", "geo_latitude": 53.073635, "geo_longitude": -8.14171, "provider": "aws"},
		{"cloud_name": "google-asia-northeast1", "cloud_description": "Asia, Japan - Google Cloud: Tokyo", "geo_region": "asia-pacific", "geo_latitude": 35.689487, "geo_longitude": 139.691706, "provider": "google"}]}`))
	mux.HandleFunc("GET /v1/me", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "aivenv1 my-token" {
			reply(401, `{"message": "Missing (expired) db token", "errors": [{"message": "Missing (expired) db token", "status": 401}]}`)(w, r)
			return
		}
		reply(200, `{"user": {"user": "asa@example.com", "user_id": "u4a3d1c2b9f8", "real_name": "Åsa Ødegård", "state": "active", "tenant": "aiven",
			"auth": ["password"], "invitations": [], "projects": ["analytics"], "project_membership": {"analytics": "admin"}, "project_memberships": {"analytics": ["admin"]},
			"token_validity_begin": "2026-11-01T08:00:00.000001+00:00"}}`)(w, r)
	})
	mux.Handle("GET /v1/project", reply(200, `{"project_membership": {"analytics": "admin"}, "project_memberships": {"analytics": ["admin"]}, "projects": [
		{"project_name": "analytics", "default_cloud": "aws-eu-west-1", "account_id": null, "card_info": null, "billing_address": "", "billing_emails": [],
		 "billing_group_id": "1c4f7e2a-9b3d-4e6f-8a1b-2c3d4e5f6a7b", "billing_group_name": "analytics", "country": "", "country_code": "", "estimated_balance": "4.11", "payment_method": "card", "vat_id": ""}]}`))
	return httptest.NewServer(mux)
}

// List the clouds, which needs no token.
func ExampleClientWithResponses_ListCloudsWithResponse() {
	srv := exampleServer() // in real use: leave out WithBaseURL
	defer srv.Close()

	c, err := api.New(api.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.ListCloudsWithResponse(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, cloud := range res.JSON200.Clouds {
		fmt.Printf("%-24s %-13s %v, %v\n", cloud.CloudName, cloud.GeoRegion, *cloud.GeoLatitude, *cloud.GeoLongitude)
	}
	// Output:
	// aws-eu-west-1            europe        53.073635, -8.14171
	// google-asia-northeast1   asia-pacific  35.689487, 139.691706
}

// Show the user a token belongs to.
func ExampleClientWithResponses_UserInfoWithResponse() {
	srv := exampleServer()
	defer srv.Close()

	c, err := api.New(api.WithBaseURL(srv.URL), api.WithRequestEditorFn(auth.Aiven("my-token")))
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.UserInfoWithResponse(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	u := res.JSON200.User
	fmt.Println(u.User, u.RealName, u.State)
	fmt.Println("role in analytics:", u.ProjectMembership["analytics"])
	fmt.Println("token valid since:", u.TokenValidityBegin.Time.Format("2006-01-02"))
	// Output:
	// asa@example.com Åsa Ødegård active
	// role in analytics: admin
	// token valid since: 2026-11-01
}

// List the projects; fields the API may send as null are
// nullable.Nullable values.
func ExampleClientWithResponses_ProjectListWithResponse() {
	srv := exampleServer()
	defer srv.Close()

	c, err := api.New(api.WithBaseURL(srv.URL), api.WithRequestEditorFn(auth.Aiven("my-token")))
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.ProjectListWithResponse(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range res.JSON200.Projects {
		fmt.Println(p.ProjectName, p.DefaultCloud, p.EstimatedBalance, "card on file:", !p.CardInfo.IsNull())
	}
	// Output:
	// analytics aws-eu-west-1 4.11 card on file: false
}

// Every failed call returns an *api.Error, and errors.Is tells the common
// cases apart.
func ExampleError() {
	srv := exampleServer()
	defer srv.Close()

	c, err := api.New(api.WithBaseURL(srv.URL), api.WithRequestEditorFn(auth.Aiven("an-expired-token")))
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.UserInfoWithResponse(context.Background())
	var apiErr *api.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Message)
		fmt.Println(apiErr.Summary())
	}
	fmt.Println("unauthorized:", errors.Is(err, api.ErrUnauthorized))
	// Output:
	// 401 Missing (expired) db token
	// Missing (expired) db token (HTTP 401)
	// unauthorized: true
}
