#!/usr/bin/env bash
# Checks the Debian package built by deb_package.sh: control fields, then extracts it with
# dpkg-deb -x into a temporary directory and runs the extracted binary on the fixtures; checks the
# man page and completions are in it. (deb_install_test.sh installs it with dpkg.)
# Usage: deb_test.sh DEB_DIR SOURCE_DIR. Exit 77 (ctest: skipped) when no package was built.
set -euo pipefail
debs=("$1"/*.deb) source=$(cd "$2" && pwd)
if [[ ! -f ${debs[0]} ]]; then
  echo "SKIPPED: no .deb in $1 (ci.deb.package did not build one)"
  exit 77
fi
deb=${debs[0]}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/istio-lint-deb-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

[[ $(dpkg-deb -f "$deb" Package) == istio-lint ]] || fail "package name"
depends=$(dpkg-deb -f "$deb" Depends)
[[ $depends == *libyaml* && $depends == *libc6* ]] || fail "Depends lacks the shared libraries: $depends"

dpkg-deb -x "$deb" "$tmp/root"
bin="$tmp/root/usr/bin/istio-lint"
[[ -x $bin ]] || fail "usr/bin/istio-lint missing; package holds: $(dpkg-deb -c "$deb")"
man="$tmp/root/usr/share/man/man1/istio-lint.1.gz"
[[ -f $man ]] || fail "man page missing"
page=$(zcat "$man") || fail "man page is not gzip"
grep -q '^\.TH ISTIO-LINT 1' <<<"$page" || fail "man page has no .TH header"
grep -q 'IST0101' <<<"$page" || fail "man page lists no rules"
grep -q '\\-\\-report\\-files' <<<"$page" || fail "man page lacks the analyze options"
[[ -f $tmp/root/usr/share/bash-completion/completions/istio-lint ]] || fail "bash completion missing"
[[ -f $tmp/root/usr/share/zsh/vendor-completions/_istio-lint ]] || fail "zsh completion missing"
bash -n "$tmp/root/usr/share/bash-completion/completions/istio-lint" || fail "bash completion does not parse"

version=$("$bin" --version) || fail "--version exited $?"
[[ $version == "istio-lint "* ]] || fail "--version printed: $version"
cd "$source"
set +e
out=$("$bin" -A fixtures/golden/shop --color never 2>"$tmp/err")
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "extracted binary on fixtures/golden/shop exited $rc (want 1): $(cat "$tmp/err")"
grep -q 'Error \[IST0101\] (VirtualService shop/storefront' <<<"$out" || fail "expected IST0101 for shop/storefront, got: $out"
explain=$("$bin" explain IST0101) || fail "explain IST0101 exited $?"
grep -q 'ReferencedResourceNotFound' <<<"$explain" || fail "explain from the package printed: $explain"
echo "ok: $(basename "$deb") extracts and runs (exit $rc, $(grep -c '^Error' <<<"$out") errors)"
