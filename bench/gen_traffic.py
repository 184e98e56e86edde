#!/usr/bin/env python3
"""Traffic for `istio-lint replay` on a mesh that bench/gen_mesh.py generated: deterministic,
stdlib only.

    gen_traffic.py MESH_DIR --requests N --seed S --format log|lines --out FILE

It reads the VirtualServices of the mesh (their gateway host and Gateway, the generator's own
layout) and writes N requests to their hosts through the ingress gateway: the canary header, the
path routes, the default split and some hosts nothing serves. `log` writes entries of the ingress
gateway's access log in Istio's default text format (replay them with `--gateway` naming any of
the mesh's Gateways: they share the istio-ingressgateway workload); `lines` writes request lines
that name their Gateway themselves.
"""

import argparse
import os
import random
import re
import sys

VS = re.compile(
    r"kind: VirtualService\nmetadata:\n  name: (\S+)\n  namespace: (\S+)\nspec:\n  hosts:\n  - \S+\n  - (\S+)\n"
    r"  gateways:\n  - (\S+)\n"
)
PATH_ROUTE = re.compile(r"prefix: (/[a-z]+/\d+)\n      method:\n        exact: (\S+)")


def virtual_services(mesh):
    out = []
    for root, _, files in sorted(os.walk(mesh)):
        for f in sorted(files):
            if not f.endswith(".yaml"):
                continue
            text = open(os.path.join(root, f), encoding="utf-8").read()
            for doc in text.split("\n---\n"):
                m = VS.search(doc)
                if m and not m.group(4).endswith("-missing"):  # the generator's deliberate mistakes
                    out.append({"ns": m.group(2), "host": m.group(3), "gateway": m.group(4),
                                "paths": PATH_ROUTE.findall(doc)})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mesh")
    ap.add_argument("--requests", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=["log", "lines"], default="log")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    vss = virtual_services(a.mesh)
    if not vss:
        sys.exit(f"gen_traffic.py: no VirtualService found under {a.mesh}")
    with open(a.out, "w", encoding="utf-8") as out:
        for i in range(a.requests):
            vs = rng.choice(vss)
            host, method, headers = vs["host"], "GET", ""
            roll = rng.random()
            if roll < 0.2:
                path, headers = "/api/items", "x-canary: true"
            elif roll < 0.5 and vs["paths"]:
                path, method = rng.choice(vs["paths"])
                path += "/x"
            elif roll < 0.97:
                path = "/" + rng.choice(["", "index.html", "static/app.js", "search?q=1"])
            else:
                host, path = "unknown-" + host, "/"  # nothing serves it: 404 NR
            if a.format == "lines":
                h = f" header '{headers}'" if headers else ""
                out.write(f"{method} https://{host}:8443{path} via {vs['ns']}/{vs['gateway']}{h}\n")
            else:
                # Istio's default format; the logged cluster is left out ("-"): replay decides it.
                out.write(f'[2026-12-01T09:00:{i % 60:02d}.000Z] "{method} {path} HTTP/2" 200 - via_upstream - "-" '
                          f'0 512 3 2 "203.0.113.{i % 250}" "bench" "id-{i}" "{host}" "-" - - 10.8.0.5:8443 '
                          f'203.0.113.{i % 250}:{40000 + i % 20000} {host} -\n')


if __name__ == "__main__":
    main()
