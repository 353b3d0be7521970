package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// The baseline: what a Go programmer writes by hand with net/http and
// encoding/json, with plain structs (pointers for optional and nullable
// fields, strings for times and money).

// PlainCloud is the baseline's cloud.
type PlainCloud struct {
	CloudDescription    *string  `json:"cloud_description"`
	CloudName           string   `json:"cloud_name"`
	GeoLatitude         *float64 `json:"geo_latitude"`
	GeoLongitude        *float64 `json:"geo_longitude"`
	GeoRegion           string   `json:"geo_region"`
	Provider            *string  `json:"provider"`
	ProviderDescription *string  `json:"provider_description"`
}

// PlainClouds is the baseline's GET /v1/clouds body.
type PlainClouds struct {
	Clouds []PlainCloud `json:"clouds"`
}

// PlainEmail is an address in a project's email lists.
type PlainEmail struct {
	Email string `json:"email"`
}

// PlainCard is a project's credit card.
type PlainCard struct {
	Brand       string `json:"brand"`
	CardID      string `json:"card_id"`
	Country     string `json:"country"`
	CountryCode string `json:"country_code"`
	ExpMonth    int    `json:"exp_month"`
	ExpYear     int    `json:"exp_year"`
	Last4       string `json:"last4"`
	Name        string `json:"name"`
	UserEmail   string `json:"user_email"`
}

// PlainProject is the baseline's project.
type PlainProject struct {
	AccountID             *string           `json:"account_id"`
	AccountName           *string           `json:"account_name"`
	AddressLines          []string          `json:"address_lines"`
	AvailableCredits      *string           `json:"available_credits"`
	BillingAddress        string            `json:"billing_address"`
	BillingCurrency       *string           `json:"billing_currency"`
	BillingEmails         []PlainEmail      `json:"billing_emails"`
	BillingExtraText      *string           `json:"billing_extra_text"`
	BillingGroupID        string            `json:"billing_group_id"`
	BillingGroupName      string            `json:"billing_group_name"`
	CardInfo              *PlainCard        `json:"card_info"`
	City                  *string           `json:"city"`
	Company               *string           `json:"company"`
	Country               string            `json:"country"`
	CountryCode           string            `json:"country_code"`
	DefaultCloud          string            `json:"default_cloud"`
	EndOfLifeExtension    map[string]any    `json:"end_of_life_extension"`
	EstimatedBalance      string            `json:"estimated_balance"`
	EstimatedBalanceLocal *string           `json:"estimated_balance_local"`
	Features              map[string]any    `json:"features"`
	OrganizationID        *string           `json:"organization_id"`
	PaymentMethod         string            `json:"payment_method"`
	ProjectName           string            `json:"project_name"`
	State                 *string           `json:"state"`
	Tags                  map[string]string `json:"tags"`
	TechEmails            []PlainEmail      `json:"tech_emails"`
	TenantID              *string           `json:"tenant_id"`
	TrialExpirationTime   *string           `json:"trial_expiration_time"`
	VatID                 string            `json:"vat_id"`
	ZipCode               *string           `json:"zip_code"`
}

// PlainProjects is the baseline's GET /v1/project body.
type PlainProjects struct {
	ProjectMembership  map[string]string   `json:"project_membership"`
	ProjectMemberships map[string][]string `json:"project_memberships"`
	Projects           []PlainProject      `json:"projects"`
}

// PlainInvitation is a pending invitation of the baseline's user.
type PlainInvitation struct {
	InviteCode        string `json:"invite_code"`
	InviteTime        string `json:"invite_time"`
	InvitingUserEmail string `json:"inviting_user_email"`
	ProjectName       string `json:"project_name"`
}

// PlainUser is the baseline's user.
type PlainUser struct {
	Auth                   []string            `json:"auth"`
	City                   *string             `json:"city"`
	Country                *string             `json:"country"`
	CreateTime             *string             `json:"create_time"`
	Department             *string             `json:"department"`
	Features               map[string]any      `json:"features"`
	Invitations            []PlainInvitation   `json:"invitations"`
	JobTitle               *string             `json:"job_title"`
	ManagedByScim          *bool               `json:"managed_by_scim"`
	ManagingOrganizationID *string             `json:"managing_organization_id"`
	ProjectMembership      map[string]string   `json:"project_membership"`
	ProjectMemberships     map[string][]string `json:"project_memberships"`
	Projects               []string            `json:"projects"`
	RealName               string              `json:"real_name"`
	State                  string              `json:"state"`
	Tenant                 string              `json:"tenant"`
	TokenValidityBegin     *string             `json:"token_validity_begin"`
	User                   string              `json:"user"`
	UserID                 string              `json:"user_id"`
}

// PlainUserInfo is the baseline's GET /v1/me body.
type PlainUserInfo struct {
	User PlainUser `json:"user"`
}

// PlainClient is the baseline client.
type PlainClient struct {
	HTTPClient *http.Client
	BaseURL    string
	Token      string
}

// Get fetches path and decodes its JSON body into v.
func (c *PlainClient) Get(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "aivenv1 "+c.Token)
	resp, err := c.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("bench: GET %s: HTTP %d", path, resp.StatusCode)
	}
	return json.Unmarshal(body, v)
}
