package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"testing"
	"time"
)

// cloudsBody is a GET /v1/clouds answer with n clouds, shaped like
// Aiven's (about 150 clouds in 2026).
func cloudsBody(n int) []byte {
	providers := []struct{ name, desc, prefix string }{
		{"aws", "Amazon Web Services", "aws"},
		{"google", "Google Cloud Platform", "google"},
		{"azure", "Microsoft Azure", "azure"},
		{"do", "DigitalOcean", "do"},
		{"upcloud", "UpCloud", "upcloud"},
	}
	regions := []struct{ region, place string }{
		{"europe", "Europe, Finland"}, {"north america", "North America, Canada"},
		{"asia-pacific", "Asia, Japan"}, {"south america", "South America, Brazil"},
		{"africa", "Africa, South Africa"}, {"australia", "Australia, New South Wales"},
	}
	type cloud struct {
		Description  string  `json:"cloud_description"`
		Name         string  `json:"cloud_name"`
		Latitude     float64 `json:"geo_latitude"`
		Longitude    float64 `json:"geo_longitude"`
		Region       string  `json:"geo_region"`
		Provider     string  `json:"provider"`
		ProviderDesc string  `json:"provider_description"`
	}
	clouds := make([]cloud, n)
	for i := range clouds {
		p, r := providers[i%len(providers)], regions[i%len(regions)]
		clouds[i] = cloud{
			Description:  fmt.Sprintf("%s - %s: Zone %d", r.place, p.desc, i),
			Name:         fmt.Sprintf("%s-%s-%d", p.prefix, r.region, i),
			Latitude:     -60 + float64(i*7919%120000)/1000.123,
			Longitude:    -170 + float64(i*104729%340000)/1000.456,
			Region:       r.region,
			Provider:     p.name,
			ProviderDesc: p.desc,
		}
	}
	b, err := json.Marshal(map[string]any{"clouds": clouds})
	if err != nil {
		panic(err)
	}
	return b
}

// benchServer serves 150 clouds at /v1/clouds on loopback.
func benchServer(b *testing.B) *httptest.Server {
	body := cloudsBody(150)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/clouds" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// benchCommand runs name with args and env once to check its output, then
// b.N times with the output discarded: a cold process each time.
func benchCommand(b *testing.B, check func([]byte) error, env []string, name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("%s: %v", name, err)
	}
	if err := check(out); err != nil {
		b.Fatalf("%s: %v", name, err)
	}
	for b.Loop() {
		cmd := exec.Command(name, args...)
		cmd.Env = env // stdout and stderr go to the null device
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
	}
}

func countClouds(out []byte) error {
	var clouds []map[string]any
	if err := json.Unmarshal(out, &clouds); err != nil {
		return err
	}
	if len(clouds) != 150 {
		return fmt.Errorf("%d clouds, want 150", len(clouds))
	}
	return nil
}

// BenchmarkColdCloudList runs "aivenctl cloud list --json" as a new
// process each time, against a loopback server: start-up, one request,
// decoding, encoding. Compare with BenchmarkCurlCloudList.
func BenchmarkColdCloudList(b *testing.B) {
	bin := aivenctlBinary(b)
	srv := benchServer(b)
	env := []string{"HOME=" + b.TempDir(), "AIVEN_WEB_URL=" + srv.URL}
	benchCommand(b, countClouds, env, bin, "cloud", "list", "--json")
}

// BenchmarkColdCloudListTable is BenchmarkColdCloudList with the table.
func BenchmarkColdCloudListTable(b *testing.B) {
	bin := aivenctlBinary(b)
	srv := benchServer(b)
	env := []string{"HOME=" + b.TempDir(), "AIVEN_WEB_URL=" + srv.URL}
	benchCommand(b, func(out []byte) error {
		if n := bytes.Count(out, []byte("\n")); n != 151 {
			return fmt.Errorf("%d lines, want 151", n)
		}
		return nil
	}, env, bin, "cloud", "list")
}

// BenchmarkColdVersion is the floor of a cold run: start-up and exit, no
// network.
func BenchmarkColdVersion(b *testing.B) {
	bin := aivenctlBinary(b)
	benchCommand(b, func([]byte) error { return nil }, []string{"HOME=" + b.TempDir()}, bin, "version")
}

// BenchmarkCurlCloudList fetches the same URL with curl, a cold process
// each time (-q: no ~/.curlrc).
func BenchmarkCurlCloudList(b *testing.B) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		b.Skip("no curl")
	}
	srv := benchServer(b)
	check := func(out []byte) error {
		var body struct{ Clouds []map[string]any }
		if err := json.Unmarshal(out, &body); err != nil {
			return err
		}
		return countClouds(must(json.Marshal(body.Clouds)))
	}
	benchCommand(b, check, []string{"HOME=" + b.TempDir()}, curl, "-q", "-s", srv.URL+"/v1/clouds")
}

// BenchmarkColdCloudListVsCurl runs aivenctl and curl alternately, so
// that both see the same load on a shared machine, and reports the median
// of each and their ratio (aivenctl/curl; below 1 means aivenctl is
// faster).
func BenchmarkColdCloudListVsCurl(b *testing.B) {
	bin := aivenctlBinary(b)
	curl, err := exec.LookPath("curl")
	if err != nil {
		b.Skip("no curl")
	}
	srv := benchServer(b)
	home := b.TempDir()
	runs := [2]*exec.Cmd{}
	var times [2][]time.Duration
	for i := 0; b.Loop(); i++ {
		runs[0] = exec.Command(bin, "cloud", "list", "--json")
		runs[0].Env = []string{"HOME=" + home, "AIVEN_WEB_URL=" + srv.URL}
		runs[1] = exec.Command(curl, "-q", "-s", srv.URL+"/v1/clouds")
		runs[1].Env = []string{"HOME=" + home}
		for k := range 2 {
			j := (i + k) % 2 // alternate which goes first
			start := time.Now()
			if err := runs[j].Run(); err != nil {
				b.Fatal(err)
			}
			times[j] = append(times[j], time.Since(start))
		}
	}
	median := func(ts []time.Duration) float64 {
		slices.Sort(ts)
		return float64(ts[len(ts)/2]) / float64(time.Millisecond)
	}
	a, c := median(times[0]), median(times[1])
	b.ReportMetric(a, "aivenctl-ms")
	b.ReportMetric(c, "curl-ms")
	b.ReportMetric(a/c, "ratio")
}

// BenchmarkCloudListInProcess is the work of a run without the process:
// what is left of BenchmarkColdCloudList once start-up is taken away.
func BenchmarkCloudListInProcess(b *testing.B) {
	srv := benchServer(b)
	env := testEnv(map[string]string{"HOME": b.TempDir(), "AIVEN_WEB_URL": srv.URL})
	for b.Loop() {
		if err := runWith(b.Context(), []string{"cloud", "list", "--json"}, env, io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
