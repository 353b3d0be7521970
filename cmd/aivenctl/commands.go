package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/internal/jsonread"
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
			"Columns: every field of a cloud, alphabetically, as avn shows them:\n" +
			"  " + strings.Join(cloudColumns, ", ") + ",\n" +
			"and any field the API sends that openapi.yaml does not declare\n" +
			"(an object as one column per field: ZONE.ID, ZONE.NAME).\n" +
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
	return cloudOutput(raw, res.Clouds), nil
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
	return cloudOutput(raw, res.Clouds), nil
}

// cloudColumns are the columns of a cloud list for the fields of a cloud
// that openapi.yaml declares, alphabetically, as avn shows them
// (TestCloudColumns keeps them in step with api.Cloud). Fields it does not
// declare add columns of their own (see cloudOutput).
var cloudColumns = []string{"CLOUD_DESCRIPTION", "CLOUD_NAME", "GEO_LATITUDE", "GEO_LONGITUDE", "GEO_REGION", "PROVIDER", "PROVIDER_DESCRIPTION"}

// cloudOutput is a list of clouds: raw for --json, a row per cloud for a
// table. The table has a column for every field of a cloud, as avn shows
// them: the declared ones, typed, and every other field any cloud of raw
// has, from the API's text (an object flattened to one column per field,
// named NAME.FIELD); all alphabetically by the API's field name.
func cloudOutput(raw []byte, clouds []api.Cloud) output {
	return output{
		json: raw,
		table: func() ([]string, [][]string) {
			extra, cells := undeclaredFields(raw, len(clouds))
			header := cloudHeader(extra)
			rows := make([][]string, len(clouds))
			for i, cl := range clouds {
				row := make([]string, len(header))
				for j, col := range header {
					switch col {
					case "CLOUD_DESCRIPTION":
						row[j] = stringText(cl.CloudDescription)
					case "CLOUD_NAME":
						row[j] = cl.CloudName
					case "GEO_LATITUDE":
						row[j] = floatText(cl.GeoLatitude)
					case "GEO_LONGITUDE":
						row[j] = floatText(cl.GeoLongitude)
					case "GEO_REGION":
						row[j] = cl.GeoRegion
					case "PROVIDER":
						row[j] = stringText(cl.Provider)
					case "PROVIDER_DESCRIPTION":
						row[j] = stringText(cl.ProviderDescription)
					default:
						row[j] = cells[i][col]
					}
				}
				rows[i] = row
			}
			return header, rows
		},
	}
}

// cloudHeader is the header of a cloud table with the undeclared field
// names extra: all columns in the order of the API's field names.
func cloudHeader(extra []string) []string {
	names := make([]string, 0, len(cloudColumns)+len(extra))
	for _, c := range cloudColumns {
		names = append(names, strings.ToLower(c))
	}
	names = append(names, extra...)
	slices.Sort(names)
	header := names[:0]
	for _, n := range names {
		// One column per name: "Cloud_Name" and "cloud_name" would both
		// be CLOUD_NAME; the declared field's typed value is shown.
		if n = strings.ToUpper(n); !slices.Contains(header, n) {
			header = append(header, n)
		}
	}
	return header
}

// undeclaredFields reads the JSON array raw of n clouds and returns the
// names of the fields that api.Cloud does not declare, objects flattened
// to dotted names as avn flattens them, and for each cloud its cells by
// upper-case column name (nil for a cloud without such fields). raw has
// already decoded into []api.Cloud, so an error here is unexpected; it
// yields no extra columns.
func undeclaredFields(raw []byte, n int) ([]string, []map[string]string) {
	cells := make([]map[string]string, n)
	seen := map[string]bool{}
	var names []string
	var flatten func(i int, name string, v []byte)
	flatten = func(i int, name string, v []byte) {
		if len(v) > 0 && v[0] == '{' {
			var fields map[string]json.RawMessage
			if json.Unmarshal(v, &fields) == nil {
				for k, fv := range fields {
					flatten(i, name+"."+k, fv)
				}
				return
			}
		}
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
		if cells[i] == nil {
			cells[i] = map[string]string{}
		}
		cells[i][strings.ToUpper(name)] = rawText(v)
	}
	var r jsonread.Reader
	r.Reset(raw)
	i := 0
	if r.Array() {
		for first := true; r.Item(&first) && i < n; i++ {
			if !r.Object() {
				continue // null, which decoded into a zero api.Cloud
			}
			for first := true; ; {
				key, ok := r.Field(&first)
				if !ok {
					break
				}
				switch string(key) {
				case "cloud_description", "cloud_name", "geo_latitude", "geo_longitude", "geo_region", "provider", "provider_description":
					r.Skip() // declared: the table has it typed
					continue
				}
				name := string(key)
				v, _ := r.Raw()
				flatten(i, name, v)
			}
		}
	}
	if r.Err() != nil || i != n {
		return nil, make([]map[string]string, n)
	}
	return names, cells
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
