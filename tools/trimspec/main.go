// Command trimspec derives this project's openapi.yaml from Aiven's upstream
// OpenAPI description.
//
// It keeps the named operations and every component they reach, moves the
// servers' base path (/v1) into the paths, applies an OpenAPI Overlay 1.0
// patch, and writes YAML with sorted keys, so the same upstream description
// and patch always give the same bytes.
//
// Usage:
//
//	trimspec -upstream FILE|URL -overlay openapi.overlay.yaml \
//	    -keep UserInfo,ProjectList,ListClouds [-drop x-codeSamples] [-go-package ../api] [-o openapi.yaml]
//
// Maps written as a property named ANY become additionalProperties before
// the overlay applies, and every inline object schema gets a Go type name
// (x-go-type-name) by a rule that cannot give two types one name: see
// names.go. Names declared in the handwritten files of -go-package are
// never given to a generated type.
//
// Every overlay action must match something: an action whose target has
// gone from the upstream description fails the run, so a stale patch is
// never applied silently.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/speakeasy-api/openapi/overlay"
)

// maxUpstream bounds what is read from the upstream URL or file.
const maxUpstream = 64 << 20

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "trimspec:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("trimspec", flag.ContinueOnError)
	fs.SetOutput(stderr)
	upstream := fs.String("upstream", "https://api.aiven.io/doc/openapi.json", "upstream description: a file path or an https URL")
	overlayPath := fs.String("overlay", "", "OpenAPI Overlay 1.0 file applied after trimming")
	keep := fs.String("keep", "", "comma-separated operationIds to keep (required)")
	drop := fs.String("drop", "", "comma-separated extension keys to remove everywhere")
	out := fs.String("o", "", "output file (default: standard output)")
	goPackage := fs.String("go-package", "", "directory of the Go package the client is generated into: its handwritten exported names are kept from generated types")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *keep == "" {
		fs.Usage()
		return flag.ErrHelp
	}
	src, err := read(ctx, *upstream)
	if err != nil {
		return err
	}
	opt := options{Keep: split(*keep), Drop: split(*drop), HoistServerPath: true}
	if *goPackage != "" {
		if opt.Reserved, err = handwrittenNames(*goPackage); err != nil {
			return err
		}
	}
	if *overlayPath != "" {
		if opt.Overlay, err = overlay.Parse(*overlayPath); err != nil {
			return fmt.Errorf("overlay: %w", err)
		}
	}
	res, err := trim(src, opt)
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "trimspec: warning:", w)
	}
	sum := sha256.Sum256(src)
	header := fmt.Sprintf("# Derived by tools/trimspec from Aiven's upstream OpenAPI description\n"+
		"# (sha256 %s) and %s.\n"+
		"# Do not edit: change the overlay and run `make spec`.\n",
		hex.EncodeToString(sum[:]), filepath.Base(*overlayPath))
	body := append([]byte(header), res.YAML...)
	if *out == "" {
		_, err = stdout.Write(body)
		return err
	}
	return os.WriteFile(*out, body, 0o644)
}

// read loads the upstream description from a file or an http(s) URL.
func read(ctx context.Context, src string) ([]byte, error) {
	if !strings.HasPrefix(src, "https://") && !strings.HasPrefix(src, "http://") {
		f, err := os.Open(src)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return readAll(f, src)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json, application/yaml;q=0.9")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", src, resp.Status)
	}
	return readAll(resp.Body, src)
}

func readAll(r io.Reader, name string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxUpstream+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(b) > maxUpstream {
		return nil, fmt.Errorf("read %s: larger than %d MiB", name, maxUpstream>>20)
	}
	return b, nil
}

func split(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
