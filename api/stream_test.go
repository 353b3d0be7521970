package api_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aivenapi/aivenapi/api"
)

// collect runs c.Projects to its end.
func collect(t *testing.T, c *api.ClientWithResponses) ([]api.Project, error) {
	t.Helper()
	var got []api.Project
	for p, err := range c.Projects(t.Context()) {
		if err != nil {
			if p.ProjectName != "" {
				t.Errorf("error %v came with project %q", err, p.ProjectName)
			}
			return got, err
		}
		got = append(got, p)
	}
	return got, nil
}

// TestProjectsStreamsWhatProjectListDecodes: the streamed projects are
// those of ProjectListWithResponse, in order.
func TestProjectsStreamsWhatProjectListDecodes(t *testing.T) {
	t.Parallel()
	for name, body := range map[string][]byte{
		"fixture":       readFixture(t, "projects.json"),
		"1000 projects": largeProjectList(t, 1000),
		"projects first": []byte(`{"projects": [{"project_name": "a", "card_info": null, "tags": {"n": 1}}, {"project_name": "b"}],
			"project_membership": {"a": "admin"}, "project_memberships": {"a": ["admin"]}}`),
		"empty list": []byte(`{"projects": []}`),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newAPIServer(t, map[string]served{"/v1/project": {status: 200, contentType: jsonType, body: body}})
			c := newClient(t, srv)
			res, err := c.ProjectListWithResponse(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			got, err := collect(t, c)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(res.JSON200.Projects, got, cmp.Comparer(func(a, b []api.Project) bool {
				return len(a) == 0 && len(b) == 0 || cmp.Equal(a, b)
			})); diff != "" {
				t.Errorf("streamed projects differ from ProjectListWithResponse's (-decoded +streamed):\n%s", diff)
			}
		})
	}
}

// TestProjectsErrors: every way the call or the body fails ends the
// iteration with one error, after the projects read before it.
func TestProjectsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		resp       served
		wantN      int
		wantText   string
		wantErr    error
		wantAPIErr int
	}{
		{name: "404", resp: served{status: 404, contentType: jsonType, body: []byte(`{"message": "Not found"}`)}, wantAPIErr: 404, wantText: "Not found"},
		{name: "cut short in the second project", resp: served{status: 200, contentType: jsonType, body: []byte(`{"projects": [{"project_name": "a"}, {"project_name": "b`)},
			wantN: 1, wantErr: api.ErrInvalidResponse, wantText: "at byte 56: unexpected end of JSON input in string literal (cut short?)"},
		{name: "wrong type in a project", resp: served{status: 200, contentType: jsonType, body: []byte(`{"projects": [{"project_name": "a"}, {"project_name": 7}]}`)},
			wantN: 1, wantErr: api.ErrInvalidResponse, wantText: "want a string, got a number"},
		{name: "no projects", resp: served{status: 200, contentType: jsonType, body: []byte(`{"project_membership": {}}`)},
			wantErr: api.ErrInvalidResponse, wantText: `api: ProjectList: response body has no "projects"`},
		{name: "projects null", resp: served{status: 200, contentType: jsonType, body: []byte(`{"projects": null}`)},
			wantErr: api.ErrInvalidResponse, wantText: `has no "projects"`},
		{name: "body null", resp: served{status: 200, contentType: jsonType, body: []byte(`null`)},
			wantErr: api.ErrInvalidResponse, wantText: `has no "projects"`},
		{name: "body an array", resp: served{status: 200, contentType: jsonType, body: []byte(`[]`)},
			wantErr: api.ErrInvalidResponse, wantText: "want an object, got an array"},
		{name: "projects an object", resp: served{status: 200, contentType: jsonType, body: []byte(`{"projects": {}}`)},
			wantErr: api.ErrInvalidResponse, wantText: "at byte 13: want an array, got an object"},
		{name: "trailing data", resp: served{status: 200, contentType: jsonType, body: []byte(`{"projects": [{"project_name": "a"}]} {}`)},
			wantN: 1, wantErr: api.ErrInvalidResponse, wantText: "at byte 38: invalid character '{' after top-level value"},
		{name: "syntax error in a skipped field", resp: served{status: 200, contentType: jsonType, body: []byte(`{"projects": [], "project_membership": {"a" 1}}`)},
			wantErr: api.ErrInvalidResponse, wantText: "invalid character"},
		{name: "too large", resp: served{status: 200, contentType: jsonType, body: []byte(`{"projects": [{"project_name": "` + strings.Repeat("x", 5000) + `"}]}`)},
			wantErr: api.ErrBodyTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newAPIServer(t, map[string]served{"/v1/project": tt.resp})
			c := newClient(t, srv, api.WithMaxBodySize(4096), api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 1}))
			got, err := collect(t, c)
			if err == nil {
				t.Fatalf("no error; %d projects", len(got))
			}
			if len(got) != tt.wantN {
				t.Errorf("%d projects before the error, want %d", len(got), tt.wantN)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error %q, want it to contain %q", err, tt.wantText)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %q is not %v", err, tt.wantErr)
			}
			// A body that is not a project list fails as it does for
			// ProjectListWithResponse, at the same byte, for the same reason.
			if _, bufErr := c.ProjectListWithResponse(t.Context()); errors.Is(err, api.ErrInvalidResponse) && (bufErr == nil || bufErr.Error() != err.Error()) {
				t.Errorf("error %q, ProjectListWithResponse's %v", err, bufErr)
			}
			var ae *api.Error
			if tt.wantAPIErr != 0 && (!errors.As(err, &ae) || ae.StatusCode != tt.wantAPIErr) {
				t.Errorf("error %v, want an *api.Error with status %d", err, tt.wantAPIErr)
			}
		})
	}
}

// TestProjectsBreak: a loop that breaks gets no more projects and leaves
// no connection or goroutine behind (TestMain checks for leaks).
func TestProjectsBreak(t *testing.T) {
	t.Parallel()
	srv := newAPIServer(t, map[string]served{"/v1/project": {status: 200, contentType: jsonType, body: largeProjectList(t, 100)}})
	c := newClient(t, srv)
	n := 0
	for _, err := range c.Projects(t.Context()) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 3 {
			break
		}
	}
	if n != 3 {
		t.Errorf("%d projects, want 3", n)
	}
}
