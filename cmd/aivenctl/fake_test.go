package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aivenapi/aivenapi/api"
	"github.com/aivenapi/aivenapi/apitest"
)

// TestAgainstFake runs every command against apitest's fake, with either
// scheme, --validate on: the fake takes Bearer as Aiven does, its answers
// match openapi.yaml, and a 401 tells the user what was wrong.
func TestAgainstFake(t *testing.T) {
	t.Parallel()
	const token = "tok-AGAINSTFAKE-5be0c1d2e3f4a5b6"
	srv := apitest.NewServer(t, apitest.Config{Token: token})
	var projects struct {
		Projects []struct {
			ProjectName string `json:"project_name"`
		} `json:"projects"`
	}
	if err := json.Unmarshal(apitest.DefaultProjectList(), &projects); err != nil {
		t.Fatal(err)
	}
	project := projects.Projects[1].ProjectName
	env := func(tok string) environment {
		return environment{
			getenv: func(k string) string {
				return map[string]string{"AIVEN_WEB_URL": srv.URL, "AIVEN_TOKEN": tok}[k]
			},
			retry: &api.RetryPolicy{MaxAttempts: 1},
		}
	}
	for _, tt := range []struct {
		args       []string
		token      string
		wantErr    string // the whole of stderr, when the command fails
		wantStdout string // a line of stdout, when it succeeds
	}{
		{args: []string{"user", "info"}, token: token, wantStdout: "asa.jarvinen@example.com"},
		{args: []string{"user", "info", "--auth-scheme", "bearer"}, token: token, wantStdout: "asa.jarvinen@example.com"},
		{args: []string{"project", "list", "--auth-scheme", "bearer"}, token: token, wantStdout: project},
		{args: []string{"cloud", "list"}, wantStdout: "aws-eu-west-1"},
		{args: []string{"cloud", "list", "--project", project, "--auth-scheme", "bearer"}, token: token, wantStdout: "aws-eu-west-1"},
		{args: []string{"cloud", "list", "--project", "no-such-project"}, token: token,
			wantErr: "aivenctl: Project does not exist (HTTP 404)\n"},
		{args: []string{"user", "info", "--auth-scheme", "bearer"}, token: "tok-not-the-right-one",
			wantErr: "aivenctl: Invalid token: Bearer with a token this server does not accept (HTTP 401); the token came from AIVEN_TOKEN\n"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			err := runWith(t.Context(), append(tt.args, "--validate"), env(tt.token), &stdout, &stderr)
			if tt.wantErr != "" {
				if err == nil || stderr.String() != tt.wantErr || stdout.Len() != 0 {
					t.Errorf("err %v, stderr %q, stdout %q; want stderr %q", err, stderr.String(), stdout.String(), tt.wantErr)
				}
				return
			}
			if err != nil || stderr.Len() != 0 || !strings.Contains(stdout.String(), tt.wantStdout) {
				t.Errorf("err %v, stderr %q; want success, no drift, and %q in stdout:\n%s", err, stderr.String(), tt.wantStdout, stdout.String())
			}
		})
	}
}
