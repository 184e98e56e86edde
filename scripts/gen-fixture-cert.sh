#!/usr/bin/env bash
# Prints a kubernetes.io/tls Secret holding a self-signed EC certificate with fixed validity dates,
# for rule fixtures: the dates do not depend on the day it runs, so expiry fixtures stay
# deterministic (the tests fix "now" with ISTIO_LINT_NOW).
#
#   scripts/gen-fixture-cert.sh NAME NAMESPACE CN SANS NOT_BEFORE NOT_AFTER [--ca]
#   scripts/gen-fixture-cert.sh shop-cert istio-system shop.example.com \
#       "DNS:shop.example.com,DNS:*.shop.example.com" 20240101000000Z 21240101000000Z
#
# SANS is an openssl subjectAltName value ("" for none). --ca also writes ca.crt (the certificate
# itself, which stands for a client CA bundle). Needs only the openssl command line tool.
set -euo pipefail
if [[ $# -lt 6 ]]; then
  sed -n '2,12p' "$0" >&2
  exit 2
fi
name=$1 ns=$2 cn=$3 sans=$4 start=$5 end=$6 with_ca=${7:-}
is_ca=FALSE
[[ "$with_ca" == --ca ]] && is_ca=TRUE
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/db"
: > "$dir/db/index.txt"
echo 01 > "$dir/db/serial"
cat > "$dir/ca.cnf" <<CNF
[ca]
default_ca = fixture
[fixture]
dir = $dir/db
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[anything]
commonName = supplied
[ext]
basicConstraints = critical,CA:$is_ca
keyUsage = critical,digitalSignature,keyCertSign
${sans:+subjectAltName = $sans}
CNF
openssl ecparam -name prime256v1 -genkey -noout -out "$dir/key.ec" 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$dir/key.ec" -out "$dir/key.pem"
openssl req -new -key "$dir/key.pem" -subj "/CN=$cn" -out "$dir/req.csr"
openssl ca -batch -selfsign -config "$dir/ca.cnf" -keyfile "$dir/key.pem" -in "$dir/req.csr" \
  -startdate "$start" -enddate "$end" -extensions ext -notext -out "$dir/cert.pem" 2>"$dir/ca.log" || { cat "$dir/ca.log" >&2; exit 1; }
b64() { base64 -w0 < "$1"; }
cat <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: $name
  namespace: $ns
type: kubernetes.io/tls
data:
  tls.crt: $(b64 "$dir/cert.pem")
  tls.key: $(b64 "$dir/key.pem")
YAML
if [[ -n "$with_ca" ]]; then
  echo "  ca.crt: $(b64 "$dir/cert.pem")"
fi
