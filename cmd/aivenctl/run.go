package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aivenapi/aivenapi/api"
)

// environment is what the command takes from its surroundings besides its
// arguments. Tests give their own, so that no test depends on the
// variables or the home directory of whoever runs it.
type environment struct {
	// getenv returns an environment variable, "" when unset.
	getenv func(string) string
	// retry replaces api.DefaultRetryPolicy() when set: tests turn retries
	// off, or make them immediate, with it.
	retry *api.RetryPolicy
}

// run runs aivenctl with args (without the program name) in the process
// environment.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runWith(ctx, args, environment{getenv: os.Getenv}, stdout, stderr)
}

// runWith runs aivenctl and prints any error on stderr: one line, and for
// a usage error a second one pointing to the help. The error it returns
// decides the exit status (exitCode).
func runWith(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) error {
	if env.getenv == nil {
		env.getenv = func(string) string { return "" }
	}
	mask := &masker{}
	c := &cli{env: env, stdout: mask.wrap(stdout), stderr: mask.wrap(stderr), mask: mask}
	err := c.main(ctx, args)
	if err != nil {
		c.report(err)
	}
	return err
}

// exitCode is the exit status for the error of run: 0 for none, 2 for a
// usage error, 1 for anything else.
func exitCode(err error) int {
	var u *usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &u):
		return 2
	}
	return 1
}

// usageError is a command line aivenctl does not understand. topic names
// the command whose help the second line of the report points to.
type usageError struct {
	msg   string
	topic []string
}

func (e *usageError) Error() string { return e.msg }

func usagef(topic []string, format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), topic: topic}
}

// options are the flags; every command accepts all of them.
type options struct {
	json       bool
	url        string
	tokenFile  string
	authScheme string
	timeout    time.Duration
	debug      bool
	validate   bool
	project    string
	help       bool
}

const defaultTimeout = 60 * time.Second

func newFlagSet(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("aivenctl", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported by runWith, help by help
	fs.Usage = func() {}
	fs.BoolVar(&o.json, "json", false, "print JSON instead of a table")
	fs.StringVar(&o.url, "url", "", "API host `URL`, without /v1 (default $AIVEN_WEB_URL, else "+api.DefaultBaseURL+")")
	fs.StringVar(&o.tokenFile, "token-file", "", "read the token from `PATH` (the token alone, or a credentials file)")
	fs.StringVar(&o.authScheme, "auth-scheme", "aivenv1", "send the token as `SCHEME`: aivenv1 (default) or bearer")
	o.timeout = defaultTimeout
	fs.Var((*durationFlag)(&o.timeout), "timeout", "give up after `DURATION`, retries included (default 60s; 0: never)")
	fs.BoolVar(&o.debug, "debug", false, "trace each HTTP attempt on stderr (also AIVEN_DEBUG=1)")
	fs.BoolVar(&o.validate, "validate", false, "check every response against openapi.yaml; report differences on stderr")
	fs.Func("project", "cloud list: the clouds of project `NAME` (needs a token)", func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("want a project name") // not the clouds of every project, silently
		}
		o.project = s
		return nil
	})
	fs.BoolVar(&o.help, "h", false, "show help")
	fs.BoolVar(&o.help, "help", false, "show help")
	return fs
}

// durationFlag is a time.Duration flag whose error says what is expected
// (the flag package's own says only "parse error").
type durationFlag time.Duration

func (d *durationFlag) String() string { return time.Duration(*d).String() }

func (d *durationFlag) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return errors.New("want a duration such as 30s or 2m")
	}
	*d = durationFlag(v)
	return nil
}

// parseArgs parses flags wherever they appear and returns the other words
// in order. The flag package stops at the first word that is not a flag,
// so each stop takes one word and parsing resumes after it; "--" ends the
// flags.
func parseArgs(args []string) (options, []string, error) {
	var o options
	fs := newFlagSet(&o)
	var words []string
	for {
		if err := unknownFlag(fs, args); err != nil {
			return o, words, usagef(words, "%s", err)
		}
		if err := fs.Parse(args); err != nil {
			return o, words, usagef(words, "%s", flagError(err))
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return o, append(words, rest...), nil
		}
		if len(rest) == 0 {
			return o, words, nil
		}
		words = append(words, rest[0])
		args = rest[1:]
	}
}

// unknownFlag finds the first flag of args, up to the first word that is
// not a flag as the flag package would stop there, that fs does not
// define, and names it (when shown safe) with the closest defined flag.
func unknownFlag(fs *flag.FlagSet, args []string) error {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || len(a) < 2 || a[0] != '-' {
			return nil
		}
		typed, _, hasValue := strings.Cut(a, "=")
		name := strings.TrimPrefix(strings.TrimPrefix(typed, "-"), "-")
		f := fs.Lookup(name)
		if f == nil {
			var names []string
			fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
			msg := "unknown flag " + shown(typed)
			if s := closest(name, names); s != "" {
				msg += "; did you mean --" + s + "?"
			}
			return errors.New(msg)
		}
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && bf.IsBoolFlag()) {
			i++ // the value
		}
	}
	return nil
}

// flagValue matches the flag package's message for a flag value that does
// not parse, to rewrite it without the value.
var flagValue = regexp.MustCompile(`^invalid (boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-([^:]+): (.*)$`)

// flagError rewrites the flag package's messages with the two dashes the
// help shows, and with a value shown only when it cannot be a credential.
func flagError(err error) string {
	s := err.Error()
	if m := flagValue.FindStringSubmatch(s); m != nil {
		v, _ := strconv.Unquote(m[2])
		why := m[4]
		if m[1] != "" {
			why = "want true or false"
		}
		return fmt.Sprintf("--%s %s: %s", m[3], shown(v), why)
	}
	if name, ok := strings.CutPrefix(s, "flag needs an argument: -"); ok {
		return "--" + name + ": missing value"
	}
	return "bad flag syntax" // the flag package's other errors quote the argument
}

// shown returns an argument for an error message: quoted when it is short,
// word-like and not token-like, such as a mistyped command, flag or
// project; otherwise only its length, as it may be a pasted token, which
// must never be printed.
func shown(arg string) string {
	if len(arg) <= 24 && !strings.ContainsFunc(arg, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.,:=/", r))
	}) && !tokenLike(arg) {
		return strconv.Quote(arg)
	}
	return fmt.Sprintf("(%d characters, not shown)", utf8.RuneCountInString(arg))
}

// tokenLike tells a short word that may be a credential, as API keys,
// access key IDs and hex digests are, from the names people type: 12 or
// more characters mixing digits with upper- and lower-case letters, or 16
// or more mixing digits and letters with at most one separator (a cloud
// name such as google-europe-north1 has more).
func tokenLike(s string) bool {
	var digit, upper, lower, sep int
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digit++
		case r >= 'A' && r <= 'Z':
			upper++
		case r >= 'a' && r <= 'z':
			lower++
		default:
			sep++
		}
	}
	return digit > 0 && (len(s) >= 12 && upper > 0 && lower > 0 ||
		len(s) >= 16 && upper+lower > 0 && sep <= 1)
}

// closest returns the candidate nearest to word in edit distance, when it
// is near enough to be the word meant: at most one edit for words of up
// to five letters, two for longer ones; "" otherwise, and for words of one
// or two letters.
func closest(word string, candidates []string) string {
	if len(word) < 3 || len(word) > 40 {
		return ""
	}
	best, bestDist := "", min(2, max(1, len(word)/3))+1
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(word), c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Damerau-Levenshtein distance (optimal string
// alignment) between a and b, in bytes: a swap of two neighbours, as in
// "jsno", counts as one edit.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// cli is one run of the command.
type cli struct {
	env            environment
	opts           options
	stdout, stderr io.Writer
	mask           *masker
}

func (c *cli) main(ctx context.Context, args []string) error {
	o, words, err := parseArgs(args)
	if err != nil {
		return err
	}
	c.opts = o
	if len(words) == 0 {
		if o.help {
			return c.help(nil)
		}
		return usagef(nil, "no command given")
	}
	switch words[0] {
	case "help":
		return c.help(words[1:])
	case "version":
		if o.help {
			return c.help(words)
		}
		if len(words) > 1 {
			return usagef(words[:1], "version: unexpected argument %s", shown(words[1]))
		}
		return c.version()
	}
	n := findNoun(words[0])
	if n == nil {
		return usagef(nil, "unknown command %s%s", shown(words[0]), suggest(words[0], commandNames()))
	}
	if o.help {
		return c.help(words[:1])
	}
	if len(words) == 1 {
		return usagef(words, "%s: missing subcommand (%s)", n.name, n.verbNames())
	}
	v := n.findVerb(words[1])
	if v == nil {
		return usagef(words[:1], "%s: unknown subcommand %s%s", n.name, shown(words[1]), suggest(words[1], n.verbNameList()))
	}
	if len(words) > 2 {
		return usagef(words[:1], "%s %s: unexpected argument %s", n.name, v.name, shown(words[2]))
	}
	if err := c.checkOptions(words[:1]); err != nil {
		return err
	}
	if o.project != "" {
		if v.withProject == nil {
			return usagef(words[:1], "%s %s: takes no --project", n.name, v.name)
		}
		v = v.withProject(o.project)
	}
	return c.call(ctx, n, v)
}

// checkOptions rejects flag values that parse but make no sense.
func (c *cli) checkOptions(topic []string) error {
	if s := strings.ToLower(c.opts.authScheme); schemes[s] != nil {
		c.opts.authScheme = s // "Bearer", as Aiven's documents write it, is bearer
	} else {
		return usagef(topic, "--auth-scheme %s: want aivenv1 or bearer", shown(c.opts.authScheme))
	}
	if c.opts.timeout < 0 {
		return usagef(topic, "--timeout %v: want a positive duration, or 0 for none", c.opts.timeout)
	}
	return nil
}

func (c *cli) version() error {
	platform := runtime.GOOS + "/" + runtime.GOARCH
	if c.opts.json {
		return c.writeJSON(struct {
			Version   string `json:"version"`
			GoVersion string `json:"go_version"`
			Platform  string `json:"platform"`
		}{api.Version, runtime.Version(), platform})
	}
	_, err := fmt.Fprintf(c.stdout, "aivenctl %s (%s %s)\n", api.Version, runtime.Version(), platform)
	return err
}

// report prints err on stderr as one line; a usage error adds a line
// that points to the help (of the command, when one was named).
func (c *cli) report(err error) {
	line := "aivenctl: " + escapeText(err.Error()) + "\n"
	var u *usageError
	if errors.As(err, &u) {
		cmd := "aivenctl help"
		if len(u.topic) > 0 && (findNoun(u.topic[0]) != nil || u.topic[0] == "version") {
			cmd += " " + u.topic[0]
		}
		line += "Run '" + cmd + "' for usage.\n"
	}
	_, _ = io.WriteString(c.stderr, line)
}

// suggest returns "; did you mean X?" for the candidate closest to word,
// or "".
func suggest(word string, candidates []string) string {
	if s := closest(word, candidates); s != "" {
		return "; did you mean " + s + "?"
	}
	return ""
}

// commandNames are the first words aivenctl knows.
func commandNames() []string {
	names := []string{"help", "version"}
	for _, n := range nouns {
		names = append(names, n.name)
	}
	return names
}

// envBool reads a yes/no variable such as AIVEN_DEBUG: "1" and "true" are
// yes; anything else, including nothing, is no.
func envBool(v string) bool {
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	return err == nil && b
}
