#!/usr/bin/env python3
"""Throughput of `istio-lint replay` on a generated mesh (docs/performance.md, "replay").

    replay_bench.py --lint BUILD/istio-lint --mesh bench/out/mesh-10000 [--requests N] [--runs R]

Generates N requests for the mesh (bench/gen_traffic.py) as Istio access log entries and as
request lines, then times, best of R and in turns: replay of an empty traffic file (loading the
mesh and compiling the gateways: the fixed cost) and replay of each traffic file. The rate is
N / (traffic run - empty run), so it counts the per-request work alone. Peak RSS comes from GNU
time. Prints a markdown table.
"""

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd):
    """(wall seconds, peak RSS KiB) of one run under GNU time."""
    with tempfile.NamedTemporaryFile("r") as t:
        subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", t.name, *cmd], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        wall, rss = t.read().split()[-2:]
        return float(wall), int(rss)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lint", required=True)
    ap.add_argument("--mesh", required=True)
    ap.add_argument("--requests", type=int, default=200000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if not os.path.isdir(a.mesh):
        sys.exit(f"replay_bench.py: no mesh at {a.mesh} (bench/run.sh generates bench/out/mesh-N)")
    work = tempfile.mkdtemp(prefix="replay-bench-")
    files = {"empty": os.path.join(work, "empty.log")}
    open(files["empty"], "w").close()
    for fmt, name in (("log", "access log"), ("lines", "request lines")):
        files[name] = os.path.join(work, f"traffic.{fmt}")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_traffic.py"), a.mesh, "--requests", str(a.requests),
                        "--seed", str(a.seed), "--format", fmt, "--out", files[name]], check=True)
    # The access log names no Gateway: any Gateway of the mesh enters the shared ingress workload.
    gateway = "team-0000/team-0000-gw-0"
    best = {k: (float("inf"), 0) for k in files}
    for _ in range(a.runs):
        for k, path in files.items():
            wall, rss = timed([a.lint, "replay", a.mesh, "--traffic", path, "--gateway", gateway])
            if wall < best[k][0]:
                best[k] = (wall, rss)
    base = best["empty"][0]
    print(f"| traffic ({a.requests} requests) | wall s (best of {a.runs}) | per-request part s | requests/s | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|")
    print(f"| none (load the mesh, compile the gateways) | {base:.2f} | | | {best['empty'][1] / 1024:.1f} |")
    for k in ("access log", "request lines"):
        wall, rss = best[k]
        part = max(wall - base, 1e-9)
        print(f"| {k} | {wall:.2f} | {part:.2f} | {a.requests / part:,.0f} | {rss / 1024:.1f} |")
    for path in files.values():
        os.remove(path)
    os.rmdir(work)


if __name__ == "__main__":
    main()
