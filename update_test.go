package aivenapi_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestAdditiveUpdate takes an upstream change that only adds optional
// fields of every kind the way a maintainer would, end to end, on a copy
// of the repository: `make spec generate mod` (what `make update-spec`
// runs before the tests) from testdata/update/upstream-v1.json, commit,
// then again from upstream-v2.json, which adds to the clouds of both
// cloud operations, to the projects and to the user a string, an integer,
// a boolean, a number without format, a nested object, an array of
// objects, a map, a nullable string, an enum, a map written the ANY way,
// a time, names with a dash and with a dot, one (new_dotted) that Go
// spells like another (new.dotted), and one written with a Markdown escape
// (new\-escaped for the key new-escaped), and to the clouds of ListClouds
// only one more string (the clouds of both operations share a Go type,
// which must gain it). It checks that only openapi.yaml and generated files
// changed, then builds a program against the regenerated client that
// decodes a body carrying every new field through the ...WithResponse
// methods and through Projects, and compares each value with the body.
func TestAdditiveUpdate(t *testing.T) {
	if testing.Short() {
		t.Skip("copies the repository and regenerates the client twice")
	}
	for _, tool := range []string{"make", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found: %v", tool, err)
		}
	}
	dir := t.TempDir()
	copyRepository(t, dir)
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		// Not the variables of a make that runs this test (make update-spec
		// KEEP=...): they would reach the make below.
		env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
			name, _, _ := strings.Cut(kv, "=")
			return name == "MAKEFLAGS" || name == "MFLAGS" || name == "MAKELEVEL" || name == "MAKEOVERRIDES"
		})
		cmd.Env = append(env, "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=test", "GIT_AUTHOR_EMAIL=test@example.com",
			"GIT_COMMITTER_NAME=test", "GIT_COMMITTER_EMAIL=test@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	update := func(upstream string) {
		t.Helper()
		run("make", "--no-print-directory", "spec", "generate", "mod",
			"KEEP=UserInfo,ProjectList,ListClouds,ListProjectClouds", "UPSTREAM=testdata/update/"+upstream)
	}

	update("upstream-v1.json")
	run("git", "init", "-q")
	run("git", "add", "-A")
	run("git", "commit", "-q", "-m", "before the update")

	update("upstream-v2.json")
	var changed []string
	for _, line := range strings.Split(strings.TrimSpace(run("git", "status", "--porcelain")), "\n") {
		if line == "" {
			continue
		}
		path := strings.TrimSpace(line[2:])
		changed = append(changed, path)
		if path != "openapi.yaml" && !strings.HasSuffix(path, ".gen.go") {
			t.Errorf("the update changed %s (%s): only openapi.yaml and generated files may change", path, line[:2])
		}
	}
	if !strings.Contains(strings.Join(changed, " "), "openapi.yaml") {
		t.Fatalf("the update changed %v, not openapi.yaml", changed)
	}

	prog := filepath.Join(dir, "internal", "updatecheck")
	if err := os.MkdirAll(prog, 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("testdata/update/updatecheck/main.go")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(prog, "main.go"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	// Not go vet ./api: its tests are about the real description.
	run("go", "build", "./api")
	run("go", "vet", "./internal/updatecheck")
	out := run("go", "run", "./internal/updatecheck")
	if !strings.Contains(out, "every new field decoded") {
		t.Errorf("updatecheck:\n%s", out)
	}
	t.Logf("updatecheck:\n%s", out)
}

// copyRepository copies the files of the checkout that git tracks or
// would track (as they are in the working tree) into dir.
func copyRepository(t *testing.T, dir string) {
	t.Helper()
	out, err := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Skipf("git ls-files: %v (not a git checkout?)", err)
	}
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		info, err := os.Lstat(name)
		if os.IsNotExist(err) {
			continue // deleted in the working tree
		}
		if err != nil {
			t.Fatal(err)
		}
		if !info.Mode().IsRegular() {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}
