#!/usr/bin/env bash
# Builds the Debian package with cpack into OUT_DIR (emptied first), for ci.deb and ci.deb.install.
# Usage: deb_package.sh BUILD_DIR OUT_DIR. Exit 77 (ctest: skipped) when cpack or dpkg-deb is missing.
set -euo pipefail
build=$(cd "$1" && pwd) out=$2
for tool in cpack dpkg-deb; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIPPED: $tool is not installed (apt-get install dpkg-dev cmake); the .deb is not built"
    exit 77
  fi
done
rm -rf "$out" && mkdir -p "$out"
log=$out/cpack.log
(cd "$build" && cpack -G DEB -B "$out" >"$log" 2>&1) || { cat "$log"; echo "FAIL: cpack -G DEB failed" >&2; exit 1; }
debs=("$out"/*.deb)
if [[ ${#debs[@]} -ne 1 || ! -f ${debs[0]} ]]; then
  echo "FAIL: expected one .deb in $out, found: $(ls "$out")" >&2
  exit 1
fi
echo "built ${debs[0]}"
