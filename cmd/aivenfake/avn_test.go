package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aivenapi/aivenapi/apitest"
)

// avn runs Aiven's own CLI, avn (github.com/aiven/aiven-client), against
// the fake, when it is there: an "avn" command on PATH, or a checkout of
// aiven-client named by AIVEN_CLIENT_DIR (run as "python3 -m aiven.client"
// with that directory on PYTHONPATH; the checkout needs an
// aiven/client/version.py, which its build writes, and Python with the
// packages requests, requests-toolbelt and certifi). AIVEN_CLIENT_PYTHON
// names the interpreter (default python3). Without avn the tests skip,
// saying so: CI installs nothing for them.
type avn struct {
	cmd  []string // the command line before avn's arguments
	env  []string // PYTHONPATH, when a checkout is used
	what string   // for messages
}

// findAvn returns avn, or skips the test saying why not.
func findAvn(t *testing.T) avn {
	t.Helper()
	python := os.Getenv("AIVEN_CLIENT_PYTHON")
	if python == "" {
		python = "python3"
	}
	if dir := os.Getenv("AIVEN_CLIENT_DIR"); dir != "" {
		a := avn{cmd: []string{python, "-m", "aiven.client"}, env: []string{"PYTHONPATH=" + dir}, what: dir}
		probe := exec.Command(python, "-c", "import aiven.client")
		probe.Env = append(os.Environ(), a.env...)
		if out, err := probe.CombinedOutput(); err != nil {
			t.Skipf("avn: AIVEN_CLIENT_DIR=%s does not import with %s (%v): %s", dir, python, err, lastLine(out))
		}
		return a
	}
	if path, err := exec.LookPath("avn"); err == nil {
		return avn{cmd: []string{path}, what: path}
	}
	t.Skip("avn not found: install it, or set AIVEN_CLIENT_DIR to a checkout of github.com/aiven/aiven-client, to run Aiven's CLI against aivenfake")
	return avn{}
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

// run runs avn with args against url with token, in an empty home, and
// returns its exit code, stdout and stderr.
func (a avn) run(t *testing.T, url, token string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, a.cmd[0], append(a.cmd[1:], args...)...)
	home := t.TempDir()
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"AIVEN_CONFIG_DIR=" + filepath.Join(home, "aiven"),
		"AIVEN_WEB_URL=" + url,
		"AIVEN_AUTH_TOKEN=" + token,
		"LANG=C.UTF-8",
	}, a.env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("avn %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	return code, stdout.String(), stderr.String()
}

// TestAvn: avn user info, project list and cloud list --project, as
// tables and with --json, succeed against aivenfake and print the fake's
// data; a wrong token fails with the fake's reason, and no project
// fails with Aiven's 404.
func TestAvn(t *testing.T) {
	a := findAvn(t)
	const token = "avn-Test-token-0123456789abcdef"
	s := start(t, map[string]string{"AIVENFAKE_TOKEN": token}, "-quiet")
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Error(err)
		}
	})

	var projects struct {
		Projects []struct {
			ProjectName string `json:"project_name"`
		} `json:"projects"`
	}
	if err := json.Unmarshal(apitest.DefaultProjectList(), &projects); err != nil {
		t.Fatal(err)
	}
	project := projects.Projects[0].ProjectName
	var clouds struct {
		Clouds []map[string]any `json:"clouds"`
	}
	if err := json.Unmarshal(apitest.DefaultListClouds(), &clouds); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		args []string
		// check checks the --json output, decoded; nil for a table.
		check      func(t *testing.T, items []map[string]any)
		wantHeader string // the start of the table's first line
	}{
		{args: []string{"user", "info"}, wantHeader: "USER "},
		{args: []string{"user", "info", "--json"}, check: func(t *testing.T, items []map[string]any) {
			if len(items) != 1 || items[0]["user"] != "asa.jarvinen@example.com" {
				t.Errorf("user info --json: %v, want one user, asa.jarvinen@example.com", items)
			}
		}},
		{args: []string{"project", "list"}, wantHeader: "PROJECT_NAME "},
		{args: []string{"project", "list", "--json"}, check: func(t *testing.T, items []map[string]any) {
			if len(items) != len(projects.Projects) || items[0]["project_name"] != project {
				t.Errorf("project list --json: %d projects, first %v; want %d, first %s", len(items), items[0]["project_name"], len(projects.Projects), project)
			}
		}},
		{args: []string{"cloud", "list", "--project", project}, wantHeader: "CLOUD_DESCRIPTION "},
		{args: []string{"cloud", "list", "--project", project, "--json"}, check: func(t *testing.T, items []map[string]any) {
			if len(items) != len(clouds.Clouds) || items[0]["cloud_name"] != clouds.Clouds[0]["cloud_name"] {
				t.Errorf("cloud list --json: %d clouds, want %d, first %v", len(items), len(clouds.Clouds), clouds.Clouds[0]["cloud_name"])
			}
		}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := a.run(t, s.url, token, tt.args...)
			if code != 0 {
				t.Fatalf("avn (%s) exit %d; stderr:\n%s", a.what, code, stderr)
			}
			if tt.check == nil {
				if !strings.HasPrefix(stdout, tt.wantHeader) {
					t.Errorf("table starts %q, want %q:\n%s", firstLine(stdout), tt.wantHeader, stdout)
				}
				return
			}
			var items []map[string]any
			if err := json.Unmarshal([]byte(stdout), &items); err != nil {
				t.Fatalf("--json output is not a JSON list of objects: %v\n%s", err, stdout)
			}
			tt.check(t, items)
		})
	}

	t.Run("wrong token", func(t *testing.T) {
		t.Parallel()
		code, stdout, stderr := a.run(t, s.url, "not-the-token", "user", "info")
		if code != 1 || stdout != "" || !strings.Contains(stderr, "Invalid token: aivenv1 with a token this server does not accept") || !strings.Contains(stderr, "401") {
			t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and the fake's reason with 401", code, stdout, stderr)
		}
	})
	t.Run("no project", func(t *testing.T) {
		t.Parallel()
		// Without --project nor a default project, avn asks for
		// /v1/project//clouds.
		code, _, stderr := a.run(t, s.url, token, "cloud", "list")
		if code != 1 || !strings.Contains(stderr, "404") {
			t.Errorf("exit %d, stderr %q; want exit 1 and a 404", code, stderr)
		}
	})
	t.Run("unknown project", func(t *testing.T) {
		t.Parallel()
		code, _, stderr := a.run(t, s.url, token, "cloud", "list", "--project", "no-such-project")
		if code != 1 || !strings.Contains(stderr, "Project does not exist") || !strings.Contains(stderr, "404") {
			t.Errorf("exit %d, stderr %q; want exit 1 and Project does not exist (404)", code, stderr)
		}
	})
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestAvnColumns: aivenctl cloud list --project shows the columns avn
// cloud list --project shows, for clouds with fields openapi.yaml does not
// declare (a list, an object, an odd name, a big number, a null). It
// builds aivenctl, so it runs only where avn does.
func TestAvnColumns(t *testing.T) {
	a := findAvn(t)
	const token = "avn-Columns-token-0123456789abcdef"
	dir := t.TempDir()
	clouds := `{"clouds": [
		{"cloud_name": "zz-cloud", "geo_region": "mars", "geo_latitude": 53.073635000, "geo_longitude": -1E-7,
		 "cloud_description": "Mars", "provider": "zz", "provider_description": "Z",
		 "cloud_tags": ["preferred"], "zone": {"id": 7, "name": "z", "empty": {}}, "Weird Key": true,
		 "big": 123456789012345678901234567890, "extra_null": null},
		{"cloud_name": "aa-cloud", "geo_region": "", "zone": {"id": 8}}]}`
	if err := os.WriteFile(filepath.Join(dir, "clouds.json"), []byte(clouds), 0o600); err != nil {
		t.Fatal(err)
	}
	s := start(t, map[string]string{"AIVENFAKE_TOKEN": token}, "-quiet", "-data", dir)
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Error(err)
		}
	})
	aivenctl := filepath.Join(t.TempDir(), "aivenctl")
	if out, err := exec.CommandContext(t.Context(), "go", "build", "-o", aivenctl, "../aivenctl").CombinedOutput(); err != nil {
		t.Fatalf("go build ../aivenctl: %v\n%s", err, out)
	}

	code, avnOut, stderr := a.run(t, s.url, token, "cloud", "list", "--project", "acme-prod")
	if code != 0 {
		t.Fatalf("avn cloud list --project acme-prod: exit %d\n%s", code, stderr)
	}
	cmd := exec.CommandContext(t.Context(), aivenctl, "cloud", "list", "--project", "acme-prod")
	cmd.Env = []string{"HOME=" + t.TempDir(), "AIVEN_WEB_URL=" + s.url, "AIVEN_TOKEN=" + token}
	ctlOut, err := cmd.Output()
	if err != nil {
		t.Fatalf("aivenctl cloud list --project acme-prod: %v", err)
	}
	columns := func(table string) []string {
		return regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(firstLine(table)), -1)
	}
	if avnCols, ctlCols := columns(avnOut), columns(string(ctlOut)); !slices.Equal(avnCols, ctlCols) {
		t.Errorf("columns of aivenctl cloud list:\n%q\nwant avn's:\n%q", ctlCols, avnCols)
	}
}
