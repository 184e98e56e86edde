#!/usr/bin/env python3
"""`istio-lint -o sarif` validates against the SARIF 2.1.0 JSON schema and says what it should.

Usage: sarif_test.py BINARY SOURCE_DIR. Runs the binary on fixture directories (findings with and
without resources, with notes, input problems), validates every log with jsonschema against
tests/data/sarif-schema-2.1.0.json, and checks the content against `-o json` of the same run.
"""
import copy
import json
import sys

import jsonschema

from report_checks import ReportChecks

binary, source = sys.argv[1], sys.argv[2]
checks = ReportChecks(binary, source)
check, run = checks.check, checks.run
schema = json.load(open("tests/data/sarif-schema-2.1.0.json"))
validator_cls = jsonschema.validators.validator_for(schema)
validator_cls.check_schema(schema)
validator = validator_cls(schema, format_checker=jsonschema.FormatChecker())

codes = []
for line in run(["rules"]).stdout.splitlines():
    parts = line.split()
    if line.startswith("    ") and parts and parts[0][:2] in ("IL", "IS"):
        codes.append(parts[0])
codes = sorted(set(codes))
check(len(codes) > 10, f"`istio-lint rules` listed only {codes}")

cases = [["-A", "fixtures/golden/shop"], ["-A", "fixtures/input/LoadAnalyzer"], ["-A", "fixtures/seed"]]
total_results = 0
for args in cases:
    sarif = json.loads(run(args + ["-o", "sarif"]).stdout)
    findings = json.loads(run(args + ["-o", "json"]).stdout)
    name = " ".join(args)
    errors = sorted(validator.iter_errors(sarif), key=lambda e: list(e.path))
    for e in errors[:10]:
        failures.append(f"{name}: schema: {e.message} at {list(e.absolute_path)}")
    check(sarif["version"] == "2.1.0", f"{name}: version")
    (run_,) = sarif["runs"]
    rules = run_["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    check(sorted(ids) == sorted(set(ids)), f"{name}: duplicate rule ids")
    check(set(codes) <= set(ids), f"{name}: rules missing {sorted(set(codes) - set(ids))}")
    for r in rules:
        check(r["help"]["text"].strip() and r["fullDescription"]["text"].strip(), f"{name}: rule {r['id']} has no help")
        check("docs/rules/" + r["id"] in r["properties"]["documentation"], f"{name}: rule {r['id']} documentation link")
        if r["id"].startswith("IST"):
            check(r.get("helpUri", "").startswith("https://istio.io/"), f"{name}: rule {r['id']} helpUri")
    results = run_["results"]
    total_results += len(results)
    check(len(results) == len(findings), f"{name}: {len(results)} results for {len(findings)} findings")
    level = {"Error": "error", "Warning": "warning", "Info": "note"}
    for res, f in zip(results, findings):
        check(res["ruleId"] == f["code"], f"{name}: ruleId {res['ruleId']} != {f['code']}")
        check(rules[res["ruleIndex"]]["id"] == res["ruleId"], f"{name}: ruleIndex of {res['ruleId']}")
        check(res["level"] == level[f["level"]], f"{name}: level of {f['code']}")
        check(res["message"]["text"] == f["message"], f"{name}: message of {f['code']}")
        if "file" in f:
            loc = res["locations"][0]["physicalLocation"]
            check(loc["artifactLocation"]["uri"] == f["file"].removeprefix("./"), f"{name}: uri {loc}")
            if f["line"]:
                check(loc["region"]["startLine"] == f["line"], f"{name}: line of {f['code']}")
                check(loc["region"].get("startColumn") == (f["column"] or None), f"{name}: column of {f['code']}")
        if "origin" in f:
            check(res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == f["origin"], f"{name}: origin")

    # The validator is not vacuous: a broken log must fail.
    if results:
        broken = copy.deepcopy(sarif)
        broken["runs"][0]["results"][0]["level"] = "fatal"
        check(any(True for _ in validator.iter_errors(broken)), f"{name}: schema accepted level 'fatal'")

check(total_results > 5, f"only {total_results} results over all cases")
checks.finish(f"sarif: {len(cases)} logs valid against SARIF 2.1.0, {total_results} results checked")
