#!/bin/sh
# run.sh runs the side-by-side client benchmarks and summarises them with
# benchstat (pinned as a tool in bench/go.mod).
#
#   bench/run.sh [NAME]
#
# writes bench/results/NAME.txt (raw `go test -bench` output, default
# "latest") and bench/results/NAME.benchstat.txt (one column per client,
# each compared with this project's client). Environment: BENCH (the
# -bench regexp, default "."), COUNT (default 6), BENCHTIME (default 200ms).
set -eu
cd "$(dirname "$0")"
name=${1:-latest}
mkdir -p results
raw=results/$name.txt
go test -run='^$' -bench="${BENCH:-.}" -benchmem -count="${COUNT:-6}" -benchtime="${BENCHTIME:-200ms}" -timeout=60m . >"$raw.tmp"
mv "$raw.tmp" "$raw"
go tool benchstat -col /client "$raw" >"results/$name.benchstat.txt"
cat "results/$name.benchstat.txt"
