#!/usr/bin/env bash
# Instructions executed (valgrind callgrind) by `istio-lint -A DIR -o json` and by the bare libyaml
# parse of the same files, with istio-lint's phases. Unlike wall or CPU time, the counts do not
# depend on what else runs on the machine, so two commits can be compared on a shared one.
#
# Usage: bench/instructions.sh [DIR]      (default bench/out/mesh-10000; run bench/run.sh first)
# Needs valgrind (apt-get install valgrind) and a Release build in build-bench/ (bench/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-bench/out/mesh-10000}
bin=${BUILD_DIR:-build-bench}
for tool in valgrind callgrind_annotate; do
  command -v "$tool" >/dev/null || { echo "bench/instructions.sh needs $tool: apt-get install valgrind" >&2; exit 1; }
done
for f in "$bin/istio-lint" "$bin/bench/yaml_parse_baseline"; do
  [[ -x $f ]] || { echo "bench/instructions.sh: $f missing; build it with bench/run.sh" >&2; exit 1; }
done
[[ -d $dir ]] || { echo "bench/instructions.sh: no directory $dir" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out/base" "$bin/bench/yaml_parse_baseline" "$dir" >/dev/null 2>&1
valgrind --tool=callgrind --callgrind-out-file="$out/lint" "$bin/istio-lint" -A "$dir" -o json >/dev/null 2>&1 || true

# Inclusive count of the first function whose name matches the pattern.
count() {
  callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null |
    awk -v pat="$2" '!done && $0 ~ pat { gsub(",", "", $1); print $1; done = 1 }'
}
base=$(count "$out/base" "PROGRAM TOTALS")
total=$(count "$out/lint" "PROGRAM TOTALS")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "| what | instructions | / baseline |"
echo "|---|---:|---:|"
echo "| bare libyaml parse (baseline) | $base | 1.00 |"
echo "| istio-lint -A, all | $total | $(ratio "$total" "$base") |"
# The parallel phases run as lambdas on every thread (model/parallel.h): their inclusive counts sum
# the threads. The first (largest) match is the per-thread worker.
for row in "load (read, parse, decode; all threads)|istio_lint::model::load\\(.*\\{lambda\\(\\)#[0-9]+\\}::operator\\(\\)" \
           "  of it libyaml (yaml_parser_parse)|yaml_parser_parse \\[" \
           "  of it decoding typed resources|istio_lint::model::decode::decodeResource\\(" \
           "graph (the calling thread's part)|istio_lint::model::MeshGraph::build\\(" \
           "credentials (their own thread, beside load and graph)|istio_lint::model::CredentialCache::run\\(" \
           "analyze (all threads)|istio_lint::analyzers::run\\(.*\\{lambda\\(\\)#[0-9]+\\}" \
           "report (-o json)|istio_lint::cli::writeJson\\("; do
  n=$(count "$out/lint" "${row#*|}")
  echo "| ${row%%|*} | ${n:-?} | $(ratio "${n:-0}" "$base") |"
done
