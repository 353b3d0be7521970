package api

import (
	"bytes"
	"context"
	"io"
	"iter"
	"slices"

	"github.com/aivenapi/aivenapi/internal/jsonread"
)

// Projects calls GET /v1/project and yields the projects one at a time as
// they are read from the response body, so that a list of any length is
// never held in memory whole: the body is read as it arrives, through a
// window of streamWindow bytes, and only the project being decoded is
// kept. (ProjectListWithResponse holds the body and the whole result:
// decoding a 20 MB list peaks at about 4.2 times its size, and at about
// 1.3 times through Projects, most of it garbage not yet collected; see
// BENCHMARKS.md.)
//
// Each project decodes with the decoder ProjectListWithResponse uses, in
// the same single pass over the bytes. The other fields of the body
// (project_membership, project_memberships) are checked and skipped.
// Iteration stops at the first error, which is yielded with a zero
// Project: the errors of ProjectListWithResponse (*Error for a status that
// is not 2xx, an error matching ErrInvalidResponse for a body that is not
// a project list, ErrBodyTooLarge past WithMaxBodySize); a body without
// "projects" is an error once the body has been read. The projects yielded
// before an error are not taken back.
//
// Deprecated: GET /v1/project is deprecated upstream; list projects
// through the organization projects API when this client has it.
func (c *ClientWithResponses) Projects(ctx context.Context, reqEditors ...RequestEditorFn) iter.Seq2[Project, error] {
	return func(yield func(Project, error) bool) {
		rsp, err := c.ProjectList(ctx, reqEditors...)
		if err != nil {
			yield(Project{}, err)
			return
		}
		defer rsp.Body.Close()
		if err := streamProjects(rsp.Body, yield); err != nil {
			yield(Project{}, err)
		}
	}
}

// streamWindow is the size of the window Projects reads a body through;
// it grows for a project that does not fit.
const streamWindow = 64 << 10

// streamProjects reads a project list from body, yielding each project,
// and returns the error that ends it, if any (nil also when yield asked
// to stop). Each step (a key and the value skipped after it, a project,
// the end) is decoded from the reader's window, again when the window
// ended inside it (see jsonread.Reader.Retry).
func streamProjects(body io.Reader, yield func(Project, error) bool) error {
	var r jsonread.Reader
	r.ResetReader(body, streamWindow)
	fail := func() error { return bodyError("ProjectList", r.Len(), r.Err()) }
	var isObject bool
	if !step(&r, func() { isObject = r.Object() }) {
		return fail()
	}
	found := false
	for first := isObject; isObject; first = false {
		var more, projects bool
		if !step(&r, func() {
			f := first
			var key []byte
			key, more = r.Field(&f)
			if projects = more && isProjects(key); more && !projects {
				r.Skip() // checked, not kept
			}
		}) {
			return fail()
		}
		if !more {
			break
		}
		if !projects {
			continue
		}
		var isArray bool
		if !step(&r, func() { isArray = r.Array() }) {
			return fail()
		}
		found = isArray // as encoding/json: null sets the list to nil
		for first := isArray; isArray; first = false {
			var p Project
			if !step(&r, func() {
				f := first
				if more = r.Item(&f); more {
					p = Project{}
					decodeProject(&r, &p)
				}
			}) {
				return fail()
			}
			if !more {
				break
			}
			if !yield(p, nil) {
				return nil
			}
		}
	}
	if !step(&r, r.End) {
		return fail()
	}
	if !found {
		return missing("ProjectList", r.Len(), "projects")
	}
	return nil
}

// step decodes with f from r's window, again as long as the window ended
// inside what f reads, and reports whether it succeeded.
func step(r *jsonread.Reader, f func()) bool {
	for {
		m := r.Mark()
		if f(); !r.Retry(m) {
			return !r.Failed()
		}
	}
}

// isProjects reports whether an object key of a project list names its
// projects, exactly or as encoding/json matches a key (case-insensitively
// when it names no field exactly).
func isProjects(key []byte) bool {
	if string(key) == "projects" {
		return true
	}
	if slices.ContainsFunc(projectListResponseNames, func(name []byte) bool { return bytes.Equal(name, key) }) {
		return false
	}
	return string(projectListResponseNames.Fold(key)) == "projects"
}
