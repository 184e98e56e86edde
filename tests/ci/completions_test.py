#!/usr/bin/env python3
"""The shell completions (packaging/completions) offer every long option the CLI's --help lists
for `analyze`, `simulate`, `replay` and `serve`, each in that command's own list, so a new flag cannot be added
without its completion.

    completions_test.py ISTIO_LINT SOURCE_DIR
"""

import pathlib
import re
import subprocess
import sys


def help_options(binary, command):
    out = subprocess.run([binary, command, "--help"], capture_output=True, text=True, check=True).stdout
    options = set()
    for line in out.splitlines():
        m = re.match(r"^ {2}((?:-\w,)?--[\w-]+(?:,--[\w-]+)*)", line)
        if m:
            options.update(o for o in m.group(1).split(",") if o.startswith("--"))
    return options


def between(text, start, end, what):
    i = text.find(start)
    if i < 0:
        sys.exit(f"{what}: {start!r} not found; has the completion file's layout changed?")
    j = text.find(end, i + len(start))
    return text[i:j if j >= 0 else len(text)]


def bash_lists(text):
    """The words bash offers after `-` for analyze (the flags variable), simulate and replay."""
    analyze = re.search(r'local flags="([^"]*)"', text)
    if not analyze:
        sys.exit("istio-lint.bash: no `local flags=\"...\"`")
    simulate_block = between(text, "if [[ ${words[1]} == simulate ]]", "\n    return\n  fi", "istio-lint.bash")
    offered = [w for w in re.findall(r'compgen -W "([^"]*)"', simulate_block) if "--gateway" in w]
    if not offered:
        sys.exit("istio-lint.bash: no simulate option list")
    replay_block = between(text, "if [[ ${words[1]} == replay ]]", "\n    return\n  fi", "istio-lint.bash")
    replay = [w for w in re.findall(r'compgen -W "([^"]*)"', replay_block) if "--traffic" in w]
    if not replay:
        sys.exit("istio-lint.bash: no replay option list")
    serve_block = between(text, "if [[ ${words[1]} == serve ]]", "\n    return\n  fi", "istio-lint.bash")
    serve = [w for w in re.findall(r'compgen -W "([^"]*)"', serve_block) if "--upstream" in w]
    if not serve:
        sys.exit("istio-lint.bash: no serve option list")
    return {"analyze": analyze.group(1), "simulate": offered[0], "replay": replay[0], "serve": serve[0]}


def zsh_lists(text):
    """The _arguments specs zsh offers for simulate, replay and analyze (the last, default block)."""
    simulate = between(text, "if [[ $words[2] == simulate ]]", "return", "_istio-lint")
    replay = between(text, "if [[ $words[2] == replay ]]", "return", "_istio-lint")
    serve = between(text, "if [[ $words[2] == serve ]]", "return", "_istio-lint")
    analyze = text[text.rfind("_arguments -s"):]
    return {"analyze": analyze, "simulate": simulate, "replay": replay, "serve": serve}


def main():
    binary, source = sys.argv[1], pathlib.Path(sys.argv[2])
    completions = source / "packaging/completions"
    lists = {
        "istio-lint.bash": bash_lists((completions / "istio-lint.bash").read_text()),
        "_istio-lint": zsh_lists((completions / "_istio-lint").read_text()),
    }
    failures = []
    for command in ("analyze", "simulate", "replay", "serve"):
        options = help_options(binary, command)
        if len(options) < 8:
            failures.append(f"{command} --help: only {sorted(options)} found; has the help format changed?")
        for name, per_command in lists.items():
            for option in sorted(options):
                if not re.search(re.escape(option) + r"(?![\w-])", per_command[command]):
                    failures.append(f"{name}: the {command} completions do not offer {option}")
    for f in failures:
        print(f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
