package apitest_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/apitest"
	"github.com/aivenapi/aivenapi/auth"
)

// A fake that rate-limits the first request and answers the second with a
// proxy's HTML page: the client retries both and gets the clouds on the
// third request. In a test, apitest.NewServer(t, cfg) does the set-up.
func ExampleNewHandler() {
	h, err := apitest.NewHandler(apitest.Config{Token: "fake-token"})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	h.Inject(apitest.PathListClouds, apitest.RateLimited(0), apitest.HTMLError(502))

	c, err := api.New(
		api.WithBaseURL(srv.URL),
		api.WithRequestEditorFn(auth.Aiven("fake-token")),
		api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 10 * time.Millisecond, MaxRetryAfter: time.Second}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := c.ListCloudsWithResponse(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(res.JSON200.Clouds), "clouds after", h.Requests(apitest.PathListClouds), "requests")
	fmt.Println("faults served:", h.Stats().Faults)
	// Output:
	// 145 clouds after 3 requests
	// faults served: map[429:1 html 502:1]
}
