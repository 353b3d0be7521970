package api_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/aivenapi/aivenapi/api"
)

// TestLostFindsLosses makes sure the no-loss check of TestContract can fail.
func TestLostFindsLosses(t *testing.T) {
	in := map[string]any{"a": 1.0, "b": map[string]any{"c": nil, "d": []any{"x"}}}
	out := map[string]any{"a": 1.0, "b": map[string]any{"d": []any{"y"}}, "extra": true}
	got := lost(in, out, "")
	want := []string{`.b.c: <nil> is gone`, `.b.d[0]: "x" became "y"`}
	if diff := cmp.Diff(want, got, cmp.Transformer("sort", sortStrings)); diff != "" {
		t.Errorf("lost() mismatch (-want +got):\n%s", diff)
	}
}

func sortStrings(s []string) []string { return slices.Sorted(slices.Values(s)) }

// TestDecodedValues checks, on the fixtures, each trap of the upstream
// description that the overlay fixes.
func TestDecodedValues(t *testing.T) {
	t.Parallel()
	var me api.UserInfoResponse
	if err := json.Unmarshal(readFixture(t, "me.json"), &me); err != nil {
		t.Fatal(err)
	}
	u := me.User
	// Maps written upstream as a property named ANY.
	if got := u.ProjectMembership["analytics-東京"]; got != "admin" {
		t.Errorf("project_membership[analytics-東京] = %q, want admin", got)
	}
	if diff := cmp.Diff([]string{"read_only", "developer"}, u.ProjectMemberships["billing-prod"]); diff != "" {
		t.Errorf("project_memberships[billing-prod] (-want +got):\n%s", diff)
	}
	// Times: parsed with their microseconds, the text kept as received.
	want := time.Date(2021, 8, 18, 9, 24, 10, 298796000, time.UTC)
	if u.CreateTime == nil || !u.CreateTime.Time.Equal(want) || u.CreateTime.Raw != "2021-08-18T09:24:10.298796+00:00" {
		t.Errorf("create_time = %+v, want %v with its text kept", u.CreateTime, want)
	}
	if u.RealName != "Åsa Ødegård 🦀" {
		t.Errorf("real_name = %q", u.RealName)
	}
	if f := *u.Features; f["max_projects"] != 12.0 || f["beta"].(map[string]any)["kafka_tiered"] != "on" {
		t.Errorf("features = %v", f)
	}

	var minimal api.UserInfoResponse
	if err := json.Unmarshal(readFixture(t, "me_minimal.json"), &minimal); err != nil {
		t.Fatal(err)
	}
	if tv := minimal.User.TokenValidityBegin; tv == nil || tv.Valid() || tv.Raw != "not a time" {
		t.Errorf("an unparsable time = %+v, want kept as text and not Valid", tv)
	}
	if minimal.User.CreateTime != nil || minimal.User.City != nil {
		t.Error("absent optional fields decoded as present")
	}

	var pl api.ProjectListResponse
	if err := json.Unmarshal(readFixture(t, "projects.json"), &pl); err != nil {
		t.Fatal(err)
	}
	full, nulls, sparse := pl.Projects[0], pl.Projects[1], pl.Projects[2]
	// Open enums keep values no description lists.
	if got := pl.ProjectMembership["billing-prod"]; got != "developer_plus_2027" {
		t.Errorf("unknown member type = %q, want it kept", got)
	}
	if *nulls.BillingCurrency != "EUR_2030" {
		t.Errorf("unknown currency = %q, want it kept", *nulls.BillingCurrency)
	}
	// Money stays text: no float rounding.
	if *full.AvailableCredits != "4.11" || full.EstimatedBalance != "1234.56" {
		t.Errorf("money = %q, %q", *full.AvailableCredits, full.EstimatedBalance)
	}
	// null, absent and a value stay apart.
	card, err := full.CardInfo.Get()
	if err != nil || card.Last4 != "4242" || card.ExpYear != 2029 {
		t.Errorf("card_info = %+v, %v", card, err)
	}
	for _, tc := range []struct {
		name           string
		null, absent   bool
		gotNull, gotIn bool
	}{
		{"card_info null", true, false, nulls.CardInfo.IsNull(), nulls.CardInfo.IsSpecified()},
		{"account_id null", true, false, nulls.AccountID.IsNull(), nulls.AccountID.IsSpecified()},
		{"billing_extra_text null", true, false, nulls.BillingExtraText.IsNull(), nulls.BillingExtraText.IsSpecified()},
		{"trial_expiration_time null", true, false, nulls.TrialExpirationTime.IsNull(), nulls.TrialExpirationTime.IsSpecified()},
		{"card_info absent", false, true, sparse.CardInfo.IsNull(), sparse.CardInfo.IsSpecified()},
		{"billing_extra_text absent", false, true, sparse.BillingExtraText.IsNull(), sparse.BillingExtraText.IsSpecified()},
	} {
		if tc.gotNull != tc.null || tc.gotIn == tc.absent {
			t.Errorf("%s: IsNull=%v IsSpecified=%v", tc.name, tc.gotNull, tc.gotIn)
		}
	}
	// organization_id, required upstream, is missing from real responses.
	if sparse.OrganizationID != nil {
		t.Errorf("organization_id = %v, want absent", *sparse.OrganizationID)
	}
	if trial, _ := sparse.TrialExpirationTime.Get(); trial.Raw != "soon" {
		t.Errorf("trial_expiration_time = %+v, want the text kept", trial)
	}
	eol := full.EndOfLifeExtension
	if eol.Elasticsearch == nil || eol.Elasticsearch.EolDate != "2026-12-31" {
		t.Errorf("end_of_life_extension.elasticsearch = %+v", eol.Elasticsearch)
	}
	if kafka, ok := eol.Get("kafka"); !ok || kafka.(map[string]any)["version"] != "3.6" {
		t.Errorf("end_of_life_extension.kafka = %v, want kept beside the typed key", kafka)
	}
	if got := (*full.Tags)["cost-center"]; got != "4711" {
		t.Errorf("tags = %v", *full.Tags)
	}

	var cl api.ListCloudsResponse
	if err := json.Unmarshal(readFixture(t, "clouds.json"), &cl); err != nil {
		t.Fatal(err)
	}
	// float64, not float32: 53.073635 survives.
	if got := *cl.Clouds[0].GeoLatitude; got != 53.073635 {
		t.Errorf("geo_latitude = %v, want 53.073635", got)
	}
	if c := cl.Clouds[3]; c.GeoLatitude != nil || c.CloudDescription != nil || c.GeoRegion != "südamerika" {
		t.Errorf("sparse cloud = %+v", c)
	}
}

// TestDecodeRejects: bodies that cannot be the operation's result fail with
// an error naming the operation, never a half-filled success.
func TestDecodeRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		into       any
		want       string
	}{
		{"truncated", `{"clouds": [{"cloud_name": "aws-`, &api.ListCloudsResponse{}, "unexpected end of JSON input"},
		{"array instead of object", `[]`, &api.ListCloudsResponse{}, "api: ListClouds: decode response body"},
		{"clouds missing", `{"message": "ok"}`, &api.ListCloudsResponse{}, `api: ListClouds: response body has no "clouds"`},
		{"clouds of the wrong type", `{"clouds": {"a": 1}}`, &api.ListCloudsResponse{}, "api: ListClouds: decode response body"},
		{"projects missing", `{"project_membership": {}}`, &api.ProjectListResponse{}, `api: ProjectList: response body has no "projects"`},
		{"user missing", `{"message": "ok"}`, &api.UserInfoResponse{}, `api: UserInfo: response body has no "user"`},
		{"time not a string", `{"user": {"create_time": 12}}`, &api.UserInfoResponse{}, "api: UserInfo: decode response body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := json.Unmarshal([]byte(tt.body), tt.into)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	var empty api.UserInfoResponse
	if err := json.Unmarshal([]byte(`{"user": {"user": "", "user_id": ""}}`), &empty); err != nil {
		t.Errorf("a user with empty fields is valid upstream, got %v", err)
	}
}

func TestTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		valid bool
		want  time.Time
	}{
		{`"2021-08-18T09:24:10.298796+00:00"`, true, time.Date(2021, 8, 18, 9, 24, 10, 298796000, time.UTC)},
		{`"2021-08-18T09:24:10Z"`, true, time.Date(2021, 8, 18, 9, 24, 10, 0, time.UTC)},
		{`"2021-08-18T11:24:10+02:00"`, true, time.Date(2021, 8, 18, 9, 24, 10, 0, time.UTC)},
		{`"2021-08-18T09:24:10.5"`, true, time.Date(2021, 8, 18, 9, 24, 10, 500000000, time.UTC)},
		{`"yesterday"`, false, time.Time{}},
		{`""`, false, time.Time{}},
		{`"2021-13-45T99:00:00Z"`, false, time.Time{}},
	}
	for _, tt := range tests {
		var got api.Time
		if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
			t.Errorf("Unmarshal(%s): %v", tt.in, err)
			continue
		}
		if got.Valid() != tt.valid || !got.Time.Equal(tt.want) {
			t.Errorf("Unmarshal(%s) = %v (valid %v), want %v (valid %v)", tt.in, got.Time, got.Valid(), tt.want, tt.valid)
		}
		back, err := json.Marshal(got)
		if err != nil || string(back) != tt.in {
			t.Errorf("Marshal(Unmarshal(%s)) = %s, %v; want the same text", tt.in, back, err)
		}
	}
	var null api.Time
	if err := json.Unmarshal([]byte(`null`), &null); err != nil || null.Valid() || null.Raw != "" {
		t.Errorf("null = %+v, %v", null, err)
	}
	nt := api.NewTime(time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC))
	if nt.String() != "2026-01-02T03:04:05.000006Z" {
		t.Errorf("NewTime().String() = %q", nt.String())
	}
}

// TestTags: tags decode whatever JSON values upstream allows.
func TestTags(t *testing.T) {
	t.Parallel()
	var got api.Tags
	if err := json.Unmarshal([]byte(`{"team": "data", "n": 1, "on": true, "gone": null, "obj": {"a": "b"}, "esc": "tab\there"}`), &got); err != nil {
		t.Fatal(err)
	}
	want := api.Tags{"team": "data", "n": "1", "on": "true", "gone": "null", "obj": `{"a": "b"}`, "esc": "tab\there"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if err := json.Unmarshal([]byte(`null`), &got); err != nil || got != nil {
		t.Errorf("null tags = %v, %v", got, err)
	}
	if err := json.Unmarshal([]byte(`["a"]`), &got); err == nil {
		t.Error("an array of tags decoded without error")
	}
}
