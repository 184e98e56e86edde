#!/usr/bin/env bash
# `istio-lint serve` in shared/bench/proxy-baseline's harness, beside nginx and haproxy: the same
# upstreams (nginx on PORT_BASE+81/+82), the same routing (bench/serve/gateway.yaml), the same wrk
# commands, interleaved rounds. The harness installs nginx, haproxy and wrk when they are missing.
#
# Usage: bench/serve_bench.sh            # every scenario (HTTP and TLS passthrough), 3 rounds of 10 s
#        REPS=1 DUR=3 bench/serve_bench.sh
# Env: WORKERS (serve --workers, default 2), TARGETS (default "direct nginx-w2 haproxy-t2 gateway"),
#      SCEN (default "http-ka tls-ka http-close tls-close"), SKIP_BUILD=1, HARNESS (default ../shared/bench/proxy-baseline),
#      PORT_BASE (default 28000), BENCH_DIR (default /tmp/proxy-baseline).
# The harness prints its summary table and keeps everything under $BENCH_DIR/out/latest.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
harness=${HARNESS:-$root/../shared/bench/proxy-baseline}
[[ -x "$harness/run.sh" ]] || { echo "serve_bench: no harness at $harness/run.sh" >&2; exit 2; }
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DISTIO_LINT_TESTS=OFF >/dev/null
  cmake --build build-bench --target istio-lint
fi
pb=${PORT_BASE:-28000}
gw_http=$((pb + 390))
gw_sni=$((pb + 391))
bin=$root/build-bench/istio-lint
export GW_HTTP=$gw_http GW_SNI=$gw_sni
export GW_CMD="$bin serve $root/bench/serve --gateway istio-system/bench-gw --listen 8080=$gw_http --listen 8443=$gw_sni \
--upstream c1.bench.svc.cluster.local=127.0.0.1:$((pb + 81)) --upstream c2.bench.svc.cluster.local=127.0.0.1:$((pb + 82)) \
--upstream tls-a.bench.svc.cluster.local=127.0.0.1:$((pb + 543)) --upstream tls-b.bench.svc.cluster.local=127.0.0.1:$((pb + 544)) \
--workers ${WORKERS:-2}"
export TARGETS=${TARGETS:-"direct nginx-w2 haproxy-t2 gateway"}
export SCEN=${SCEN:-"http-ka tls-ka http-close tls-close"}
exec "$harness/run.sh"
