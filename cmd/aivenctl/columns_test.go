package main

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/oapi-codegen/nullable"

	"github.com/aivenapi/aivenapi/api"
)

type testZone struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

type testTier struct {
	Tier string `json:"tier"`
}

// wideItem has a field of every kind a generated type may have.
type wideItem struct {
	testTier
	CloudName string                      `json:"cloud_name"`
	Count     *int                        `json:"count,omitempty"`
	Ratio     float32                     `json:"ratio"`
	Lat       *float64                    `json:"lat,omitempty"`
	Big       uint64                      `json:"big"`
	On        *bool                       `json:"on,omitempty"`
	Created   api.Time                    `json:"created"`
	Updated   *api.Time                   `json:"updated,omitempty"`
	Note      nullable.Nullable[string]   `json:"note"`
	Owner     nullable.Nullable[testZone] `json:"owner,omitempty"`
	Tags      []string                    `json:"tags"`
	Ports     *[]int                      `json:"ports,omitempty"`
	Hosts     []testZone                  `json:"hosts"`
	Zone      testZone                    `json:"zone"`
	Parent    *testZone                   `json:"parent,omitempty"`
	Labels    map[string]string           `json:"labels"`
	Any       any                         `json:"any"`
	Raw       json.RawMessage             `json:"raw"`
	Blob      []byte                      `json:"blob"`
	Skipped   string                      `json:"-"`
	NoTag     string
	//lint:ignore U1000 encoding/json skips an unexported field; so must the table.
	hidden string
}

// tableOfJSON decodes the JSON array list into []T, as the client does,
// and returns its table.
func tableOfJSON[T any](t *testing.T, list string) ([]string, [][]string) {
	t.Helper()
	var items []T
	if err := json.Unmarshal([]byte(list), &items); err != nil {
		t.Fatal(err)
	}
	return listOutput([]byte(list), items).table()
}

// TestListOutputKinds: every field of an item type is a column, whatever
// its kind, alphabetically by JSON name, with its cell; a struct is
// flattened to NAME.FIELD columns; a map, any and json.RawMessage come
// from the API's text as undeclared fields do; a key in another case is
// the declared field, as encoding/json decodes it.
func TestListOutputKinds(t *testing.T) {
	t.Parallel()
	header, rows := tableOfJSON[wideItem](t, `[
	 {"tier": "gold", "cloud_name": "c1", "count": 3, "ratio": 0.1, "lat": 53.073635000, "big": 18446744073709551615,
	  "on": false, "created": "2026-01-02T03:04:05.000000Z", "updated": "not a time", "note": "n",
	  "owner": {"id": 1, "name": "o"}, "tags": ["a", "b"], "ports": [80, 443],
	  "hosts": [{"id": 2, "name": "h"}], "zone": {"id": 4, "name": "z", "extra": {"deep": true}},
	  "parent": {"id": 5}, "labels": {"env": "prod"}, "any": [1, "x"], "raw": {"k": "v"},
	  "blob": "AQI=", "Skipped": "s", "NoTag": "nt", "hidden": "h", "undeclared": -1E-7},
	 {"CLOUD_NAME": "c2", "Lat": -0.0000001, "note": null, "owner": null, "tags": [], "zone": null,
	  "Zone": {"ID": 6, "EXTRA": 1}, "parent": null, "labels": {}}
	]`)
	wantHeader := []string{"NOTAG", "SKIPPED", "ANY", "BIG", "BLOB", "CLOUD_NAME", "COUNT", "CREATED", "HIDDEN", "HOSTS", "LABELS.ENV",
		"LAT", "NOTE", "ON", "OWNER.ID", "OWNER.NAME", "PARENT.ID", "PARENT.NAME", "PORTS", "RATIO", "RAW.K", "TAGS", "TIER",
		"UNDECLARED", "UPDATED", "ZONE.EXTRA", "ZONE.EXTRA.DEEP", "ZONE.ID", "ZONE.NAME"}
	wantRows := [][]string{
		{"nt", "s", "1, x", "18446744073709551615", "AQI=", "c1", "3", "2026-01-02T03:04:05.000000Z", "h", `{"id":2,"name":"h"}`, "prod",
			"53.073635", "n", "false", "1", "o", "5", "", "80, 443", "0.1", "v", "a, b", "gold",
			"-1E-7", "not a time", "", "true", "4", "z"},
		{"", "", "", "0", "", "c2", "", "", "", "", "",
			"-0.0000001", "", "", "", "", "", "", "", "0", "", "", "",
			"", "", "1", "", "6", ""},
	}
	if diff := cmp.Diff(wantHeader, header); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantRows, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

// oldCloud has the fields api.Cloud had in 2026; newCloud is it once the
// spec gives a cloud new fields. Neither is api.Cloud, so these tests
// hold whatever the spec adds to it.
type oldCloud struct {
	CloudDescription    *string  `json:"cloud_description,omitempty"`
	CloudName           string   `json:"cloud_name"`
	GeoLatitude         *float64 `json:"geo_latitude,omitempty"`
	GeoLongitude        *float64 `json:"geo_longitude,omitempty"`
	GeoRegion           string   `json:"geo_region"`
	Provider            *string  `json:"provider,omitempty"`
	ProviderDescription *string  `json:"provider_description,omitempty"`
}

type newCloud struct {
	oldCloud
	GeoCity  *string  `json:"geo_city,omitempty"`
	Capacity *int     `json:"capacity,omitempty"`
	Regions  []string `json:"regions"`
	Sla      *struct {
		Uptime float64 `json:"uptime"`
	} `json:"sla,omitempty"`
}

// TestCloudNewFields: a field the spec adds to a cloud is a typed column
// in its place, with no edit, and not a second, undeclared one; the
// fields of before keep their columns.
func TestCloudNewFields(t *testing.T) {
	t.Parallel()
	list := `[{"cloud_name": "c", "geo_region": "r", "geo_latitude": 1.50, "geo_city": "Oulu", "capacity": 7,
		"regions": ["x", "y"], "sla": {"uptime": 99.990}, "undeclared": "u"}]`
	// The fields the cloud carries, declared or not; declared fields it
	// lacks (cloud_description, provider, ...) have no column, as in avn.
	wantHeader := []string{"CAPACITY", "CLOUD_NAME", "GEO_CITY", "GEO_LATITUDE", "GEO_REGION", "REGIONS", "SLA.UPTIME", "UNDECLARED"}
	for _, tc := range []struct {
		name     string
		table    func(*testing.T, string) ([]string, [][]string)
		wantRows [][]string
	}{
		// Declared: typed cells (99.99).
		{"declared", tableOfJSON[newCloud], [][]string{{"7", "c", "Oulu", "1.5", "r", "x, y", "99.99", "u"}}},
		// Before the spec declares them: the API's text (99.990).
		{"undeclared", tableOfJSON[oldCloud], [][]string{{"7", "c", "Oulu", "1.5", "r", "x, y", "99.990", "u"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			header, rows := tc.table(t, list)
			if diff := cmp.Diff(wantHeader, header); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantRows, rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCloudKeyInAnotherCase: a key that differs from a declared one only
// in case is the declared field of api.Cloud (encoding/json decodes it
// so): one column, its typed value.
func TestCloudKeyInAnotherCase(t *testing.T) {
	t.Parallel()
	header, rows := tableOfJSON[api.Cloud](t, `[{"CLOUD_NAME": "a", "Geo_Latitude": 2.50, "geo_region": "r", "Geo_Region": "R", "provider_Description": "p"}]`)
	if want := []string{"CLOUD_NAME", "GEO_LATITUDE", "GEO_REGION", "PROVIDER_DESCRIPTION"}; !slices.Equal(header, want) {
		t.Errorf("header %q, want the declared columns the cloud carries %q and no other", header, want)
	}
	for col, want := range map[string]string{"CLOUD_NAME": "a", "GEO_LATITUDE": "2.5", "GEO_REGION": "R", "PROVIDER_DESCRIPTION": "p"} {
		if i := slices.Index(header, col); i < 0 || rows[0][i] != want {
			t.Errorf("header %q, row %q: want %s %q", header, rows[0], col, want)
		}
	}
}

// selfRef holds itself; its table must not recurse without end.
type selfRef struct {
	Name string   `json:"name"`
	Next *selfRef `json:"next,omitempty"`
	Tree nested   `json:"tree"`
}

type nested []nested

func TestListOutputSelfReference(t *testing.T) {
	t.Parallel()
	header, rows := tableOfJSON[selfRef](t, `[{"name": "a", "next": {"name": "b", "next": {"name": "c"}}, "tree": [[], [[]]]}]`)
	if diff := cmp.Diff([]string{"NAME", "NEXT", "TREE"}, header); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([][]string{{"a", `{"name":"b","next":{"name":"c","tree":null},"tree":null}`, ", "}}, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}
