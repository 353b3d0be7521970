package bench

import (
	"testing"
	"time"

	aiven "github.com/aiven/go-client-codegen"

	"github.com/aivenapi/aivenapi/apitest"
)

// TestOfficialClientAgainstFake: Aiven's official Go client reads the
// fake of package apitest (which aivenfake serves) through its four
// operations, also when three requests in ten fail: it retries the rate
// limits, the JSON and HTML errors and the dropped connections the fake
// throws in, as it does against the real API.
func TestOfficialClientAgainstFake(t *testing.T) {
	for _, rate := range []float64{0, 0.3} {
		t.Run("fault-rate="+map[float64]string{0: "0", 0.3: "0.3"}[rate], func(t *testing.T) {
			const token = "official-Client-token-0123456789"
			srv := apitest.NewServer(t, apitest.Config{Token: token, Faults: apitest.RandomFaults(7, rate,
				apitest.RateLimited(0), apitest.Status(503), apitest.HTMLError(502), apitest.Drop())})
			c, err := aiven.NewClient(aiven.TokenOpt(token), aiven.HostOpt(srv.URL), aiven.UserAgentOpt("aivenapi-bench"),
				aiven.RetryWaitMinOpt(time.Millisecond), aiven.RetryWaitMaxOpt(10*time.Millisecond), aiven.RetryMaxOpt(20))
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			u, err := c.UserInfo(ctx)
			if err != nil {
				t.Fatalf("UserInfo: %v", err)
			}
			if u.User != "asa.jarvinen@example.com" || len(u.ProjectMembership) == 0 {
				t.Errorf("UserInfo: user %q, memberships %v", u.User, u.ProjectMembership)
			}
			//lint:ignore SA1019 GET /v1/project is what aivenfake serves; the official client marks it deprecated as upstream does.
			projects, err := c.ProjectList(ctx)
			if err != nil {
				t.Fatalf("ProjectList: %v", err)
			}
			if len(projects.Projects) < 2 {
				t.Fatalf("ProjectList: %d projects", len(projects.Projects))
			}
			clouds, err := c.ListClouds(ctx)
			if err != nil {
				t.Fatalf("ListClouds: %v", err)
			}
			for _, p := range projects.Projects {
				pc, err := c.ListProjectClouds(ctx, p.ProjectName)
				if err != nil {
					t.Fatalf("ListProjectClouds(%s): %v", p.ProjectName, err)
				}
				if len(pc) != len(clouds) || len(pc) == 0 {
					t.Errorf("ListProjectClouds(%s): %d clouds, ListClouds %d", p.ProjectName, len(pc), len(clouds))
				}
			}
			faults := 0
			for _, r := range srv.Log() {
				if r.Fault != "" {
					faults++
				}
			}
			t.Logf("%d requests, %d faults", len(srv.Log()), faults)
			if rate > 0 && faults == 0 {
				t.Errorf("no fault was injected in %d requests: the test proves nothing", len(srv.Log()))
			}
			if rate == 0 && faults != 0 {
				t.Errorf("%d faults at rate 0", faults)
			}
		})
	}
}
