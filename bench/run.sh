#!/usr/bin/env bash
# Builds a Release istio-lint and the bare libyaml baseline, generates the benchmark meshes into
# bench/out/ and prints a markdown report (see docs/performance.md).
#
#   bench/run.sh                           # 1k, 10k and 100k resources, best of 5
#   SIZES="1000 10000" RUNS=3 bench/run.sh
#   BUILD_DIR=build-bench SKIP_BUILD=1 BUDGET=300 bench/run.sh
#
# BUDGET: seconds after which a slow command is not repeated any more (default 120).
# MIN_SECONDS: fast commands are repeated (istio-lint and the baseline in turns) until each has run
# this long in total (default 3), so that a 25 ms run gets as many chances at a quiet moment as it
# needs on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-bench}
SIZES=${SIZES:-"1000 10000 100000"}
RUNS=${RUNS:-5}
BUDGET=${BUDGET:-120}
MIN_SECONDS=${MIN_SECONDS:-3}
SEED=${SEED:-1}
JOBS=${JOBS:-2}

if [[ ! -x /usr/bin/time ]]; then
  echo "bench/run.sh needs GNU time (/usr/bin/time): apt-get install time" >&2
  exit 1
fi

if [[ -z "${SKIP_BUILD:-}" ]]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DISTIO_LINT_TESTS=OFF \
        -DISTIO_LINT_BENCH=ON >/dev/null
  cmake --build "$BUILD_DIR" -j"$JOBS" --target istio-lint yaml_parse_baseline >/dev/null
fi

meshes=()
for n in $SIZES; do
  out=bench/out/mesh-$n
  # Regenerate only when the generator or its parameters changed.
  stamp="$out/.stamp"
  want="$(sha1sum bench/gen_mesh.py | cut -c1-40) $n $SEED"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    python3 bench/gen_mesh.py --resources "$n" --seed "$SEED" --out "$out"
    echo "$want" >"$stamp"
  fi
  meshes+=("$out")
done

# Warm the page cache so the first timed run does not pay for disk reads.
find "${meshes[@]}" -name '*.yaml' -exec cat {} + >/dev/null

python3 bench/measure.py --lint "$BUILD_DIR/istio-lint" --baseline "$BUILD_DIR/bench/yaml_parse_baseline" \
  --runs "$RUNS" --budget "$BUDGET" --min-seconds "$MIN_SECONDS" "${meshes[@]}"
