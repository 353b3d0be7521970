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
# The test binary is built once and run COUNT times, each run measuring
# every client once: a client's samples spread over the whole run, so a
# slow minute of a shared machine weighs on every client alike (go test
# -count would take a client's samples one after another).
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go test -c -o "$bin/bench.test" .
: >"$raw.tmp"
i=0
while [ "$i" -lt "${COUNT:-6}" ]; do
	"$bin/bench.test" -test.run='^$' -test.bench="${BENCH:-.}" -test.benchmem -test.count=1 \
		-test.benchtime="${BENCHTIME:-200ms}" -test.timeout=60m >>"$raw.tmp"
	i=$((i + 1))
done
mv "$raw.tmp" "$raw"
go tool benchstat -col /client "$raw" >"results/$name.benchstat.txt"
cat "results/$name.benchstat.txt"
