#!/usr/bin/env bash
# Builds istio-lint and runs every test: unit tests, rule fixtures, CLI golden snapshots.
# Usage: scripts/test.sh [--sanitize]   (--sanitize: a separate ASan/UBSan build in build-asan/)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
dir=build; flags=()
if [[ "${1:-}" == "--sanitize" ]]; then
  dir=build-asan; flags=(-DISTIO_LINT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
fi
cmake -S . -B "$dir" -G Ninja -DISTIO_LINT_TESTS=ON "${flags[@]}" >/dev/null
cmake --build "$dir" -j"$(nproc)"
cd "$dir" && ctest --output-on-failure -j"$(nproc)"
