#!/bin/sh
# compare.sh runs the benchmarks of two revisions of this repository
# alternately and compares them with benchstat (pinned in bench/go.mod).
#
#   bench/compare.sh OLD [NEW] [NAME]
#
# OLD and NEW are git revisions (NEW defaults to the working tree). Each
# benchmark binary is built once from its revision; then each runs once
# per round, in turn, COUNT rounds, so that a slow minute of a shared
# machine weighs on both alike. Writes bench/results/NAME-old.txt and
# NAME-new.txt (raw output, default NAME "compare") and NAME.benchstat.txt
# (NEW against OLD, per client; the ogen rows of NAME-new.txt give the
# ratio to ogen). Environment: BENCH (the -bench regexp, default "."),
# COUNT (default 8), BENCHTIME (default 200ms).
set -eu
cd "$(dirname "$0")"
old=${1:?usage: bench/compare.sh OLD [NEW] [NAME]}
new=${2:-}
name=${3:-compare}
mkdir -p results
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build() { # build REV DIR: the benchmark binary of revision REV (empty: the working tree)
	if [ -z "$1" ]; then
		go test -c -o "$2.test" .
		return
	fi
	mkdir -p "$2"
	git -C .. archive "$1" | tar -x -C "$2"
	(cd "$2/bench" && go test -c -o "$2.test" .)
}
build "$old" "$tmp/old"
build "$new" "$tmp/new"
run() {
	"$1" -test.run='^$' -test.bench="${BENCH:-.}" -test.benchmem -test.count=1 \
		-test.benchtime="${BENCHTIME:-200ms}" -test.timeout=60m
}
: >"$tmp/old.txt"
: >"$tmp/new.txt"
i=0
while [ "$i" -lt "${COUNT:-8}" ]; do
	run "$tmp/old.test" >>"$tmp/old.txt"
	run "$tmp/new.test" >>"$tmp/new.txt"
	i=$((i + 1))
done
mv "$tmp/old.txt" "results/$name-old.txt"
mv "$tmp/new.txt" "results/$name-new.txt"
go tool benchstat "results/$name-old.txt" "results/$name-new.txt" >"results/$name.benchstat.txt"
cat "results/$name.benchstat.txt"
