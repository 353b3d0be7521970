# Everyday commands. `make check` is what CI runs (.ci/run).
GO       ?= go
TOOL     := $(GO) tool -modfile=tools/go.mod
KEEP     := UserInfo,ProjectList,ListClouds,ListProjectClouds
UPSTREAM ?= https://api.aiven.io/doc/openapi.json
# trimspec runs inside tools/, so a relative upstream path is made absolute.
UPSTREAM_ARG = $(if $(findstring ://,$(UPSTREAM)),$(UPSTREAM),$(abspath $(UPSTREAM)))
# The upstream copy that reproduces the committed openapi.yaml (when present).
PINNED_UPSTREAM ?= ../shared/upstream/aiven-openapi-2026-06.json
FUZZTIME ?= 10s
# The oapi-codegen runtime that generated code with path or query parameters imports:
# the newest release whose go.mod asks for no newer Go than ours (v1.9.0 wants 1.26).
RUNTIME  ?= v1.8.0

.PHONY: all check spec spec-check update-spec breaking-check generate mod generate-check workflow-check tidy-check vet lint test fuzz-short bench bench-check

all: check

## check: everything CI checks, in the order a failure is cheapest to find.
check: vet lint workflow-check generate-check tidy-check spec-check breaking-check test bench-check fuzz-short

## spec: derive openapi.yaml from the upstream description (UPSTREAM=file or URL).
spec:
	cd tools && $(GO) run ./trimspec -upstream '$(UPSTREAM_ARG)' -overlay ../openapi.overlay.yaml \
		-keep $(KEEP) -drop x-codeSamples -go-package ../api -o ../openapi.yaml

## spec-check: the committed openapi.yaml is what the pinned upstream copy and the overlay give.
spec-check:
	@if [ -f '$(PINNED_UPSTREAM)' ]; then \
		tmp=$$(mktemp) && \
		(cd tools && $(GO) run ./trimspec -upstream '$(abspath $(PINNED_UPSTREAM))' -overlay ../openapi.overlay.yaml \
			-keep $(KEEP) -drop x-codeSamples -go-package ../api -o $$tmp) && \
		diff -u openapi.yaml $$tmp && rm -f $$tmp && echo "spec-check: openapi.yaml reproduces from $(PINNED_UPSTREAM)"; \
	else echo "spec-check: $(PINNED_UPSTREAM) not found; skipped"; fi

## update-spec: take a new upstream description (UPSTREAM=file or URL), regenerate, test, and report
## what changed for users (oasdiff) between the old and the new openapi.yaml.
update-spec:
	@old=$$(mktemp) && cp openapi.yaml $$old && \
	$(MAKE) --no-print-directory spec generate mod && \
	status=0 && { $(GO) test -count=1 ./... || status=$$?; } && \
	echo && echo "== Changes of openapi.yaml (oasdiff changelog) ==" && \
	$(TOOL) oasdiff changelog $$old openapi.yaml --format singleline && \
	echo "== Breaking changes (oasdiff breaking; CI fails on these unless CHANGELOG.md acknowledges them) ==" && \
	{ $(TOOL) oasdiff breaking $$old openapi.yaml --format singleline --err-ignore CHANGELOG.md || true; } && \
	rm -f $$old && exit $$status

## breaking-check: openapi.yaml has no unacknowledged breaking change since the last tag or commit.
breaking-check:
	./.ci/breaking-check

## generate: regenerate api/api.gen.go from openapi.yaml.
generate:
	$(GO) generate ./...

## mod: bring go.mod and go.sum (and bench's) in line with what the generated code imports:
## the oapi-codegen runtime at $(RUNTIME) when operations have parameters, none otherwise.
mod:
	@if grep -q '"github.com/oapi-codegen/runtime"' api/api.gen.go; then $(GO) get github.com/oapi-codegen/runtime@$(RUNTIME); fi
	$(GO) mod tidy
	cd bench && $(GO) mod tidy

## generate-check: regenerating changes nothing that is committed.
generate-check: generate
	git diff --exit-code -- api openapi.yaml

## tidy-check: go.mod and go.sum of both modules are tidy.
tidy-check:
	$(GO) mod tidy -diff
	cd tools && $(GO) mod tidy -diff
	cd bench && $(GO) mod tidy -diff

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	cd tools && $(GO) vet ./...

lint:
	$(TOOL) staticcheck ./...

## workflow-check: the GitHub Actions workflows pass actionlint (pinned in tools/go.mod; offline).
workflow-check:
	$(TOOL) actionlint

## test: all tests of both modules, with the race detector.
test:
	$(GO) test -race -count=1 ./...
	cd tools && $(GO) test -race -count=1 ./...

## fuzz-short: every fuzz target for $(FUZZTIME) (longer by hand: make fuzz-short FUZZTIME=5m).
fuzz-short:
	./.ci/fuzz-short $(FUZZTIME)

## bench: the side-by-side benchmarks of bench/ (NAME=latest COUNT=6), summarised with benchstat
## into bench/results/NAME.benchstat.txt; BENCHMARKS.md shows the latest.
NAME  ?= latest
COUNT ?= 6
bench:
	COUNT=$(COUNT) ./bench/run.sh $(NAME)

## bench-check: the benchmark module builds, its ogen client regenerates unchanged, and every
## client in it decodes the same thing (no benchmark runs).
bench-check:
	cd bench && $(GO) vet ./... && $(GO) generate ./... && git diff --exit-code -- . && $(GO) test -count=1 -run . .
