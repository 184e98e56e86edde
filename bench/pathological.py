#!/usr/bin/env python3
"""Pathological configurations as a benchmark (not a timed test).

Each case is generated at two sizes, analyzed with `istio-lint -A DIR -o json`, checked for the
exact findings it must produce (the results stay correct however big the case), and timed. The
report shows the best wall and CPU (user + system) time per size and the ratio of the CPU times:
with the larger size 4x the smaller, linear growth gives a ratio near 4, quadratic growth near 16.
(CPU time, because on a shared machine the wall time mostly measures the neighbours.)

Each case also traces requests with `istio-lint simulate -o json` (load, routing model, decision)
that exercise what makes it pathological (the last of 10k hosts, the last of 1k regex routes, a
delegate, a host under one of 5k wildcards), checks the final hop (cluster, error, route) and
reports the CPU time of those runs the same way.

    bench/pathological.py --lint build-bench/istio-lint [--scale 1] [--runs 3] [--case NAME]

Cases (sizes at --scale 1: the size named in docs/reliability.md and a quarter of it):
  gateway-hosts        one Gateway with N hosts, N VirtualServices bound to it (one host not on it)
  wildcard-entries     N ServiceEntries for *.svcI.example.com, N VirtualServices routing under them
  regex-routes         one VirtualService with N overlapping regex routes
  delegate-cycle       a chain of N delegate VirtualServices whose last one delegates to the first
  sidecar-everything   N namespaces with a Service each and a Sidecar importing */* in every one
"""

import argparse
import collections
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def doc(text):
    return text.strip("\n") + "\n"


def service(name, ns, app=None):
    return doc(f"""
apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: {ns}}}
spec:
  selector: {{app: {app or name}}}
  ports: [{{name: http, port: 80, targetPort: 8080}}]
""")


def pod(name, ns, app):
    return doc(f"""
apiVersion: v1
kind: Pod
metadata: {{name: {name}, namespace: {ns}, labels: {{app: {app}}}}}
spec:
  containers: [{{name: app, image: example/app:1}}, {{name: istio-proxy, image: docker.io/istio/proxyv2:1.24.0}}]
""")


def gateway_hosts(n):
    """One Gateway with n hosts; n VirtualServices bound to it, one of which names a host the
    Gateway does not have: exactly one IST0132."""
    hosts = "\n".join(f"    - h{i}.example.com" for i in range(n))
    files = {"gateway.yaml": doc(f"""
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {{name: public, namespace: edge}}
spec:
  selector: {{istio: ingressgateway}}
  servers:
  - port: {{number: 80, name: http, protocol: HTTP}}
    hosts:
{hosts}
""") + "---\n" + service("backend", "edge") + "---\n" + pod("backend", "edge", "backend")}
    docs = []
    for i in range(n):
        host = f"h{i}.example.com" if i != n // 2 else "stray.example.com"
        docs.append(doc(f"""
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: vs{i}, namespace: edge}}
spec:
  hosts: [{host}]
  gateways: [public]
  http:
  - route: [{{destination: {{host: backend}}}}]
"""))
    files["virtualservices.yaml"] = "---\n".join(docs)
    gw = ["--gateway", "edge/public"]
    return files, {"IST0132": 1}, [
        (gw + ["--host", f"h{n - 1}.example.com"], {"cluster": "outbound|80||backend.edge.svc.cluster.local"}),
        (gw + ["--host", "stray.example.com"], {"error": "404 NR"}),
    ]


def wildcard_entries(n):
    """n wildcard ServiceEntries and n VirtualServices routing to a host under one of them; one
    routes to a host no entry covers: exactly one IST0101."""
    ses, vss = [], []
    for i in range(n):
        ses.append(doc(f"""
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {{name: se{i}, namespace: egress}}
spec:
  hosts: ["*.svc{i}.example.com"]
  location: MESH_EXTERNAL
  resolution: NONE
  ports: [{{number: 443, name: tls, protocol: TLS}}]
"""))
        dest = f"api.svc{(i * 7919) % n}.example.com" if i != n // 2 else "api.nowhere.example.org"
        vss.append(doc(f"""
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: vs{i}, namespace: egress}}
spec:
  hosts: [app{i}.egress.svc.cluster.local]
  tls:
  - match: [{{port: 443, sniHosts: [app{i}.egress.svc.cluster.local]}}]
    route: [{{destination: {{host: {dest}, port: {{number: 443}}}}}}]
"""))
    files = {"serviceentries.yaml": "---\n".join(ses), "virtualservices.yaml": "---\n".join(vss),
             "client.yaml": pod("client", "egress", "client")}
    last = n - 1
    tls = ["--from", "egress/client", "--scheme", "tls", "--port", "443"]
    return files, {"IST0101": 1}, [
        (tls + ["--host", f"api.svc{last}.example.com"], {"cluster": f"outbound|443||*.svc{last}.example.com"}),
        (tls + ["--host", "api.nowhere.example.org"], {"cluster": "PassthroughCluster"}),
    ]


def regex_routes(n):
    """One VirtualService with n overlapping regex routes on the path and a header: every route is
    valid and reachable by some request, so no findings."""
    routes = []
    for i in range(n):
        regex = f"/api/v[0-9]+/item{i}(/.*)?"
        routes.append(f"""  - match:
    - uri: {{regex: "{regex}"}}
    - headers: {{x-user: {{regex: "user-[a-z]*{i % 10}.*"}}}}
    route: [{{destination: {{host: backend}}}}]""")
    files = {"vs.yaml": doc("""
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: regex, namespace: web}
spec:
  hosts: [backend]
  http:
""") + "\n".join(routes) + "\n---\n" + service("backend", "web") + "---\n" + pod("backend", "web", "backend")}
    src = ["--from", "web/backend", "--host", "backend"]
    return files, {}, [
        (src + ["--path", f"/api/v2/item{n - 1}/x"], {"route": f"http[{n - 1}]"}),
        (src + ["--path", "/nothing"], {"error": "404 NR"}),
    ]


def delegate_cycle(n):
    """A root VirtualService delegating to d0; d0 -> d1 -> ... -> d(n-1) -> d0: a cycle. Every
    delegate is reachable and every reference resolves: no findings, and no endless walk."""
    docs = [doc("""
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: root, namespace: web}
spec:
  hosts: [shop.example.com]
  gateways: [mesh]
  http:
  - match: [{uri: {prefix: /}}]
    delegate: {name: d0, namespace: web}
""")]
    for i in range(n):
        docs.append(doc(f"""
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: d{i}, namespace: web}}
spec:
  http:
  - match: [{{uri: {{prefix: /d{i}}}}}]
    route: [{{destination: {{host: backend}}}}]
  - match: [{{uri: {{prefix: /}}}}]
    delegate: {{name: d{(i + 1) % n}, namespace: web}}
"""))
    docs += [service("backend", "web"), pod("backend", "web", "backend")]
    src = ["--from", "web/backend", "--host", "shop.example.com"]
    return {"delegates.yaml": "---\n".join(docs)}, {}, [
        (src + ["--path", "/d0/x"], {"cluster": "outbound|80||backend.web.svc.cluster.local",
                                     "route": "VirtualService web/d0 http[0] (delegated from"}),
        # d0 delegates again: istiod follows one level only.
        (src + ["--path", f"/d{n - 1}/x"], {"error": "503 NC"}),
    ]


def sidecar_everything(n):
    """n namespaces, each with a Service, its Pod and a Sidecar whose egress imports */*: every
    import resolves, so no findings."""
    files = {}
    for i in range(n):
        ns = f"ns{i}"
        files[f"{ns}.yaml"] = "---\n".join([
            doc(f"""
apiVersion: v1
kind: Namespace
metadata: {{name: {ns}, labels: {{istio-injection: enabled}}}}
"""),
            service(f"svc{i}", ns),
            pod(f"svc{i}", ns, f"svc{i}"),
            doc(f"""
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {{name: default, namespace: {ns}}}
spec:
  egress:
  - hosts: ["*/*"]
"""),
        ])
    last = n - 1
    return files, {}, [
        (["--from", "ns0/svc0", "--host", f"svc{last}.ns{last}.svc.cluster.local"],
         {"cluster": f"outbound|80||svc{last}.ns{last}.svc.cluster.local"}),
    ]


CASES = {
    "gateway-hosts": (gateway_hosts, 10000),
    "wildcard-entries": (wildcard_entries, 5000),
    "regex-routes": (regex_routes, 1000),
    "delegate-cycle": (delegate_cycle, 1000),
    "sidecar-everything": (sidecar_everything, 2000),
}


def write(out, files):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for name, text in files.items():
        with open(os.path.join(out, name), "w") as f:
            f.write(text)


def run(lint, path, runs):
    """Best wall time and best CPU time (user + system) of `runs` runs, and the findings."""
    times, cpus, findings = [], [], None
    for _ in range(runs):
        start = time.perf_counter()
        before = os.times()
        p = subprocess.run([lint, "-A", path, "-o", "json"], capture_output=True, text=True)
        after = os.times()
        times.append(time.perf_counter() - start)
        cpus.append(after.children_user + after.children_system - before.children_user - before.children_system)
        if p.returncode not in (0, 1):
            sys.exit(f"{path}: exit {p.returncode}: {p.stderr}")
        findings = json.loads(p.stdout)
    return min(times), min(cpus), findings


def run_simulate(lint, path, checks, runs):
    """Best CPU time (summed over the checks) and the problems: each check is (arguments, expected
    last-hop fields); "route" is matched against the route decision's words."""
    best, problems = None, []
    for attempt in range(runs):
        total = 0.0
        for argv, want in checks:
            before = os.times()
            p = subprocess.run([lint, "simulate", path, "-o", "json"] + argv, capture_output=True, text=True)
            after = os.times()
            total += after.children_user + after.children_system - before.children_user - before.children_system
            if attempt:
                continue
            if p.returncode not in (0, 1):
                problems.append(f"simulate {' '.join(argv)}: exit {p.returncode}: {p.stderr.strip()}")
                continue
            hop = json.loads(p.stdout)["hops"][-1]
            for key, value in want.items():
                if key == "route":
                    got = " ".join(d["detail"] for d in hop["decisions"] if d["decision"] == "route")
                    ok = value in got
                else:
                    got = hop.get(key)
                    ok = got == value
                if not ok:
                    problems.append(f"simulate {' '.join(argv)}: {key} {got!r}, want {value!r}")
        best = total if best is None else min(best, total)
    return best, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lint", required=True)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--case", action="append")
    ap.add_argument("--out", default=os.path.join(HERE, "out", "pathological"))
    args = ap.parse_args()
    failed = False
    print("| case | size | wall | CPU | size | wall | CPU | CPU ratio (size ratio 4) | simulate CPU | simulate ratio | findings and traces |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for name in args.case or CASES:
        make, size = CASES[name]
        big = max(8, int(size * args.scale))
        row, problems = [], []
        for n in (big // 4, big):
            files, expected, checks = make(n)
            out = os.path.join(args.out, f"{name}-{n}")
            write(out, files)
            seconds, cpu, findings = run(args.lint, out, args.runs)
            errors = collections.Counter(f["code"] for f in findings if f["level"] in ("Error", "Warning"))
            if dict(errors) != expected:
                problems.append(f"{n}: findings {dict(errors)}, want {expected}")
            sim_cpu, sim_problems = run_simulate(args.lint, out, checks, args.runs)
            problems += [f"{n}: {p}" for p in sim_problems]
            row.append((n, seconds, cpu, sim_cpu))
        failed |= bool(problems)
        ratio = row[1][2] / row[0][2] if row[0][2] > 0 else float("nan")
        sim_ratio = row[1][3] / row[0][3] if row[0][3] > 0 else float("nan")
        verdict = "as expected" if not problems else "WRONG: " + "; ".join(problems)
        print(f"| {name} | {row[0][0]} | {row[0][1]:.2f} s | {row[0][2]:.2f} s | {row[1][0]} | {row[1][1]:.2f} s | "
              f"{row[1][2]:.2f} s | {ratio:.1f} | {row[0][3]:.2f} s / {row[1][3]:.2f} s | {sim_ratio:.1f} | {verdict} |")
        sys.stdout.flush()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
