package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
	// withProject is the verb run instead when --project is given; nil
	// when the command takes no project.
	withProject func(project string) *verb
}

// output is a result, ready to print as JSON or as a table; the table is
// made only when printed. json is what the API sent for the items listed
// (see items), printed by --json; the table comes from the typed result.
type output struct {
	json  []byte
	table func() (header []string, rows [][]string)
}

var nouns = []*noun{
	{name: "user", verbs: []*verb{{
		name:    "info",
		summary: "the user the token belongs to",
		op:      "GET /v1/me",
		details: "Columns: USER, REAL_NAME, STATE, TOKEN_VALIDITY_BEGIN, PROJECTS, AUTH.\n" +
			"With --json: a list of one user object, as the API sent it.\n",
		call: userInfo,
	}}},
	{name: "project", verbs: []*verb{{
		name:    "list",
		summary: "the projects the user is a member of",
		op:      "GET /v1/project",
		details: "Columns: PROJECT_NAME, DEFAULT_CLOUD, CREDIT_CARD (brand/last4).\n" +
			"With --json: the array of projects, as the API sent it.\n" +
			"Aiven marks GET /v1/project deprecated in favour of the organization\n" +
			"projects API; it still answers.\n",
		call: projectList,
	}}},
	{name: "cloud", verbs: []*verb{{
		name:    "list",
		summary: "the clouds services can run in; needs no token",
		op:      "GET /v1/clouds",
		details: "With --project NAME: the clouds available to project NAME\n" +
			"(GET /v1/project/{project}/clouds, as avn cloud list --project; needs a token).\n" +
			"Columns: every field the clouds carry, alphabetically, as avn shows\n" +
			"them: those openapi.yaml declares (CLOUD_NAME, GEO_REGION, ...) typed,\n" +
			"any other as the API sent it (an object as one column per field:\n" +
			"ZONE.ID, ZONE.NAME).\n" +
			"With --json: the array of clouds, as the API sent it.\n" +
			"A token is sent when there is one (the list may then be tailored to\n" +
			"the user); without one the call still works.\n",
		tokenOptional: true,
		call:          cloudList,
		withProject: func(project string) *verb {
			return &verb{name: "list --project", summary: "the clouds available to a project; needs a token", op: "GET /v1/project/{project}/clouds",
				call: func(ctx context.Context, c *api.ClientWithResponses) (output, error) {
					return projectCloudList(ctx, c, project)
				}}
		},
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
	res, raw, err := listed(r.Body, r.JSON200, "user")
	if err != nil {
		return output{}, err
	}
	u := res.User
	return output{
		json: slices.Concat([]byte("["), raw, []byte("]")), // a list of one user, as avn prints it
		table: func() ([]string, [][]string) {
			return []string{"USER", "REAL_NAME", "STATE", "TOKEN_VALIDITY_BEGIN", "PROJECTS", "AUTH"},
				[][]string{{u.User, u.RealName, u.State, timeText(u.TokenValidityBegin),
					strings.Join(u.Projects, ", "), strings.Join(u.Auth, ", ")}}
		},
	}, nil
}

func projectList(ctx context.Context, c *api.ClientWithResponses) (output, error) {
	//lint:ignore SA1019 the command is "project list" of avn; the successor API is not in openapi.yaml yet.
	r, err := c.ProjectListWithResponse(ctx)
	if err != nil {
		return output{}, err
	}
	res, raw, err := listed(r.Body, r.JSON200, "projects")
	if err != nil {
		return output{}, err
	}
	projects := res.Projects
	return output{
		json: raw,
		table: func() ([]string, [][]string) {
			rows := make([][]string, len(projects))
			for i, p := range projects {
				rows[i] = []string{p.ProjectName, p.DefaultCloud, cardText(p.CardInfo)}
			}
			return []string{"PROJECT_NAME", "DEFAULT_CLOUD", "CREDIT_CARD"}, rows
		},
	}, nil
}

func cloudList(ctx context.Context, c *api.ClientWithResponses) (output, error) {
	r, err := c.ListCloudsWithResponse(ctx)
	if err != nil {
		return output{}, err
	}
	res, raw, err := listed(r.Body, r.JSON200, "clouds")
	if err != nil {
		return output{}, err
	}
	return listOutput(raw, res.Clouds), nil
}

func projectCloudList(ctx context.Context, c *api.ClientWithResponses, project string) (output, error) {
	r, err := c.ListProjectCloudsWithResponse(ctx, project, nil)
	if err != nil {
		return output{}, err
	}
	res, raw, err := listed(r.Body, r.JSON200, "clouds")
	if err != nil {
		return output{}, err
	}
	return listOutput(raw, res.Clouds), nil
}

// rawText is the table cell of a JSON value the client has no type for:
// a string's text, a number or true and false as written, nothing for
// null, the items of an array separated by ", " (as avn prints them), and
// an object as compact JSON.
func rawText(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	switch {
	case len(v) == 0 || string(v) == "null":
		return ""
	case v[0] == '"':
		var s string
		if json.Unmarshal(v, &s) == nil {
			return s
		}
	case v[0] == '[':
		var vs []json.RawMessage
		if json.Unmarshal(v, &vs) == nil {
			texts := make([]string, len(vs))
			for i, e := range vs {
				if e = bytes.TrimSpace(e); len(e) > 0 && e[0] == '{' {
					texts[i] = compactText(e)
				} else {
					texts[i] = rawText(e)
				}
			}
			return strings.Join(texts, ", ")
		}
	case v[0] == '{':
		return compactText(v)
	}
	return string(v)
}

// compactText is the JSON value v without its insignificant white space.
func compactText(v json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, v) != nil {
		return string(v)
	}
	return b.String()
}

// listed checks that a call's body decoded into its result (api.New
// promises it whenever err is nil) and returns the result and the field
// key of the body, as items reads it, for --json.
func listed[T any](body []byte, result *T, key string) (*T, []byte, error) {
	if result == nil {
		return nil, nil, errNoResult
	}
	raw, err := items(body, key)
	return result, raw, err
}

// items returns the value of field key of a response body, as the API
// sent it: every field in the API's order, those openapi.yaml does not
// declare included. The body has already decoded into its generated type,
// so it is one valid JSON object; for a key that appears twice, the last
// is taken, as the decoder takes it. An absent or null list is [], as
// the table shows it.
func items(body []byte, key string) ([]byte, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, fmt.Errorf("read the answer again: %w", err)
	}
	raw := bytes.TrimSpace(fields[key])
	if len(raw) == 0 || string(raw) == "null" {
		return []byte("[]"), nil
	}
	return raw, nil
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
