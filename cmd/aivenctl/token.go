package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"unicode"
)

// credential is a token and where it was found: the name of a variable or
// of a file, which error messages may show. The token itself they never
// show.
type credential struct {
	token  string
	source string
}

// tokenVariables are read in this order; the first that is set wins.
var tokenVariables = []string{"AIVEN_TOKEN", "AIVEN_AUTH_TOKEN", "MST_API_TOKEN"}

// maxTokenFile bounds what is read of a token or credentials file.
const maxTokenFile = 1 << 20

// findToken returns the first token of: the --token-file, the variables,
// the credentials file of avn. A credential with no token means none was
// found; looked then lists the places tried. Warnings (a file others can
// read) go to warn. A file that is a pipe is read until ctx ends.
func findToken(ctx context.Context, getenv func(string) string, tokenFile string, warn io.Writer) (cred credential, looked []string, err error) {
	if tokenFile != "" {
		tok, found, err := readTokenFile(ctx, tokenFile, false, warn)
		if err != nil {
			return credential{}, nil, err
		}
		if !found {
			return credential{}, nil, fmt.Errorf("--token-file %s holds no token", tokenFile)
		}
		return checkToken(credential{token: tok, source: "--token-file " + tokenFile})
	}
	for _, name := range tokenVariables {
		if tok := strings.TrimSpace(getenv(name)); tok != "" {
			return checkToken(credential{token: tok, source: name})
		}
		looked = append(looked, name)
	}
	path, why := credentialsPath(getenv)
	if path == "" {
		return credential{}, append(looked, why), nil
	}
	tok, found, err := readTokenFile(ctx, path, true, warn)
	switch {
	case err != nil:
		return credential{}, nil, err
	case !found:
		if _, err := os.Stat(path); err == nil {
			path += " (it has no auth_token)"
		} else {
			path = missingPath(path)
		}
		return credential{}, append(looked, path), nil
	}
	return checkToken(credential{token: tok, source: path})
}

// credentialsPath is where avn user login keeps the token. When there is
// no path (no home directory), why says so for the message that no token
// was found.
func credentialsPath(getenv func(string) string) (path, why string) {
	if p := getenv("AIVEN_CREDENTIALS_FILE"); p != "" {
		return p, ""
	}
	if d := getenv("AIVEN_CONFIG_DIR"); d != "" {
		return filepath.Join(d, "aiven-credentials.json"), ""
	}
	home := getenv("HOME")
	if home == "" && runtime.GOOS == "windows" {
		home = getenv("USERPROFILE")
	}
	if home == "" {
		return "", "~/.config/aiven/aiven-credentials.json (HOME is not set)"
	}
	return filepath.Join(home, ".config", "aiven", "aiven-credentials.json"), ""
}

// readTokenFile reads a token from a file: a JSON object with auth_token
// (the credentials file of avn), or, unless mustBeJSON, the token alone.
// A file that does not exist is no token when mustBeJSON (the credentials
// file is optional) and an error otherwise (--token-file was asked for).
// A pipe, a FIFO or /dev/stdin is read until ctx ends (see readStream).
// No error repeats the file's content.
func readTokenFile(ctx context.Context, path string, mustBeJSON bool, warn io.Writer) (token string, found bool, err error) {
	// Non-blocking: opening a FIFO for reading would otherwise wait for a
	// writer, past any --timeout.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		if mustBeJSON && errors.Is(err, fs.ErrNotExist) {
			return "", false, nil
		}
		return "", false, fileError(path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", false, fileError(path, err)
	}
	var data []byte
	switch mode := info.Mode(); {
	case mode.IsRegular():
		if perm := mode.Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
			fmt.Fprintf(warn, "aivenctl: warning: %s holds a token and is open to other users (mode %04o); chmod 600 it\n", path, perm)
		}
		data, err = io.ReadAll(io.LimitReader(f, maxTokenFile+1))
	case mode.IsDir():
		return "", false, fmt.Errorf("%s is a directory, not a file", path)
	default:
		// A FIFO named by path may get its writer later; /dev/stdin, a
		// link to an unnamed pipe, has its writer from the start.
		fifo := false
		if li, err := os.Lstat(path); err == nil {
			fifo = li.Mode()&fs.ModeNamedPipe != 0
		}
		data, err = readStream(ctx, f, fifo)
		switch {
		case errors.Is(err, os.ErrDeadlineExceeded) && errors.Is(ctx.Err(), context.Canceled):
			return "", false, fmt.Errorf("%s: interrupted while waiting for the token", path)
		case errors.Is(err, os.ErrDeadlineExceeded):
			return "", false, fmt.Errorf("%s: no token arrived within --timeout; is anything writing to it?", path)
		}
	}
	if err != nil {
		return "", false, fileError(path, err)
	}
	if len(data) > maxTokenFile {
		return "", false, fmt.Errorf("%s is larger than %d bytes; is it the right file?", path, maxTokenFile)
	}
	data = bytes.TrimSpace(data)
	if mustBeJSON || (len(data) > 0 && data[0] == '{') {
		var creds struct {
			AuthToken string `json:"auth_token"`
		}
		if err := json.Unmarshal(data, &creds); err != nil {
			// The decoder's message may quote the file: say where, not what.
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return "", false, fmt.Errorf(`%s is not valid JSON (at byte %d); want {"auth_token": "..."}`, path, se.Offset)
			}
			return "", false, fmt.Errorf(`%s: want {"auth_token": "..."}`, path)
		}
		tok := strings.TrimSpace(creds.AuthToken)
		return tok, tok != "", nil
	}
	return string(data), len(data) > 0, nil
}

// fileError describes a failure to read a token file without the wording
// of *fs.PathError, which repeats the path.
func fileError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrNotExist) {
		path = missingPath(path)
	}
	return fmt.Errorf("read %s: %w", path, err)
}

// missingPath is the path of a file that does not exist as messages show
// it: its name may be a token pasted in the place of the path, so a name
// that shown would not show is replaced by its length.
func missingPath(path string) string {
	if dir, name := filepath.Split(path); shown(name) != strconv.Quote(name) {
		return dir + shown(name)
	}
	return path
}

// checkToken rejects a token that cannot go into a header, before it is
// sent anywhere. The message names the source, not the token.
func checkToken(c credential) (credential, []string, error) {
	if strings.IndexFunc(c.token, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return credential{}, nil, fmt.Errorf("the token from %s contains white space or control characters", c.source)
	}
	return c, nil, nil
}

// missingToken is the error of a command that needs a token when none was
// found.
func missingToken(cmd string, looked []string) error {
	where := strings.Join(looked[:len(looked)-1], ", ") + " or " + looked[len(looked)-1]
	return fmt.Errorf("%s needs an API token and found none in %s; run `avn user login`, set AIVEN_TOKEN, or use --token-file", cmd, where)
}
