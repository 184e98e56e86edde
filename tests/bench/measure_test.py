#!/usr/bin/env python3
"""bench/measure.py's run scheduling, with a stand-in for running a command: istio-lint and the
baseline run in turns, fast commands are repeated until each has run --min-seconds (and get the
same number of runs), slow ones stop at --budget, and nothing runs more than max_runs times.

Usage: measure_test.py PROJECT_SOURCE_DIR
"""
import importlib.util
import os
import sys

spec = importlib.util.spec_from_file_location("measure", os.path.join(sys.argv[1], "bench", "measure.py"))
measure = importlib.util.module_from_spec(spec)
spec.loader.exec_module(measure)

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def schedule(walls, runs, budget, min_seconds, max_runs=1000):
    """Runs repeat_interleaved with commands that 'take' walls[c] seconds; returns the order of
    the runs and the summaries."""
    order = []

    def fake_run_once(cmd):
        order.append(cmd[0])
        return dict(wall=walls[cmd[0]], cpu=walls[cmd[0]], rss=1, err="")

    measure.run_once = fake_run_once
    cmds = [[name] for name in walls]
    return order, measure.repeat_interleaved(cmds, runs, budget, min_seconds, max_runs)


# Fast commands: repeated until each has run min_seconds, in turns, the same count each.
order, (a, b) = schedule({"base": 0.02, "lint": 0.025}, runs=5, budget=120, min_seconds=1.0)
check(a["runs"] == b["runs"], f"fast commands ran {a['runs']} and {b['runs']} times; expected equal counts")
# The 20 ms one needs 50 runs to reach 1 s; the other gets as many.
check(a["runs"] == 50, f"a 20 ms command ran {a['runs']} times; 50 runs reach min_seconds (1 s)")
check(order[:4] == ["base", "lint", "lint", "base"], f"not in turns: {order[:4]}")

# Slow commands: `runs` runs, no more (min_seconds is already reached).
order, (a, b) = schedule({"base": 0.5, "lint": 0.6}, runs=3, budget=120, min_seconds=1.0)
check((a["runs"], b["runs"]) == (3, 3), f"slow commands ran {a['runs']}/{b['runs']} times; expected 3/3")

# Budget: a command stops being repeated once it has spent it, but always runs once.
order, (a, b) = schedule({"base": 0.5, "lint": 5.0}, runs=9, budget=10, min_seconds=0)
check(b["runs"] == 2, f"a 5 s command with a 10 s budget ran {b['runs']} times; expected 2")
check(a["runs"] == 9, f"the fast one ran {a['runs']} times; expected 9")
order, (a,) = schedule({"lint": 50.0}, runs=5, budget=10, min_seconds=0)
check(a["runs"] == 1, f"a command over budget ran {a['runs']} times; expected once")

# max_runs caps the repetition of a command that takes no time.
order, (a, b) = schedule({"base": 0.0, "lint": 0.0}, runs=5, budget=120, min_seconds=1.0, max_runs=50)
check((a["runs"], b["runs"]) == (50, 50), f"instant commands ran {a['runs']}/{b['runs']} times; expected 50/50")

if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok: bench/measure.py schedules runs as documented")
