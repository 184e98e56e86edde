#!/usr/bin/env python3
"""Times istio-lint against the bare libyaml baseline on generated meshes; prints a markdown report.

    bench/measure.py --lint build-bench/istio-lint --baseline build-bench/bench/yaml_parse_baseline \
        --runs 5 bench/out/mesh-1000 bench/out/mesh-10000 ...

Wall time is the best of --runs runs (the machine is shared, so the minimum is the least noisy
estimate), measured around GNU time, which adds about a millisecond; peak RSS is GNU time's %M
(the largest seen over the runs). stdout of the measured commands goes to /dev/null. Needs
/usr/bin/time (Debian package `time`).
"""

import argparse
import datetime
import os
import re
import subprocess
import sys
import tempfile
import time

TIMING = re.compile(r"timing: load ([\d.]+) ms, graph ([\d.]+) ms, analyze ([\d.]+) ms, report ([\d.]+) ms")


TIME = "/usr/bin/time"


def run_once(cmd):
    """Returns (wall seconds, peak RSS bytes, exit status, stderr text).

    Peak RSS comes from GNU time (%M): Linux keeps ru_maxrss across exec, so a child forked
    straight from this Python process would report at least Python's own footprint.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file, \
            tempfile.TemporaryFile() as err_file:
        full = [TIME, "-f", "%M", "-o", rss_file.name] + cmd
        t0 = time.perf_counter()
        proc = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=err_file)
        wall = time.perf_counter() - t0
        err_file.seek(0)
        err = err_file.read().decode(errors="replace")
        lines = [l for l in rss_file.read().splitlines() if l.strip()]
    if not lines or not lines[-1].strip().isdigit():
        sys.exit(f"{' '.join(cmd)} failed ({' '.join(lines)}):\n{err}")
    if lines[0].startswith("Command terminated by signal"):
        sys.exit(f"{' '.join(cmd)}: {lines[0]}\n{err}")
    return wall, int(lines[-1]) * 1024, proc.returncode, err


def best_of(cmd, runs):
    walls, rss, last_err = [], 0, ""
    for _ in range(runs):
        wall, peak, _, err = run_once(cmd)
        walls.append(wall)
        rss = max(rss, peak)
        last_err = err
    return min(walls), sorted(walls)[len(walls) // 2], rss, last_err


def input_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            if name.lower().endswith((".yaml", ".yml", ".json")):
                total += os.path.getsize(os.path.join(root, name))
    return total


def count_resources(path):
    n = 0
    for root, _, files in os.walk(path):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                n += sum(1 for line in f if line.startswith(b"kind: "))
    return n


def fmt_ms(s):
    return f"{s * 1000:.0f}" if s >= 0.1 else f"{s * 1000:.1f}"


def mib(b):
    return f"{b / 2**20:.1f}"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lint", required=True)
    ap.add_argument("--baseline", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("meshes", nargs="+")
    args = ap.parse_args()

    rows = []
    for mesh in args.meshes:
        lint_cmd = [args.lint, "-A", mesh, "-o", "json"]
        base_cmd = [args.baseline, mesh]
        size = input_bytes(mesh)
        res = count_resources(mesh)
        # Interleave so that a burst of load from other users hits both the same way.
        lw, lmed, lrss, lint_err = best_of(lint_cmd, args.runs)
        bw, bmed, brss, _ = best_of(base_cmd, args.runs)
        # Phase breakdown: the --timing run with the smallest total.
        phases = None
        for _ in range(max(3, args.runs // 2)):
            _, _, _, err = run_once(lint_cmd + ["--timing"])
            m = TIMING.search(err)
            if m:
                p = [float(x) for x in m.groups()]
                if phases is None or sum(p) < sum(phases):
                    phases = p
        summary = next((l for l in lint_err.splitlines() if " resource(s) from " in l), "")
        rows.append(dict(mesh=mesh, res=res, bytes=size, lw=lw, lmed=lmed, lrss=lrss, bw=bw, bmed=bmed,
                         brss=brss, phases=phases, summary=summary))
        print(f"measured {mesh}: lint {lw:.3f}s (median {lmed:.3f}s), baseline {bw:.3f}s", file=sys.stderr)

    print(f"Measured {datetime.date.today().isoformat()} on {os.cpu_count()} CPUs ({cpu_model()}), "
          f"best of {args.runs} runs (median in parentheses).\n")
    print("| resources | files MiB | istio-lint wall ms | baseline wall ms | lint / baseline "
          "| istio-lint peak RSS MiB | RSS / input | baseline RSS MiB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['res']} | {mib(r['bytes'])} | {fmt_ms(r['lw'])} ({fmt_ms(r['lmed'])}) "
              f"| {fmt_ms(r['bw'])} ({fmt_ms(r['bmed'])}) | {r['lw'] / r['bw']:.2f}x "
              f"| {mib(r['lrss'])} | {r['lrss'] / r['bytes']:.2f}x | {mib(r['brss'])} |")
    print()
    print("| resources | load ms | graph ms | analyze ms | report ms |")
    print("|---:|---:|---:|---:|---:|")
    for r in rows:
        p = r["phases"]
        cells = " | ".join(f"{x:.1f}" for x in p) if p else "n/a | n/a | n/a | n/a"
        print(f"| {r['res']} | {cells} |")
    print()
    by_res = {r["res"]: r for r in rows}
    if 10000 in by_res and 100000 in by_res:
        a, b = by_res[10000], by_res[100000]
        print(f"Scaling 100k / 10k: istio-lint {b['lw'] / a['lw']:.1f}x, baseline {b['bw'] / a['bw']:.1f}x, "
              f"input {b['bytes'] / a['bytes']:.1f}x.\n")
    print("Targets:")
    worst_ratio = max(r["lw"] / r["bw"] for r in rows)
    print(f"- istio-lint <= 1.3x bare libyaml parse: worst {worst_ratio:.2f}x -> "
          f"{'met' if worst_ratio <= 1.3 else 'MISSED'}")
    if 10000 in by_res:
        w = by_res[10000]["lw"]
        print(f"- 10k resources under 0.5 s: {w:.3f} s -> {'met' if w < 0.5 else 'MISSED'}")
    if 10000 in by_res and 100000 in by_res:
        s = by_res[100000]["lw"] / by_res[10000]["lw"]
        print(f"- 100k within 12x of 10k: {s:.1f}x -> {'met' if s <= 12 else 'MISSED'}")
    worst_mem = max(r["lrss"] / r["bytes"] for r in rows)
    print(f"- peak memory under 10x input: worst {worst_mem:.2f}x -> {'met' if worst_mem < 10 else 'MISSED'}")
    for r in rows:
        if r["summary"]:
            print(f"\n`{os.path.basename(r['mesh'])}`: {r['summary']}")


if __name__ == "__main__":
    main()
