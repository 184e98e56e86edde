#!/usr/bin/env python3
"""Times istio-lint against the bare libyaml baseline on generated meshes; prints a markdown report.

    bench/measure.py --lint build-bench/istio-lint --baseline build-bench/bench/yaml_parse_baseline \\
        --runs 5 bench/out/mesh-1000 bench/out/mesh-10000 ...

Each command runs under GNU time (/usr/bin/time, Debian package `time`): wall time is measured
here around it (GNU time adds about a millisecond), CPU time (user + system) and peak RSS (%M) come
from GNU time. A child forked straight from this Python process would report at least Python's
own footprint as its peak RSS, since Linux keeps ru_maxrss across exec.

The machine may be shared, so every figure is the best (smallest) of --runs runs, and the median
wall time is printed next to it as a measure of the noise. istio-lint and the baseline run in
turns, so that the ratio between them compares runs taken in the same seconds. Fast commands are
repeated, in turns, until each has run --min-seconds in total (the 1k mesh: ~100 runs each); a
command that is slow stops being repeated once --budget seconds have been spent on it (it always
runs at least once). The table says how many runs each row got.
"""

import argparse
import datetime
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

TIME = "/usr/bin/time"
TIMING = re.compile(r"timing: load ([\d.]+) ms, graph ([\d.]+) ms, analyze ([\d.]+) ms, report ([\d.]+) ms")
MEMORY = re.compile(r"memory: peak resident ([\d.]+) MiB, private ([\d.]+) MiB")


def run_once(cmd):
    """Returns dict(wall, cpu, rss, err) for one run of cmd, stdout discarded."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as time_file, \
            tempfile.TemporaryFile() as err_file:
        full = [TIME, "-f", "%U %S %M", "-o", time_file.name] + cmd
        t0 = time.perf_counter()
        subprocess.run(full, stdout=subprocess.DEVNULL, stderr=err_file)
        wall = time.perf_counter() - t0
        err_file.seek(0)
        err = err_file.read().decode(errors="replace")
        lines = [l for l in time_file.read().splitlines() if l.strip()]
    if not lines or lines[0].startswith("Command terminated by signal"):
        sys.exit(f"{' '.join(cmd)} failed: {' '.join(lines)}\n{err}")
    user, system, rss_kb = lines[-1].split()
    return dict(wall=wall, cpu=float(user) + float(system), rss=int(rss_kb) * 1024, err=err)


def summarize(results):
    """The fastest wall time, the median, the least CPU, the largest RSS of a command's runs."""
    walls = [r["wall"] for r in results]
    fastest = min(results, key=lambda r: r["wall"])
    return dict(wall=fastest["wall"], median=statistics.median(walls), cpu=min(r["cpu"] for r in results),
                rss=max(r["rss"] for r in results), runs=len(results), err=fastest["err"])


def repeat(cmd, runs, budget):
    results, spent = [], 0.0
    while len(results) < runs and (not results or spent < budget):
        r = run_once(cmd)
        results.append(r)
        spent += r["wall"]
    return summarize(results)


def repeat_interleaved(cmds, runs, budget, min_seconds=0.0, max_runs=1000):
    """Like repeat() for several commands, run in turns (a, b, b, a, a, b, ...) so that a change in
    the machine's load during the measurement reaches every command alike. Commands so fast that
    `runs` runs take less than `min_seconds` each are repeated, still in turns, until they have
    (at most `max_runs` runs): on a shared machine a 25 ms command needs many more tries than a 2 s
    one to meet a quiet moment, and the baseline gets exactly as many as istio-lint."""
    results = [[] for _ in cmds]
    spent = [0.0 for _ in cmds]
    i = 0
    while i < max_runs and (i < runs or min(spent) < min_seconds):
        order = range(len(cmds)) if i % 2 == 0 else reversed(range(len(cmds)))
        ran = False
        for c in order:
            if results[c] and spent[c] >= budget:
                continue
            r = run_once(cmds[c])
            results[c].append(r)
            spent[c] += r["wall"]
            ran = True
        if not ran:
            break
        i += 1
    return [summarize(rs) for rs in results]


def input_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            if name.lower().endswith((".yaml", ".yml", ".json")):
                total += os.path.getsize(os.path.join(root, name))
    return total


def count(path):
    """(resources, files): documents are counted by their top-level `kind:` line."""
    docs = files = 0
    for root, _, names in os.walk(path):
        for name in names:
            if name.lower().endswith((".yaml", ".yml", ".json")):
                files += 1
                with open(os.path.join(root, name), "rb") as f:
                    docs += sum(1 for line in f if line.startswith(b"kind: "))
    return docs, files


def secs(s):
    return f"{s:.3f}" if s < 10 else f"{s:.1f}"


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
    ap.add_argument("--budget", type=float, default=120.0,
                    help="seconds after which a command is not repeated any more")
    ap.add_argument("--min-seconds", type=float, default=3.0,
                    help="repeat fast commands (in turns) until each has run this long in total")
    ap.add_argument("meshes", nargs="+")
    args = ap.parse_args()

    # Fixed cost: istio-lint on an empty directory (start-up, static data, shared libraries).
    with tempfile.TemporaryDirectory() as empty:
        startup = repeat([args.lint, "-A", empty, "-o", "json"], args.runs, args.budget)

    rows = []
    for mesh in args.meshes:
        lint_cmd = [args.lint, "-A", mesh, "-o", "json"]
        base_cmd = [args.baseline, mesh]
        size = input_bytes(mesh)
        resources, files = count(mesh)
        base, lint = repeat_interleaved([base_cmd, lint_cmd], args.runs, args.budget, args.min_seconds)
        # Phase breakdown: the fastest of a few --timing runs.
        timing = repeat(lint_cmd + ["--timing"], max(3, args.runs // 2), args.budget / 2)
        m = TIMING.search(timing["err"])
        phases = [float(x) for x in m.groups()] if m else None
        mem = MEMORY.search(timing["err"])
        private = float(mem.group(2)) * 2**20 if mem else None
        summary = next((l for l in lint["err"].splitlines() if " resource(s) from " in l), "")
        rows.append(dict(mesh=mesh, res=resources, files=files, bytes=size, lint=lint, base=base,
                         phases=phases, private=private, summary=summary))
        print(f"measured {mesh}: istio-lint {lint['wall']:.3f}s (cpu {lint['cpu']:.2f}s, {lint['runs']} runs), "
              f"baseline {base['wall']:.3f}s (cpu {base['cpu']:.2f}s)", file=sys.stderr)

    print(f"Measured {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} CPUs "
          f"({cpu_model()}); load average before the run: {os.getloadavg()[0]:.1f}.\n")
    print("| resources | files | input MiB | istio-lint wall s | baseline wall s | istio-lint / baseline "
          "| istio-lint CPU s | baseline CPU s | istio-lint peak RSS MiB | peak RSS / input "
          "| private MiB | private / input |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        l, b = r["lint"], r["base"]
        print(f"| {r['res']} | {r['files']} | {mib(r['bytes'])} "
              f"| {secs(l['wall'])} (median {secs(l['median'])}, {l['runs']} runs) "
              f"| {secs(b['wall'])} (median {secs(b['median'])}, {b['runs']} runs) "
              f"| {l['wall'] / b['wall']:.2f}x | {l['cpu']:.2f} | {b['cpu']:.2f} "
              f"| {mib(l['rss'])} | {l['rss'] / r['bytes']:.2f}x "
              + (f"| {mib(r['private'])} | {r['private'] / r['bytes']:.2f}x |" if r["private"] else "| n/a | n/a |"))
    print()
    print(f"On an empty directory istio-lint takes {startup['wall'] * 1000:.0f} ms and "
          f"{mib(startup['rss'])} MiB peak RSS: start-up and shared libraries, paid whatever the input.\n")
    print("Phases of one `istio-lint -A DIR -o json --timing` run (the fastest of a few), in ms:\n")
    print("| resources | load | graph | analyze | report |")
    print("|---:|---:|---:|---:|---:|")
    for r in rows:
        p = r["phases"]
        cells = " | ".join(f"{x:.0f}" for x in p) if p else "n/a | n/a | n/a | n/a"
        print(f"| {r['res']} | {cells} |")
    print()
    by_res = {r["res"]: r for r in rows}
    small, big = by_res.get(10000), by_res.get(100000)
    if small and big:
        print(f"Scaling 100k / 10k: istio-lint {big['lint']['wall'] / small['lint']['wall']:.1f}x wall, "
              f"baseline {big['base']['wall'] / small['base']['wall']:.1f}x, "
              f"input {big['bytes'] / small['bytes']:.1f}x.\n")
    print("Targets:\n")
    worst = max(rows, key=lambda r: r["lint"]["wall"] / r["base"]["wall"])
    ratio = worst["lint"]["wall"] / worst["base"]["wall"]
    print(f"- wall time at most 1.3x a single-threaded bare libyaml parse: worst {ratio:.2f}x "
          f"({worst['res']} resources) -> {'met' if ratio <= 1.3 else 'missed'}")
    if small:
        w = small["lint"]["wall"]
        print(f"- 10k resources under 0.5 s: {w:.3f} s -> {'met' if w < 0.5 else 'missed'}")
    if small and big:
        s = big["lint"]["wall"] / small["lint"]["wall"]
        print(f"- 100k within 12x of 10k: {s:.1f}x -> {'met' if s <= 12 else 'missed'}")
    worst_mem = max(rows, key=lambda r: r["lint"]["rss"] / r["bytes"])
    m = worst_mem["lint"]["rss"] / worst_mem["bytes"]
    print(f"- peak memory under 10x the input: worst {m:.2f}x ({worst_mem['res']} resources) -> "
          f"{'met' if m < 10 else 'missed'}")
    with_private = [r for r in rows if r["private"]]
    if with_private:
        worst_private = max(with_private, key=lambda r: r["private"] / r["bytes"])
        p = worst_private["private"] / worst_private["bytes"]
        print(f"  (private memory, without the shared libraries' resident code: worst {p:.2f}x, "
              f"{worst_private['res']} resources)")
    print()
    for r in rows:
        if r["summary"]:
            print(f"- `{os.path.basename(r['mesh'])}`: {r['summary']}")


if __name__ == "__main__":
    main()
