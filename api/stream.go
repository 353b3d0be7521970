package api

import (
	"context"
	stdjson "encoding/json"
	"errors"
	"io"
	"iter"
)

// Projects calls GET /v1/project and yields the projects one at a time as
// they are read from the response body, so that a list of any length is
// never held in memory whole: the body is read as it arrives, and only
// the project being decoded is kept. (ProjectListWithResponse holds the
// body and the whole result: decoding a 20 MB list peaks at about 4.4
// times its size, and at 1.3 to 1.5 times through Projects, most of it
// garbage not yet collected; see BENCHMARKS.md.)
//
// Each project decodes exactly as in ProjectListWithResponse. The other
// fields of the body (project_membership, project_memberships) are
// skipped. Iteration stops at the first error, which is yielded with a
// zero Project: the errors of ProjectListWithResponse (*Error for a
// status that is not 2xx, an error matching ErrInvalidResponse for a body
// that is not a project list, ErrBodyTooLarge past WithMaxBodySize); a
// body without "projects" is an error once the body has been read. The
// projects yielded before an error are not taken back.
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

// streamProjects reads a project list from body, yielding each project,
// and returns the error that ends it, if any (nil also when yield asked
// to stop). encoding/json's Decoder reads the body as it arrives and cuts
// out one value at a time; each project decodes with project, as in
// ProjectListWithResponse.
func streamProjects(body io.Reader, yield func(Project, error) bool) error {
	dec := stdjson.NewDecoder(body)
	bodyError := func(offset int64, reason string) error {
		return &BodyError{Operation: "ProjectList", Size: int(dec.InputOffset()), Offset: int(offset), Reason: reason}
	}
	fail := func(err error) error {
		var syntax *stdjson.SyntaxError
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			return bodyError(dec.InputOffset(), "unexpected end of JSON input (cut short?)")
		case errors.As(err, &syntax):
			return bodyError(syntax.Offset, syntax.Error())
		}
		return err // from reading the body: already says what and where
	}
	tok, err := dec.Token()
	switch {
	case err != nil:
		return fail(err)
	case tok == nil: // null: no projects
		return end(dec, fail, false)
	case tok != stdjson.Delim('{'):
		return bodyError(0, "want an object, got "+describeToken(tok))
	}
	found := false
	var raw stdjson.RawMessage
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		key := []byte(tok.(string)) // object keys are strings
		if name := projectListNames.fold(key); name == nil || string(name) != "projects" {
			if err := dec.Decode(&raw); err != nil { // skipped once its syntax is checked
				return fail(err)
			}
			continue
		}
		offset := dec.InputOffset()
		tok, err = dec.Token()
		switch {
		case err != nil:
			return fail(err)
		case tok == nil: // as encoding/json: null sets the list to nil
			found = false
			continue
		case tok != stdjson.Delim('['):
			return bodyError(offset, "projects: want an array, got "+describeToken(tok))
		}
		found = true
		for dec.More() {
			offset := dec.InputOffset()
			if err := dec.Decode(&raw); err != nil {
				return fail(err)
			}
			var p Project
			r := reader{data: raw}
			r.project(&p)
			if r.end(); r.err != nil {
				return bodyError(offset+int64(r.err.offset), r.err.msg)
			}
			if !yield(p, nil) {
				return nil
			}
		}
		if _, err := dec.Token(); err != nil { // ]
			return fail(err)
		}
	}
	if _, err := dec.Token(); err != nil { // }
		return fail(err)
	}
	return end(dec, fail, found)
}

// end checks that the body ends after the value, and that it had projects.
func end(dec *stdjson.Decoder, fail func(error) error, found bool) error {
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return &BodyError{Operation: "ProjectList", Size: int(dec.InputOffset()), Offset: int(dec.InputOffset()), Reason: "data after top-level value"}
		}
		return fail(err)
	}
	if !found {
		return &BodyError{Operation: "ProjectList", Size: int(dec.InputOffset()), Offset: -1, Reason: `has no "projects"`}
	}
	return nil
}

func describeToken(tok stdjson.Token) string {
	switch tok {
	case stdjson.Delim('['):
		return "an array"
	case stdjson.Delim('{'):
		return "an object"
	}
	switch tok.(type) {
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "null"
}
