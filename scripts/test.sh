#!/usr/bin/env bash
# Builds istio-lint and runs every test: unit tests, rule fixtures, CLI golden snapshots, the
# hostile-input corpus and the fuzz regression corpus.
# Usage: scripts/test.sh [--sanitize]
#   --sanitize: a second, separate build in build-asan/ with clang, AddressSanitizer and
#   UndefinedBehaviorSanitizer (ISTIO_LINT_SANITIZE=ON), and the same tests run in it. It is a
#   unity build (CMAKE_UNITY_BUILD: a target's sources compiled a few at a time as one translation
#   unit), which takes about half the compile time of a file-by-file build; file-local names must
#   therefore differ between the files of one target. The fuzz
#   regression corpora are replayed there too; the libFuzzer binaries themselves are built only by
#   scripts/fuzz (build-fuzz/).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build; flags=(); env=()
if [[ "${1:-}" == "--sanitize" ]]; then
  scripts/install-deps.sh --with-fuzz
  dir=build-asan
  flags=(-DISTIO_LINT_SANITIZE=ON -DISTIO_LINT_FUZZ=OFF -DISTIO_LINT_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug -DCMAKE_UNITY_BUILD=ON)
  env=(CC=clang CXX=clang++)
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
else
  scripts/install-deps.sh
fi
env "${env[@]}" cmake -S . -B "$dir" -G Ninja -DISTIO_LINT_TESTS=ON "${flags[@]}" >/dev/null
cmake --build "$dir" -j"$(nproc)"
cd "$dir" && ctest --output-on-failure -j"$(nproc)"
