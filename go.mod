module github.com/aivenapi/aivenapi

go 1.25

require github.com/oapi-codegen/nullable v1.1.0
