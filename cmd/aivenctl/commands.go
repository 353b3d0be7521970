package main

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/aivenapi/aivenapi/api"
)

// noun is a command word such as "project", with its subcommands.
type noun struct {
	name  string
	verbs []*verb
}

// verb is one API call: "project list".
type verb struct {
	name    string
	summary string // for the command list of the help
	op      string // method and path, for the help and for errors
	details string // more help, after the usage line
	// tokenOptional: the call works without a token, and sends one when
	// there is one.
	tokenOptional bool
	call          func(context.Context, *api.ClientWithResponses) (output, error)
}

// output is a result, ready to print as JSON (value) or as a table; rows
// are made only for a table.
type output struct {
	value  any
	header []string
	rows   func() [][]string
}

var nouns = []*noun{
	{name: "user", verbs: []*verb{{
		name:    "info",
		summary: "the user the token belongs to",
		op:      "GET /v1/me",
		details: "Columns: USER, REAL_NAME, STATE, TOKEN_VALIDITY_BEGIN, PROJECTS, AUTH.\n" +
			"With --json: the user object.\n",
		call: userInfo,
	}}},
	{name: "project", verbs: []*verb{{
		name:    "list",
		summary: "the projects the user is a member of",
		op:      "GET /v1/project",
		details: "Columns: PROJECT_NAME, DEFAULT_CLOUD, CREDIT_CARD (brand/last4).\n" +
			"With --json: the array of projects.\n" +
			"Aiven marks GET /v1/project deprecated in favour of the organization\n" +
			"projects API; it still answers.\n",
		call: projectList,
	}}},
	{name: "cloud", verbs: []*verb{{
		name:    "list",
		summary: "the clouds services can run in; needs no token",
		op:      "GET /v1/clouds",
		details: "Columns: CLOUD_NAME, DESCRIPTION, REGION, PROVIDER, LATITUDE, LONGITUDE.\n" +
			"With --json: the array of clouds.\n" +
			"A token is sent when there is one (the list may then be tailored to\n" +
			"the user); without one the call still works.\n",
		tokenOptional: true,
		call:          cloudList,
	}}},
}

func findNoun(name string) *noun {
	for _, n := range nouns {
		if n.name == name {
			return n
		}
	}
	return nil
}

func (n *noun) findVerb(name string) *verb {
	for _, v := range n.verbs {
		if v.name == name {
			return v
		}
	}
	return nil
}

func (n *noun) verbNames() string { return strings.Join(n.verbNameList(), ", ") }

func (n *noun) verbNameList() []string {
	names := make([]string, len(n.verbs))
	for i, v := range n.verbs {
		names[i] = v.name
	}
	return names
}

// errNoResult guards against a success without a decoded body, which
// api.New promises never to return.
var errNoResult = errors.New("the API answered without a result")

func userInfo(ctx context.Context, c *api.ClientWithResponses) (output, error) {
	r, err := c.UserInfoWithResponse(ctx)
	if err != nil {
		return output{}, err
	}
	if r.JSON200 == nil {
		return output{}, errNoResult
	}
	u := r.JSON200.User
	return output{
		value:  u,
		header: []string{"USER", "REAL_NAME", "STATE", "TOKEN_VALIDITY_BEGIN", "PROJECTS", "AUTH"},
		rows: func() [][]string {
			return [][]string{{u.User, u.RealName, u.State, timeText(u.TokenValidityBegin),
				strings.Join(u.Projects, ","), strings.Join(u.Auth, ",")}}
		},
	}, nil
}

func projectList(ctx context.Context, c *api.ClientWithResponses) (output, error) {
	//lint:ignore SA1019 the command is "project list" of avn; the successor API is not in openapi.yaml yet.
	r, err := c.ProjectListWithResponse(ctx)
	if err != nil {
		return output{}, err
	}
	if r.JSON200 == nil {
		return output{}, errNoResult
	}
	projects := r.JSON200.Projects
	if projects == nil {
		projects = []api.Project{}
	}
	return output{
		value:  projects,
		header: []string{"PROJECT_NAME", "DEFAULT_CLOUD", "CREDIT_CARD"},
		rows: func() [][]string {
			rows := make([][]string, len(projects))
			for i, p := range projects {
				rows[i] = []string{p.ProjectName, p.DefaultCloud, cardText(p.CardInfo)}
			}
			return rows
		},
	}, nil
}

func cloudList(ctx context.Context, c *api.ClientWithResponses) (output, error) {
	r, err := c.ListCloudsWithResponse(ctx)
	if err != nil {
		return output{}, err
	}
	if r.JSON200 == nil {
		return output{}, errNoResult
	}
	clouds := r.JSON200.Clouds
	if clouds == nil {
		clouds = []api.Cloud{}
	}
	return output{
		value:  clouds,
		header: []string{"CLOUD_NAME", "DESCRIPTION", "REGION", "PROVIDER", "LATITUDE", "LONGITUDE"},
		rows: func() [][]string {
			rows := make([][]string, len(clouds))
			for i, cl := range clouds {
				rows[i] = []string{cl.CloudName, stringText(cl.CloudDescription), cl.GeoRegion,
					stringText(cl.Provider), floatText(cl.GeoLatitude), floatText(cl.GeoLongitude)}
			}
			return rows
		},
	}, nil
}

func stringText(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// floatText prints a coordinate with every digit it has: 53.073635, not
// 53.07 nor 5.3073635e+01.
func floatText(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// timeText prints a time as the API sent it.
func timeText(t *api.Time) string {
	if t == nil {
		return ""
	}
	return t.String()
}

// cardText is the CREDIT_CARD cell: "Visa/4242", or empty when the
// project has no card (card_info null or absent).
func cardText(card interface {
	Get() (api.CardInfo, error)
}) string {
	ci, err := card.Get()
	if err != nil {
		return ""
	}
	switch {
	case ci.Brand == "":
		return ci.Last4
	case ci.Last4 == "":
		return ci.Brand
	}
	return ci.Brand + "/" + ci.Last4
}
