#!/usr/bin/env bash
# Installs the Debian 12 packages istio-lint needs to build and test. Safe to run again:
# it only calls apt-get when something is missing.
set -euo pipefail
pkgs=(build-essential cmake ninja-build pkg-config libyaml-dev libyaml-cpp-dev libcli11-dev
      libfmt-dev libhttp-parser-dev libmimalloc-dev libre2-dev nlohmann-json3-dev doctest-dev libssl-dev libedit-dev python3
      python3-jsonschema)
if [[ "${1:-}" == "--with-fuzz" ]]; then pkgs+=(clang libclang-rt-14-dev); fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=(); [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  echo "installing: ${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
