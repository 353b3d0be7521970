package apitest

import (
	"bytes"
	_ "embed"
)

// The default bodies. They are written to look like real answers: Unicode
// names, the nulls real answers carry where the upstream description allows
// none, absent fields, a member type newer than the description's enum,
// fields the description does not know, money as strings, and times with
// microseconds.
var (
	//go:embed data/me.json
	userInfoJSON []byte
	//go:embed data/project.json
	projectListJSON []byte
	//go:embed data/clouds.json
	listCloudsJSON []byte
)

// DefaultUserInfo returns the body the fake answers to GET /v1/me unless
// configured otherwise: user "asa.jarvinen@example.com", member of four
// projects, one of them with a member type ("project:observability:read")
// that openapi.yaml's upstream enum does not list. Each call returns a new
// copy.
func DefaultUserInfo() []byte { return bytes.Clone(userInfoJSON) }

// DefaultProjectList returns the body the fake answers to GET /v1/project
// unless configured otherwise: four projects, with null card_info,
// billing_extra_text, account_id and trial_expiration_time where real
// answers have them, and estimated balances such as "4.11". Each call
// returns a new copy.
func DefaultProjectList() []byte { return bytes.Clone(projectListJSON) }

// DefaultListClouds returns the body the fake answers to GET /v1/clouds
// unless configured otherwise: 145 clouds of five providers (aws-eu-west-1,
// google-europe-north1, azure-westeurope, upcloud-fi-hel1, do-ams, ...) with
// latitudes and longitudes that need float64. Each call returns a new copy.
func DefaultListClouds() []byte { return bytes.Clone(listCloudsJSON) }
