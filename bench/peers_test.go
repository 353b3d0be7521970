package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"

	aiven "github.com/aiven/go-client-codegen"
	"github.com/aiven/go-client-codegen/handler/cloud"
	"github.com/aiven/go-client-codegen/handler/project"
	"github.com/aiven/go-client-codegen/handler/user"
	"github.com/go-faster/jx"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/auth"
	"github.com/aivenapi/aivenapi/bench/ogenclient"
)

// A peer is one client under test: calls over HTTP, and the same decoding
// on bytes already in memory. Each call returns a summary of its result
// (project names, cloud names, the user's email and projects) so that a
// test can check every peer decoded the same thing.
type peer struct {
	name string
	// connect returns the calls of a client of the server at base.
	connect func(base string) (calls, error)
	// Decoding alone, as the client does it after reading the body.
	decodeUser, decodeProjects, decodeClouds func(body []byte) (any, error)
	// summarize reduces a result of calls or decode to comparable names.
	summarize func(result any) []string
}

type calls struct {
	user, projects, clouds func(ctx context.Context) (any, error)
}

var peers = []peer{aivenapiPeer, nethttpPeer, officialPeer, ogenPeer}

// This project's client, as its README shows it.
var aivenapiPeer = peer{
	name: "aivenapi",
	connect: func(base string) (calls, error) {
		c, err := api.New(api.WithBaseURL(base), api.WithRequestEditorFn(auth.Aiven(Token)))
		if err != nil {
			return calls{}, err
		}
		return calls{
			user: func(ctx context.Context) (any, error) {
				r, err := c.UserInfoWithResponse(ctx)
				if err != nil {
					return nil, err
				}
				return r.JSON200, nil
			},
			projects: func(ctx context.Context) (any, error) {
				//lint:ignore SA1019 the benchmark measures the deprecated operation on purpose
				r, err := c.ProjectListWithResponse(ctx)
				if err != nil {
					return nil, err
				}
				return r.JSON200, nil
			},
			clouds: func(ctx context.Context) (any, error) {
				r, err := c.ListCloudsWithResponse(ctx)
				if err != nil {
					return nil, err
				}
				return r.JSON200, nil
			},
		}, nil
	},
	// The generated Parse functions hand the body to these methods
	// directly (through api's internal/json), without encoding/json.
	decodeUser:     direct[api.UserInfoResponse],
	decodeProjects: direct[api.ProjectListResponse],
	decodeClouds:   direct[api.ListCloudsResponse],
	summarize: func(result any) []string {
		switch r := result.(type) {
		case *api.UserInfoResponse:
			return append([]string{r.User.User}, r.User.Projects...)
		case *api.ProjectListResponse:
			return names(r.Projects, func(p api.Project) string { return p.ProjectName })
		case *api.ListCloudsResponse:
			return names(r.Clouds, func(c api.Cloud) string { return c.CloudName })
		}
		return unknown(result)
	},
}

// The hand-written baseline: net/http and encoding/json.
var nethttpPeer = peer{
	name: "nethttp",
	connect: func(base string) (calls, error) {
		t := http.DefaultTransport.(*http.Transport).Clone()
		c := &PlainClient{HTTPClient: &http.Client{Transport: t}, BaseURL: base, Token: Token}
		return calls{
			user: func(ctx context.Context) (any, error) {
				var v PlainUserInfo
				return &v, c.Get(ctx, "/v1/me", &v)
			},
			projects: func(ctx context.Context) (any, error) {
				var v PlainProjects
				return &v, c.Get(ctx, "/v1/project", &v)
			},
			clouds: func(ctx context.Context) (any, error) {
				var v PlainClouds
				return &v, c.Get(ctx, "/v1/clouds", &v)
			},
		}, nil
	},
	decodeUser:     unmarshal[PlainUserInfo],
	decodeProjects: unmarshal[PlainProjects],
	decodeClouds:   unmarshal[PlainClouds],
	summarize: func(result any) []string {
		switch r := result.(type) {
		case *PlainUserInfo:
			return append([]string{r.User.User}, r.User.Projects...)
		case *PlainProjects:
			return names(r.Projects, func(p PlainProject) string { return p.ProjectName })
		case *PlainClouds:
			return names(r.Clouds, func(c PlainCloud) string { return c.CloudName })
		}
		return unknown(result)
	},
}

// The bodies of Aiven's official client, whose handlers keep the clouds
// and the user in unexported wrappers.
type (
	officialClouds struct {
		Clouds []cloud.CloudOut `json:"clouds"`
	}
	officialUser struct {
		User user.UserInfoOut `json:"user"`
	}
)

// Aiven's official client, github.com/aiven/go-client-codegen, with its
// defaults (retrying HTTP client, merged concurrent GETs).
var officialPeer = peer{
	name: "official",
	connect: func(base string) (calls, error) {
		c, err := aiven.NewClient(aiven.TokenOpt(Token), aiven.HostOpt(base), aiven.UserAgentOpt("bench"))
		if err != nil {
			return calls{}, err
		}
		return calls{
			user: func(ctx context.Context) (any, error) {
				u, err := c.UserInfo(ctx)
				return &officialUser{User: deref(u)}, err
			},
			projects: func(ctx context.Context) (any, error) {
				//lint:ignore SA1019 the benchmark measures the deprecated operation on purpose
				return c.ProjectList(ctx)
			},
			clouds: func(ctx context.Context) (any, error) {
				cl, err := c.ListClouds(ctx)
				return &officialClouds{Clouds: cl}, err
			},
		}, nil
	},
	decodeUser:     unmarshal[officialUser],
	decodeProjects: unmarshal[project.ProjectListOut],
	decodeClouds:   unmarshal[officialClouds],
	summarize: func(result any) []string {
		switch r := result.(type) {
		case *officialUser:
			return append([]string{r.User.User}, r.User.Projects...)
		case *project.ProjectListOut:
			return names(r.Projects, func(p project.ProjectOut) string { return p.ProjectName })
		case *officialClouds:
			return names(r.Clouds, func(c cloud.CloudOut) string { return c.CloudName })
		}
		return unknown(result)
	},
}

// ogenToken is the ogen client's source of credentials.
type ogenToken struct{}

func (ogenToken) TokenAuth(context.Context, ogenclient.OperationName) (ogenclient.TokenAuth, error) {
	return ogenclient.TokenAuth{APIKey: "aivenv1 " + Token}, nil
}

// A client generated by ogen from openapi.yaml (see gen.go), with
// http.DefaultClient as ogen's default.
var ogenPeer = peer{
	name: "ogen",
	connect: func(base string) (calls, error) {
		c, err := ogenclient.NewClient(base, ogenToken{})
		if err != nil {
			return calls{}, err
		}
		return calls{
			user: func(ctx context.Context) (any, error) {
				return ogenResult[*ogenclient.UserInfoResponse](c.UserInfo(ctx))
			},
			projects: func(ctx context.Context) (any, error) {
				//lint:ignore SA1019 the benchmark measures the deprecated operation on purpose
				return ogenResult[*ogenclient.ProjectListResponse](c.ProjectList(ctx))
			},
			clouds: func(ctx context.Context) (any, error) {
				return ogenResult[*ogenclient.ListCloudsResponse](c.ListClouds(ctx))
			},
		}, nil
	},
	decodeUser:     ogenDecode[ogenclient.UserInfoResponse],
	decodeProjects: ogenDecode[ogenclient.ProjectListResponse],
	decodeClouds:   ogenDecode[ogenclient.ListCloudsResponse],
	summarize: func(result any) []string {
		switch r := result.(type) {
		case *ogenclient.UserInfoResponse:
			return append([]string{r.User.User}, r.User.Projects...)
		case *ogenclient.ProjectListResponse:
			return names(r.Projects, func(p ogenclient.ProjectListResponseProjectsItem) string { return p.ProjectName })
		case *ogenclient.ListCloudsResponse:
			return names(r.Clouds, func(c ogenclient.ListCloudsResponseCloudsItem) string { return c.CloudName })
		}
		return unknown(result)
	},
}

// direct decodes body with T's own UnmarshalJSON, as this project's
// generated client does.
func direct[T any, P interface {
	*T
	UnmarshalJSON([]byte) error
}](body []byte) (any, error) {
	v := P(new(T))
	return v, v.UnmarshalJSON(body)
}

func unmarshal[T any](body []byte) (any, error) {
	v := new(T)
	return v, json.Unmarshal(body, v)
}

// ogenBody is what ogen generates for a response body.
type ogenBody[T any] interface {
	*T
	Decode(d *jx.Decoder) error
	Validate() error
}

// ogenDecode decodes as ogen's generated response decoders do: decode,
// require the end of input, validate.
func ogenDecode[T any, P ogenBody[T]](body []byte) (any, error) {
	v := P(new(T))
	d := jx.DecodeBytes(body)
	if err := v.Decode(d); err != nil {
		return nil, err
	}
	if err := d.Skip(); err != io.EOF {
		return nil, errors.New("unexpected trailing data")
	}
	return v, v.Validate()
}

func ogenResult[T any, R any](res R, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	v, ok := any(res).(T)
	if !ok {
		return nil, fmt.Errorf("ogen: unexpected result %T", res)
	}
	return v, nil
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func names[T any](items []T, name func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = name(it)
	}
	return out
}

func unknown(result any) []string { return []string{fmt.Sprintf("unexpected result %T", result)} }

// mustConnect returns the calls of p against srvURL, failing tb otherwise.
func mustConnect(tb testing.TB, p peer, srvURL string) calls {
	tb.Helper()
	c, err := p.connect(srvURL)
	if err != nil {
		tb.Fatalf("%s: connect: %v", p.name, err)
	}
	return c
}
