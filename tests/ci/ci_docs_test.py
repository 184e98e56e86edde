#!/usr/bin/env python3
"""The recipes in docs/ci.md work: every `istio-lint` command line in its code blocks is run, in
document order, in a scratch git repository holding a copy of fixtures/golden/shop as
./manifests, with the built binary first on PATH. The pre-commit hook (.pre-commit-hooks.yaml with
the documented .pre-commit-config.yaml args) and the plain git hook (scripts/git-pre-commit-hook,
installed as the doc says and triggered by a real `git commit`) are exercised the same way.

Usage: ci_docs_test.py BINARY SOURCE_DIR
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

binary, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
if shutil.which("git") is None:
    print("SKIPPED: git is not installed; the docs/ci.md recipes need a git repository")
    sys.exit(77)
doc = open(os.path.join(source, "docs/ci.md"), encoding="utf-8").read()
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)


# Code blocks by section: {"GitHub Actions (...)": [block, ...]}.
sections = {}
for m in re.finditer(r"^## (.+?)\n(.*?)(?=^## |\Z)", doc, re.S | re.M):
    sections[m.group(1)] = re.findall(r"^```\w*\n(.*?)^```", m.group(2), re.S | re.M)


def section(prefix):
    for name, blocks in sections.items():
        if name.startswith(prefix):
            return blocks
    failures.append(f"docs/ci.md has no section starting with {prefix!r}")
    return []


def commands(blocks):
    out = []
    for block in blocks:
        for line in block.splitlines():
            s = line.strip()
            for prefix in ("- ", "run: ", "$ "):
                if s.startswith(prefix):
                    s = s[len(prefix):]
            if s.startswith("istio-lint "):
                out.append(s)
    return out


env = dict(os.environ, PATH=os.path.dirname(binary) + os.pathsep + os.environ.get("PATH", ""),
           GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
           GIT_COMMITTER_EMAIL="t@example.com", NO_COLOR="1")
env.pop("GIT_DIR", None)
env.pop("GIT_WORK_TREE", None)
ran = 0


def sh(cmd, cwd, **kw):
    return subprocess.run(["bash", "-c", cmd] if isinstance(cmd, str) else cmd, cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60, **kw)


def run_lint(cmd, cwd):
    """Runs one documented command line and checks what it promises."""
    global ran
    ran += 1
    p = sh(cmd, cwd)
    check(p.returncode in (0, 1), f"`{cmd}` exited {p.returncode}: {p.stderr}")
    args = shlex.split(cmd)
    for a in args:
        if a.startswith("sarif="):
            path = os.path.join(cwd, a[6:])
            log = json.load(open(path))
            check(log.get("version") == "2.1.0" and log["runs"][0]["tool"]["driver"]["name"] == "istio-lint",
                  f"`{cmd}`: {a[6:]} is not an istio-lint SARIF log")
        if a.startswith("junit="):
            root = ET.parse(os.path.join(cwd, a[6:])).getroot()
            check(root.tag == "testsuites" and root.find("testsuite") is not None, f"`{cmd}`: bad JUnit")
    if "--baseline" in args:
        check(p.returncode == 0, f"`{cmd}`: the baseline written just before must hide every finding")
        check("in the baseline not reported" in p.stderr, f"`{cmd}`: summary does not count baselined findings")
    elif "--write-baseline" in args:
        check(os.path.exists(os.path.join(cwd, args[args.index("--write-baseline") + 1])), f"`{cmd}`: no baseline")
    else:
        check(p.returncode == 1, f"`{cmd}` on the shop fixtures must fail (it has errors): {p.returncode}")
    if "--report-files" in args:
        listed = args[args.index("--report-files") + 1:]
        for line in p.stdout.splitlines():
            check(any(f in line for f in listed), f"`{cmd}` reported outside the listed files: {line}")
    return p


with tempfile.TemporaryDirectory(prefix="istio-lint-ci-docs-") as tmp:
    shutil.copytree(os.path.join(source, "fixtures/golden/shop"), os.path.join(tmp, "manifests"))
    for cmd in [["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "manifests"]]:
        p = sh(cmd, tmp)
        if p.returncode != 0:
            sys.exit(f"{' '.join(cmd)}: {p.stderr}")

    # GitHub Actions: the command runs, and the upload step reads the file it writes.
    gh = section("GitHub Actions")
    gh_cmds = commands(gh)
    check(len(gh_cmds) == 1, f"GitHub Actions: expected one istio-lint command, found {gh_cmds}")
    for cmd in gh_cmds:
        run_lint(cmd, tmp)
        sarif = [a[6:] for a in shlex.split(cmd) if a.startswith("sarif=")]
        check(sarif and any("github/codeql-action/upload-sarif" in b and f"sarif_file: {sarif[0]}" in b for b in gh),
              "GitHub Actions: upload-sarif must upload the file the command writes")

    # GitLab CI: the command runs, and the junit report artifact is the file it writes.
    gl = section("GitLab CI")
    gl_cmds = commands(gl)
    check(len(gl_cmds) == 1, f"GitLab CI: expected one istio-lint command, found {gl_cmds}")
    for cmd in gl_cmds:
        run_lint(cmd, tmp)
        junit = [a[6:] for a in shlex.split(cmd) if a.startswith("junit=")]
        check(junit and any(f"junit: {junit[0]}" in b for b in gl), "GitLab CI: reports:junit must be the JUnit file")

    # Baseline adoption: write, then the same findings pass.
    base_cmds = commands(section("Adopting"))
    check(len(base_cmds) == 2, f"baseline section: expected two commands, found {base_cmds}")
    for cmd in base_cmds:
        run_lint(cmd, tmp)
    os.remove(os.path.join(tmp, ".istio-lint-baseline.json"))

    # pre-commit: entry from .pre-commit-hooks.yaml, args and files from the documented config.
    hooks = open(os.path.join(source, ".pre-commit-hooks.yaml")).read()
    entry = re.search(r"^\s*entry:\s*(.+)$", hooks, re.M).group(1).strip()
    default_args = re.search(r"^\s*args:\s*\[(.*)\]$", hooks, re.M).group(1)
    check(re.search(r"^\s*pass_filenames:\s*true", hooks, re.M), ".pre-commit-hooks.yaml must pass file names")
    pc = "\n".join(section("pre-commit"))
    check("id: istio-lint" in pc, "pre-commit snippet does not use the istio-lint hook id")
    args = [a.strip() for a in re.search(r"args:\s*\[(.*)\]", pc).group(1).split(",")]
    check(args[-1] == "--report-files", "pre-commit args must end with --report-files")
    files_re = re.compile(re.search(r"files:\s*(\S+)", pc).group(1))
    changed = ["README.md", "manifests/storefront.yaml", "manifests/secrets.yaml", "other/values.yaml"]
    selected = [f for f in changed if files_re.search(f) and re.search(r"\.(ya?ml|json)$", f)]
    check(selected == ["manifests/storefront.yaml", "manifests/secrets.yaml"], f"pre-commit files: {selected}")
    p = run_lint(" ".join([entry] + args + selected), tmp)
    check("shop/storefront" in p.stdout, "pre-commit run does not report the changed storefront.yaml")
    clean = sh([entry] + args + ["manifests/secrets.yaml"], tmp)
    check(clean.returncode == 0 and clean.stdout == "", f"pre-commit on a clean file: {clean.returncode} {clean.stdout}")
    dflt = sh([entry] + [a.strip() for a in default_args.split(",")] + ["manifests/secrets.yaml"], tmp)
    check(dflt.returncode == 0, f"default hook args on a clean file exited {dflt.returncode}: {dflt.stdout}{dflt.stderr}")

    # Plain git hook: install it as documented, then commit a change that breaks and one that does not.
    hook_blocks = section("Plain git hook")
    os.makedirs(os.path.join(tmp, "scripts"))
    shutil.copy(os.path.join(source, "scripts/git-pre-commit-hook"), os.path.join(tmp, "scripts"))
    setup = [l for b in hook_blocks for l in b.splitlines() if l.startswith(("cp ", "git config"))]
    check(len(setup) == 2, f"plain git hook: expected the cp and git config lines, found {setup}")
    for line in setup:
        p = sh(line, tmp)
        check(p.returncode == 0, f"`{line}`: {p.stderr}")
    for cmd in commands(hook_blocks):
        run_lint(cmd, tmp)
    with open(os.path.join(tmp, "manifests/storefront.yaml"), "a") as f:
        f.write("# touched\n")
    sh(["git", "add", "manifests/storefront.yaml"], tmp)
    p = sh(["git", "commit", "-qm", "change storefront"], tmp)
    check(p.returncode != 0, "git hook let a commit with an error in storefront.yaml through")
    check("shop/storefront" in p.stdout + p.stderr, f"git hook output lacks the finding: {p.stdout}{p.stderr}")
    sh(["git", "reset", "-q"], tmp)
    sh(["git", "checkout", "-q", "--", "manifests/storefront.yaml"], tmp)
    with open(os.path.join(tmp, "manifests/secrets.yaml"), "a") as f:
        f.write("# touched\n")
    sh(["git", "add", "manifests/secrets.yaml"], tmp)
    p = sh(["git", "commit", "-qm", "change secrets"], tmp)
    check(p.returncode == 0, f"git hook blocked a clean commit: {p.stdout}{p.stderr}")

check(ran >= 6, f"only {ran} documented command lines ran")
if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"ci docs: {ran} documented istio-lint command lines and both hooks work")
