#!/usr/bin/env python3
"""Writes the istio-lint(1) man page (gzip-compressed roff) from the binary's own help and the
rule pages, so the page never drifts from the program.

Usage: gen-manpage.py BINARY DOCS_RULES_DIR OUT.1.gz

Sources: `istio-lint --help` (commands), `istio-lint analyze --help` (options), `istio-lint
--version`, and for each code the "What it does" paragraph of docs/rules/<CODE>-*.md.
"""
import gzip
import os
import re
import subprocess
import sys

binary, docs, out = sys.argv[1:4]


def run(*args):
    return subprocess.run([binary, *args], capture_output=True, text=True, check=True).stdout


def esc(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text.startswith((".", "'")) else text


def first_paragraph(md, heading):
    m = re.search(r"^## " + re.escape(heading) + r"\n(.*?)(?=^## |\Z)", md, re.S | re.M)
    if not m:
        return ""
    para = []
    for line in m.group(1).strip().splitlines():
        if not line.strip():
            break
        para.append(line.strip())
    text = " ".join(para)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"\*\*([^*]*)\*\*", r"\1", text)
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)


version = run("--version").split()[-1]
usage = run("--help")
analyze = run("analyze", "--help")

lines = [
    '.TH ISTIO-LINT 1 "" "istio-lint %s" "User Commands"' % version,
    ".SH NAME",
    "istio\\-lint \\- offline analyzer for Istio configuration",
    ".SH SYNOPSIS",
    ".B istio\\-lint",
    "[\\fBanalyze\\fR] [\\fIFLAGS\\fR] \\fIPATH\\fR...",
    ".br",
    ".B istio\\-lint",
    "\\fICOMMAND\\fR [\\fIARGS\\fR]",
    ".SH DESCRIPTION",
    "istio\\-lint reads Kubernetes and Istio manifests (files, directories, or \\- for standard input),",
    "builds one mesh graph and reports configuration problems with file, line and column, without a",
    "cluster. Its checks follow \\fBistioctl analyze\\fR where istioctl has them (IST codes) and add",
    "istio\\-lint's own (IL codes).",
    ".SH COMMANDS",
    ".nf",
]
section = None
for line in usage.splitlines():
    if line.endswith(":") and not line.startswith(" "):
        section = line[:-1]
        continue
    if section == "Commands" and line.strip():
        lines.append(esc(line.strip()))
lines += [".fi", ".SH OPTIONS", "Options of \\fBistio\\-lint analyze\\fR (the default command):", ".PP", ".nf"]
in_options = False
for line in analyze.splitlines():
    if line.strip().startswith(("OPTIONS:", "Options:", "POSITIONALS:", "Positionals:")):
        in_options = True
    if in_options:
        lines.append(esc(line.rstrip()))
lines += [".fi", ".SH EXAMPLES", ".nf"]
in_examples = False
for line in usage.splitlines():
    if line.startswith("Examples:"):
        in_examples = True
        continue
    if in_examples and line.strip():
        lines.append(esc(line.strip()))
    elif in_examples and not line.strip() and len(lines) and lines[-1] != ".nf":
        break
lines += [
    ".fi",
    ".SH EXIT STATUS",
    ".TP",
    ".B 0",
    "No finding at or above the failure threshold (\\-\\-failure\\-threshold, default Error).",
    ".TP",
    ".B 1",
    "Findings at or above the failure threshold (after \\-S, comments and \\-\\-baseline).",
    ".TP",
    ".B 2",
    "Could not run: a bad flag, a missing path or an unreadable baseline.",
    ".SH SUPPRESSING FINDINGS",
    "A YAML comment \\fB# istio\\-lint: ignore=CODE[,CODE...] reason=\"...\"\\fR at the end of a line",
    "suppresses those codes on that line; on its own line, on the next line; before the first line",
    "of a document, in the whole document. The annotation \\fBgalley.istio.io/analyze\\-suppress\\fR,",
    "\\fB\\-S CODE=RESOURCE\\fR and \\fB\\-\\-baseline FILE\\fR work as well.",
    ".SH RULES",
    "Each code below has a full page: \\fBistio\\-lint explain CODE\\fR.",
]
for name in sorted(os.listdir(docs)):
    m = re.match(r"((?:IST|IL)\d+)-.*\.md$", name)
    if not m:
        continue
    md = open(os.path.join(docs, name), encoding="utf-8").read()
    title = md.splitlines()[0].lstrip("# ").strip()
    level = re.search(r"^- Level: (\w+)", md, re.M)
    lines += [".TP", "\\fB%s\\fR (%s)" % (esc(title), level.group(1) if level else "")]
    lines.append(esc(first_paragraph(md, "What it does")))
lines += [
    ".SH SEE ALSO",
    "\\fBistioctl\\fR(1), docs/ci.md for CI and pre\\-commit recipes.",
    "",
]
os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
with open(out, "wb") as raw:
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write("\n".join(lines).encode("utf-8"))
