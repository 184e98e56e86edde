#!/usr/bin/env bash
# Installs the Debian package with dpkg into a fresh root that holds nothing but the packages the
# .deb declares (Depends and Pre-Depends) and what those depend on in turn, taken from this
# Debian 12 machine's installed files; then runs the installed binary inside that root (chroot)
# and removes the package again with dpkg.
#
# A library the binary needs but the package does not declare is missing from that root, so the
# run fails: this is what `apt install ./istio-lint_*.deb` on a fresh Debian 12 would do.
#
# Usage: deb_install_test.sh DEB_DIR SOURCE_DIR. Exit 77 (ctest: skipped) when no package was
# built, when dpkg is missing, or when neither chroot (as root) nor an unprivileged user namespace
# (unshare -r) is available to enter the root.
set -euo pipefail
debs=("$1"/*.deb) source=$(cd "$2" && pwd)
skip() { echo "SKIPPED: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ -f ${debs[0]} ]] || skip "no .deb in $1 (ci.deb.package did not build one)"
deb=${debs[0]}
command -v dpkg >/dev/null && command -v dpkg-query >/dev/null || skip "dpkg is not installed"
if [[ $(id -u) -eq 0 ]]; then
  enter=(chroot)
elif unshare -r true 2>/dev/null; then
  enter=(unshare -r chroot)
else
  skip "entering a root needs root (chroot) or user namespaces (unshare -r)"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/istio-lint-deb-install-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root

# The package names of a Depends-style field: "a (>= 1), b | c, d:any" -> a, then the first
# installed alternative of "b | c", then d. Virtual names resolve to an installed provider.
declare -A provider=()
while read -r pkg provides; do
  IFS=',' read -ra names <<<"$provides"
  for n in "${names[@]}"; do
    n=${n%%(*}; n=${n// /}
    [[ -n $n && -z ${provider[$n]:-} ]] && provider[$n]=$pkg
  done
done < <(dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Provides}\n' | awk '$1 == "ii" { $1 = ""; print }')
installed() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'; }
resolve_field() {
  local field=$1 group alt name
  IFS=',' read -ra groups <<<"$field"
  for group in "${groups[@]}"; do
    [[ -z ${group// /} ]] && continue
    IFS='|' read -ra alts <<<"$group"
    local chosen=
    for alt in "${alts[@]}"; do
      name=${alt%%(*}; name=${name%%:*}; name=${name// /}
      if installed "$name"; then chosen=$name; break; fi
      if [[ -n ${provider[$name]:-} ]]; then chosen=${provider[$name]}; break; fi
    done
    [[ -n $chosen ]] || fail "dependency \"$group\" is not satisfiable on this machine (nothing installed provides it)"
    echo "$chosen"
  done
}

# The closure of the package's dependencies over the installed packages.
declare -A seen=()
queue=()
direct=$(dpkg-deb -f "$deb" Depends Pre-Depends | sed -n 's/^[A-Za-z-]*: //p' | paste -sd, -)
[[ -n $direct ]] || fail "the package declares no dependencies"
while read -r p; do queue+=("$p"); done < <(resolve_field "$direct")
while ((${#queue[@]})); do
  p=${queue[0]}; queue=("${queue[@]:1}")
  [[ -n ${seen[$p]:-} ]] && continue
  seen[$p]=1
  fields=$(dpkg-query -W -f='${Depends}, ${Pre-Depends}' "$p")
  while read -r d; do [[ -n $d && -z ${seen[$d]:-} ]] && queue+=("$d"); done < <(resolve_field "$fields")
done
closure=$(printf '%s\n' "${!seen[@]}" | sort)
echo "root packages ($(wc -l <<<"$closure")): $(paste -sd' ' <<<"$closure")"

# The root: merged /usr like every Debian 12 system, the files of the closure packages, and a dpkg
# database that lists exactly those packages as installed.
mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/var/lib/dpkg/{info,updates,triggers} "$root"/tmp "$root/etc"
for d in bin sbin lib lib64; do ln -s "usr/$d" "$root/$d"; done
: >"$root/var/lib/dpkg/status"
: >"$root/var/lib/dpkg/available"
while read -r p; do
  dpkg-query -L "$p" | while read -r f; do [[ -f $f || -L $f ]] && printf '%s\n' "${f#/}"; done
  dpkg-query -s "$p" >>"$root/var/lib/dpkg/status"
  echo >>"$root/var/lib/dpkg/status"
  for ext in list md5sums; do
    for info in /var/lib/dpkg/info/"$p".$ext /var/lib/dpkg/info/"$p":*.$ext; do
      [[ -f $info ]] && cp "$info" "$root/var/lib/dpkg/info/"
    done
  done
done <<<"$closure" | sort -u >"$tmp/files"
tar -C / --no-recursion -cf - -T "$tmp/files" | tar -C "$root" --keep-directory-symlink -xf -

dpkg_root=(dpkg --root="$root" --log=/dev/null --force-script-chrootless)
[[ $(id -u) -eq 0 ]] || dpkg_root+=(--force-not-root)
"${dpkg_root[@]}" -i "$deb" >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log"; fail "dpkg -i into the fresh root failed"; }
status=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${db:Status-Abbrev}' istio-lint)
[[ $status == ii* ]] || fail "istio-lint is not installed in the fresh root after dpkg -i (status: $status)"
files=$(dpkg-query --admindir="$root/var/lib/dpkg" -L istio-lint)
for f in /usr/bin/istio-lint /usr/share/man/man1/istio-lint.1.gz /usr/share/bash-completion/completions/istio-lint; do
  grep -qx "$f" <<<"$files" || fail "dpkg -L istio-lint lacks $f"
  [[ -e $root$f ]] || fail "$f is registered but not on disk"
done

# Run it inside the root, where only the declared libraries exist.
mkdir -p "$root/src/fixtures"
cp -r "$source/fixtures/golden" "$root/src/fixtures/"
run() { "${enter[@]}" "$root" "$@"; }
version=$(run /usr/bin/istio-lint --version 2>&1) || fail "the installed binary does not start in the fresh root: $version"
[[ $version == "istio-lint "* ]] || fail "--version printed: $version"
set +e
out=$(run /usr/bin/istio-lint -A /src/fixtures/golden/shop --color never 2>"$tmp/err")
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "installed binary on fixtures/golden/shop exited $rc (want 1): $(cat "$tmp/err")"
grep -q 'Error \[IST0101\] (VirtualService shop/storefront' <<<"$out" || fail "expected IST0101 for shop/storefront, got: $out"
# libcrypto (certificates) and libedit (the simulate prompt) are opened with dlopen, which
# dpkg-shlibdeps does not see: each must be in the root through a declared dependency.
for soname in $(strings "$root/usr/bin/istio-lint" | grep -xE 'lib(crypto|edit)\.so\.[0-9]+' | sort -u); do
  find "$root/lib" "$root/usr/lib" -name "$soname" 2>/dev/null | grep -q . || fail "$soname (opened at run time) is not in the root"
done
cp "$source/fixtures/gateway/CertificateExpiredAnalyzer/bad_expired_certificate.yaml" "$root/src/fixtures/"
set +e
out=$(run /usr/bin/istio-lint -A /src/fixtures/bad_expired_certificate.yaml --color never 2>"$tmp/err")
set -e
grep -q 'IL1003.*expired-cert (tls.crt) expired on 2021-01-01' <<<"$out" ||
  fail "certificates are not read in the fresh root: $out $(cat "$tmp/err")"
explain=$(run /usr/bin/istio-lint explain IST0101) || fail "explain IST0101 exited $?"
grep -q 'ReferencedResourceNotFound' <<<"$explain" || fail "explain in the fresh root printed: $explain"

"${dpkg_root[@]}" -r istio-lint >"$tmp/dpkg-r.log" 2>&1 || { cat "$tmp/dpkg-r.log"; fail "dpkg -r failed"; }
[[ ! -e $root/usr/bin/istio-lint ]] || fail "dpkg -r left /usr/bin/istio-lint behind"
echo "ok: $(basename "$deb") installs with dpkg into a root of $(wc -l <<<"$closure") packages, runs there (exit $rc) and removes cleanly"
