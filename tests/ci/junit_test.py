#!/usr/bin/env python3
"""`istio-lint -o junit` is well-formed JUnit XML that a real consumer parses, with the right counts.

Usage: junit_test.py BINARY SOURCE_DIR. Parses the report with Python's xml.etree and checks:
testsuites/testsuite/testcase/failure structure, a testsuite per analyzer that ran, a testcase per
(analyzer, resource), one <failure> per finding of `-o json` from the same run, and the tests /
failures attributes against the elements actually present.
"""
import json
import os
import sys
import tempfile
import xml.etree.ElementTree as ET

from report_checks import ReportChecks

binary, source = sys.argv[1], sys.argv[2]
checks = ReportChecks(binary, source)
check, run = checks.check, checks.run

analyzers = {l.split()[1].rstrip(":") for l in run(["--list-analyzers"]).stdout.splitlines() if l.startswith("* ")}
check(len(analyzers) > 10, f"--list-analyzers gave {analyzers}")

cases = [["-A", "fixtures/golden/shop"], ["-A", "fixtures/input/LoadAnalyzer"],
         ["-A", "fixtures/golden/shop", "-a", "virtualservice.GatewayAnalyzer"]]
total_failures = 0
with tempfile.TemporaryDirectory() as tmp:
    for args in cases:
        name = " ".join(args)
        out = os.path.join(tmp, "report.xml")
        # Several outputs in one run: JSON on stdout, JUnit in a file.
        p = run(args + ["-o", "json", "-o", f"junit={out}"])
        findings = json.loads(p.stdout)
        root = ET.parse(out).getroot()
        check(root.tag == "testsuites", f"{name}: root is {root.tag}")
        suites = root.findall("testsuite")
        check(suites, f"{name}: no testsuite")
        cases_ = [c for s in suites for c in s.findall("testcase")]
        fails = [f for c in cases_ for f in c.findall("failure")]
        check(all(child.tag == "testsuite" for child in root), f"{name}: unexpected child of testsuites")
        check(int(root.get("tests")) == len(cases_), f"{name}: tests={root.get('tests')} but {len(cases_)} testcases")
        failed_cases = [c for c in cases_ if c.find("failure") is not None]
        check(int(root.get("failures")) == len(failed_cases), f"{name}: failures attribute")
        for s in suites:
            sc = s.findall("testcase")
            check(int(s.get("tests")) == len(sc), f"{name}: suite {s.get('name')} tests attribute")
            check(int(s.get("failures")) == sum(1 for c in sc if c.find("failure") is not None),
                  f"{name}: suite {s.get('name')} failures attribute")
            check(s.get("name") in analyzers, f"{name}: suite {s.get('name')} is not an analyzer")
            names = [c.get("name") for c in sc]
            check(len(names) == len(set(names)), f"{name}: duplicate testcases in {s.get('name')}")
            for c in sc:
                check(c.get("classname") == s.get("name"), f"{name}: classname {c.get('classname')}")
        check(len(fails) == len(findings), f"{name}: {len(fails)} failures for {len(findings)} findings")
        expected = sorted((f["analyzer"], f.get("origin") or f.get("file"), f["code"], f["message"]) for f in findings)
        actual = sorted((s.get("name"), c.get("name"), f.get("type"), f.get("message"))
                        for s in suites for c in s.findall("testcase") for f in c.findall("failure"))
        check(expected == actual, f"{name}: failures differ from findings:\n{expected}\n{actual}")
        total_failures += len(fails)
        if "-a" in args:
            check([s.get("name") for s in suites] == [args[args.index("-a") + 1]] or
                  {s.get("name") for s in suites} == {"input.LoadAnalyzer", args[args.index("-a") + 1]},
                  f"{name}: suites {[s.get('name') for s in suites]}")
        else:
            vs = [c.get("name") for s in suites if s.get("name") == "virtualservice.GatewayAnalyzer" for c in s]
            if "shop" in name:
                check("VirtualService shop/storefront" in vs, f"{name}: no testcase for shop/storefront: {vs}")
check(total_failures > 5, f"only {total_failures} failures over all cases")
checks.finish(f"junit: {len(cases)} reports parsed, {total_failures} failures checked")
