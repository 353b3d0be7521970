// Package bench measures this project's client against its peers on
// Aiven-shaped response bodies served over loopback. The bodies are built
// here, deterministically from a seed, rather than committed.
package bench

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// Sizes of the standard bodies.
const (
	CloudCount   = 150
	ProjectCount = 1000
)

// Seed makes every body the same from run to run.
const Seed = 20261122

// The generator structs mirror what Aiven sends, in its alphabetical field
// order. Fields typed any carry null, a value, or (as nil with omitempty)
// nothing.

type genCloud struct {
	CloudDescription    string  `json:"cloud_description"`
	CloudName           string  `json:"cloud_name"`
	GeoLatitude         float64 `json:"geo_latitude"`
	GeoLongitude        float64 `json:"geo_longitude"`
	GeoRegion           string  `json:"geo_region"`
	Provider            string  `json:"provider"`
	ProviderDescription string  `json:"provider_description"`
}

type genEmail struct {
	Email string `json:"email"`
}

type genCard struct {
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

type genEOL struct {
	EolDate string `json:"eol_date"`
	Version string `json:"version"`
}

type genProject struct {
	AccountID             any               `json:"account_id"`
	AccountName           string            `json:"account_name,omitempty"`
	AddressLines          []string          `json:"address_lines,omitempty"`
	AvailableCredits      string            `json:"available_credits"`
	BillingAddress        string            `json:"billing_address"`
	BillingCurrency       string            `json:"billing_currency"`
	BillingEmails         []genEmail        `json:"billing_emails"`
	BillingExtraText      any               `json:"billing_extra_text"`
	BillingGroupID        string            `json:"billing_group_id"`
	BillingGroupName      string            `json:"billing_group_name"`
	CardInfo              *genCard          `json:"card_info"`
	City                  string            `json:"city,omitempty"`
	Company               string            `json:"company,omitempty"`
	Country               string            `json:"country"`
	CountryCode           string            `json:"country_code"`
	DefaultCloud          string            `json:"default_cloud"`
	EndOfLifeExtension    map[string]genEOL `json:"end_of_life_extension"`
	EstimatedBalance      string            `json:"estimated_balance"`
	EstimatedBalanceLocal string            `json:"estimated_balance_local,omitempty"`
	Features              map[string]any    `json:"features"`
	OrganizationID        string            `json:"organization_id,omitempty"`
	PaymentMethod         string            `json:"payment_method"`
	ProjectName           string            `json:"project_name"`
	State                 string            `json:"state,omitempty"`
	Tags                  map[string]string `json:"tags"`
	TechEmails            []genEmail        `json:"tech_emails"`
	TenantID              string            `json:"tenant_id"`
	TrialExpirationTime   any               `json:"trial_expiration_time"`
	VatID                 string            `json:"vat_id"`
	ZipCode               string            `json:"zip_code,omitempty"`
}

type genProjectList struct {
	ProjectMembership  map[string]string   `json:"project_membership"`
	ProjectMemberships map[string][]string `json:"project_memberships"`
	Projects           []genProject        `json:"projects"`
}

type genInvitation struct {
	InviteCode        string `json:"invite_code"`
	InviteTime        string `json:"invite_time"`
	InvitingUserEmail string `json:"inviting_user_email"`
	ProjectName       string `json:"project_name"`
}

type genUser struct {
	Auth                   []string            `json:"auth"`
	City                   string              `json:"city"`
	Country                string              `json:"country"`
	CreateTime             string              `json:"create_time"`
	Department             string              `json:"department"`
	Features               map[string]any      `json:"features"`
	Invitations            []genInvitation     `json:"invitations"`
	JobTitle               string              `json:"job_title"`
	ManagedByScim          bool                `json:"managed_by_scim"`
	ManagingOrganizationID string              `json:"managing_organization_id"`
	ProjectMembership      map[string]string   `json:"project_membership"`
	ProjectMemberships     map[string][]string `json:"project_memberships"`
	Projects               []string            `json:"projects"`
	RealName               string              `json:"real_name"`
	State                  string              `json:"state"`
	Tenant                 string              `json:"tenant"`
	TokenValidityBegin     string              `json:"token_validity_begin"`
	User                   string              `json:"user"`
	UserID                 string              `json:"user_id"`
}

var (
	providers = []struct{ name, desc string }{
		{"aws", "Amazon Web Services"},
		{"google", "Google Cloud"},
		{"azure", "Microsoft Azure"},
		{"do", "DigitalOcean"},
		{"upcloud", "UpCloud"},
	}
	places = []struct {
		region, area, city string
		lat, lon           float64
	}{
		{"europe", "Europe, Ireland", "Ireland", 53.073635, -8.14171},
		{"europe", "Europe, Switzerland", "Zürich", 47.376887, 8.541694},
		{"europe", "Europe, Finland", "Helsinki", 60.169857, 24.938379},
		{"asia-pacific", "Asia, Japan", "Tokyo (東京)", 35.689487, 139.691706},
		{"asia-pacific", "Asia, Korea", "Seoul (서울)", 37.566535, 126.977969},
		{"north america", "United States, Virginia", "N. Virginia", 38.130294, -78.156646},
		{"south america", "South America, Brazil", "São Paulo", -23.55052, -46.633308},
		{"africa", "Africa, South Africa", "Johannesburg", -26.204103, 28.047305},
		{"middle east", "Middle East, Israel", "Tel Aviv (תל אביב)", 32.085299, 34.781767},
		{"australia", "Australia, New South Wales", "Sydney", -33.86882, 151.209296},
	}
	countries = []struct{ name, code, currency, city, zip string }{
		{"Switzerland", "CH", "CHF", "Zürich", "8001"},
		{"Finland", "FI", "EUR", "Helsinki", "00100"},
		{"Germany", "DE", "EUR", "München", "80331"},
		{"United States", "US", "USD", "New York", "10001"},
		{"Japan", "JP", "JPY", "東京", "100-0001"},
		{"Sweden", "SE", "SEK", "Göteborg", "411 03"},
		{"United Kingdom", "GB", "GBP", "London", "EC1A 1BB"},
		{"", "", "USD", "", ""},
	}
	roles   = []string{"admin", "developer", "operator", "read_only", "role:project:admin", "project:services:read", "organization:app_users:write"}
	firsts  = []string{"Åsa", "Jürgen", "Zoë", "Mikko", "Ana", "Søren", "Ľubica", "Kenji", "Chloé", "Olu"}
	lasts   = []string{"Ødegård", "Müller", "Núñez", "Virtanen", "O'Brien", "Nakamura", "Dvořák", "Smith", "Łukasiewicz"}
	teams   = []string{"data", "platform", "billing", "search", "ml", "edge"}
	methods = []string{"card", "no_payment_expected", "partner", "accrual"}
)

// CloudsBody returns a GET /v1/clouds body with n clouds.
func CloudsBody(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	clouds := make([]genCloud, n)
	for i := range clouds {
		p := providers[i%len(providers)]
		pl := places[r.IntN(len(places))]
		clouds[i] = genCloud{
			CloudDescription:    fmt.Sprintf("%s - %s: %s", pl.area, p.desc, pl.city),
			CloudName:           fmt.Sprintf("%s-%s-%d", p.name, strings.ReplaceAll(pl.region, " ", "-"), i),
			GeoLatitude:         jitter(r, pl.lat),
			GeoLongitude:        jitter(r, pl.lon),
			GeoRegion:           pl.region,
			Provider:            p.name,
			ProviderDescription: p.desc,
		}
	}
	return marshal(struct {
		Clouds []genCloud `json:"clouds"`
	}{clouds})
}

// ProjectsBody returns a GET /v1/project body with n projects, about 1.5 kB
// each.
func ProjectsBody(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 2))
	list := genProjectList{
		ProjectMembership:  make(map[string]string, n),
		ProjectMemberships: make(map[string][]string, n),
		Projects:           make([]genProject, n),
	}
	for i := range list.Projects {
		p := newProject(r, i)
		list.Projects[i] = p
		role := roles[r.IntN(len(roles))]
		list.ProjectMembership[p.ProjectName] = role
		list.ProjectMemberships[p.ProjectName] = []string{role, roles[r.IntN(len(roles))]}
	}
	return marshal(list)
}

func newProject(r *rand.Rand, i int) genProject {
	c := countries[r.IntN(len(countries))]
	team := teams[r.IntN(len(teams))]
	name := fmt.Sprintf("%s-%s-%04d", team, []string{"prod", "staging", "dev", "sandbox"}[r.IntN(4)], i)
	if i%7 == 0 {
		name = fmt.Sprintf("analytics-東京-%04d", i)
	}
	p := genProject{
		AccountID:          fmt.Sprintf("a%011x", r.Uint64()>>20),
		AccountName:        strings.ToUpper(team[:1]) + team[1:] + " Team",
		AvailableCredits:   money(r, 100),
		BillingAddress:     strings.TrimSpace(fmt.Sprintf("Bahnhofstrasse %d\n%s %s\n%s", r.IntN(200)+1, c.zip, c.city, c.name)),
		BillingCurrency:    c.currency,
		BillingEmails:      emails(r, "billing", 1+r.IntN(3)),
		BillingExtraText:   nil,
		BillingGroupID:     uuid(r),
		BillingGroupName:   "Default billing group for " + name,
		City:               c.city,
		Company:            lasts[r.IntN(len(lasts))] + " & " + lasts[r.IntN(len(lasts))] + " GmbH",
		Country:            c.name,
		CountryCode:        c.code,
		DefaultCloud:       fmt.Sprintf("%s-%s-%d", providers[r.IntN(len(providers))].name, "europe", r.IntN(CloudCount)),
		EndOfLifeExtension: map[string]genEOL{},
		EstimatedBalance:   money(r, 100000),
		Features: map[string]any{
			"kafka_connect_v2":        r.IntN(2) == 0,
			"service_creation_wizard": true,
			"max_services":            float64(r.IntN(64)),
			"billing_v3":              r.IntN(3) == 0,
		},
		OrganizationID:      fmt.Sprintf("org%011x", r.Uint64()>>20),
		PaymentMethod:       methods[r.IntN(len(methods))],
		ProjectName:         name,
		State:               "active",
		Tags:                map[string]string{"team": team, "cost-center": fmt.Sprint(4000 + r.IntN(999)), "env": []string{"prod", "staging", "dev"}[r.IntN(3)], "owner": fmt.Sprintf("%s.%d@example.com", team, r.IntN(1000))},
		TechEmails:          emails(r, "oncall", 1+r.IntN(2)),
		TenantID:            "aiven",
		TrialExpirationTime: nil,
		VatID:               fmt.Sprintf("%s%09d", c.code, r.IntN(1e9)),
		ZipCode:             c.zip,
	}
	if c.name != "" {
		p.AddressLines = []string{fmt.Sprintf("Bahnhofstrasse %d", r.IntN(200)+1), "c/o " + firsts[r.IntN(len(firsts))] + " " + lasts[r.IntN(len(lasts))]}
		p.EstimatedBalanceLocal = money(r, 100000)
	}
	switch r.IntN(10) {
	case 0:
		p.AccountID = nil // Aiven sends null for projects outside an account
	case 1, 2:
		p.BillingExtraText = fmt.Sprintf("PO %d – cost centre „%s“", r.IntN(100000), team)
	}
	if p.PaymentMethod == "card" {
		first, last := firsts[r.IntN(len(firsts))], lasts[r.IntN(len(lasts))]
		p.CardInfo = &genCard{
			Brand: []string{"Visa", "Mastercard", "American Express"}[r.IntN(3)], CardID: fmt.Sprintf("card_%x", r.Uint32()),
			Country: c.name, CountryCode: c.code, ExpMonth: 1 + r.IntN(12), ExpYear: 2026 + r.IntN(8),
			Last4: fmt.Sprintf("%04d", r.IntN(10000)), Name: first + " " + last,
			UserEmail: strings.ToLower(fmt.Sprintf("%s.%d@example.com", team, r.IntN(1000))),
		}
	}
	if r.IntN(4) == 0 {
		p.TrialExpirationTime = timestamp(r)
	}
	if r.IntN(20) == 0 {
		p.EndOfLifeExtension["elasticsearch"] = genEOL{EolDate: "2026-12-31", Version: "7"}
	}
	if r.IntN(10) == 0 {
		p.OrganizationID = "" // older projects carry none
	}
	return p
}

// UserBody returns a GET /v1/me body for a user who is a member of 40
// projects.
func UserBody(seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 3))
	u := genUser{
		Auth:       []string{"password", "saml"},
		City:       "Zürich",
		Country:    "CH",
		CreateTime: timestamp(r),
		Department: "Plattform & Daten",
		Features: map[string]any{
			"service_creation_wizard": true, "max_projects": 12.0,
			"beta": map[string]any{"kafka_tiered": "on", "regions": []any{"eu", "us"}},
		},
		JobTitle:               "Site Reliability Engineer",
		ManagingOrganizationID: "org4b1d2c3e4f5",
		ProjectMembership:      map[string]string{},
		ProjectMemberships:     map[string][]string{},
		RealName:               "Åsa Ødegård 🦀",
		State:                  "active",
		Tenant:                 "aiven",
		TokenValidityBegin:     timestamp(r),
		User:                   "asa@example.com",
		UserID:                 "u4a3d1c2b9f8",
	}
	for i := range 40 {
		name := fmt.Sprintf("%s-%04d", teams[i%len(teams)], i)
		role := roles[r.IntN(len(roles))]
		u.Projects = append(u.Projects, name)
		u.ProjectMembership[name] = role
		u.ProjectMemberships[name] = []string{role, "read_only"}
	}
	for i := range 3 {
		u.Invitations = append(u.Invitations, genInvitation{
			InviteCode: fmt.Sprintf("inv-%08x", r.Uint32()), InviteTime: timestamp(r),
			InvitingUserEmail: "ops@example.com", ProjectName: fmt.Sprintf("invited-%d", i),
		})
	}
	return marshal(struct {
		User genUser `json:"user"`
	}{u})
}

func emails(r *rand.Rand, who string, n int) []genEmail {
	out := make([]genEmail, n)
	for i := range out {
		out[i].Email = fmt.Sprintf("%s+%d@example.com", who, r.IntN(1000))
	}
	return out
}

func money(r *rand.Rand, max int) string {
	cents := r.IntN(max * 100)
	return fmt.Sprintf("%d.%02d", cents/100, cents%100)
}

// timestamp writes a time as Aiven does: RFC 3339 with microseconds and an
// explicit +00:00.
func timestamp(r *rand.Rand) string {
	base := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	t := base.Add(time.Duration(r.Int64N(int64(5 * 365 * 24 * time.Hour))))
	return t.Format("2006-01-02T15:04:05.000000+00:00")
}

func uuid(r *rand.Rand) string {
	a, b := r.Uint64(), r.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, a>>16&0xffff, a&0xfff, b>>48&0x3fff|0x8000, b&0xffffffffffff)
}

// jitter moves a coordinate by up to one degree, keeping six decimals.
func jitter(r *rand.Rand, x float64) float64 {
	return math.Round(x*1e6+float64(r.IntN(2000000)-1000000)) / 1e6
}

// marshal writes v as Aiven's Python back end does: the separators ", "
// and ": ", no indentation, non-ASCII text as UTF-8.
func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("bench: marshal body: " + err.Error())
	}
	out := make([]byte, 0, len(b)+len(b)/8)
	inString, escaped := false, false
	for _, c := range b {
		out = append(out, c)
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ',' || c == ':'):
			out = append(out, ' ')
		}
	}
	return out
}
