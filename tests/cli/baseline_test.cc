// --baseline / --write-baseline, --report-files and inline suppression comments, end to end.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cli/finding_key.h"
#include "tests/test_util.h"

namespace istio_lint::cli {
namespace {

using istio_lint::testing::readAll;
using istio_lint::testing::runLint;
using istio_lint::testing::TempDir;

constexpr std::string_view kVs = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  hosts: [web.example.com]
  gateways: [missing-gw]
  http:
  - route: [{destination: {host: nowhere}}]
)";

TEST_CASE("normalizeMessage drops positions only") {
  CHECK(normalizeMessage("declared again at a/b.yaml:12; x") == "declared again at a/b.yaml; x");
  CHECK(normalizeMessage("at x.yml:3:14 and y.JSON:2") == "at x.yml and y.JSON");
  CHECK(normalizeMessage("error at line 12, column 3") == "error at line , column ");
  CHECK(normalizeMessage("port 8080:9090 in ports [80 443]") == "port 8080:9090 in ports [80 443]");
}

TEST_CASE("baseline: line shifts still match, new findings fail, counts matter") {
  TempDir tmp;
  std::string file = tmp.write("m/vs.yaml", kVs);
  std::string base = tmp / "baseline.json";
  auto w = runLint({"-A", tmp / "m", "--write-baseline", base, "-o", "json"});
  REQUIRE(w.exit_code == 1);
  size_t findings = nlohmann::json::parse(w.out).size();
  REQUIRE(findings == 2);
  CHECK(w.err.find("baseline written to " + base) != std::string::npos);
  auto written = nlohmann::json::parse(readAll(base));
  CHECK(written["istioLintBaseline"] == 1);
  CHECK(written["findings"].size() == 2);
  CHECK(written["findings"][0]["subject"] == "VirtualService shop/web");

  // Same findings, moved down by three lines: nothing new, exit 0, the summary counts them.
  tmp.write("m/vs.yaml", "# a comment\n\n\n" + std::string(kVs));
  auto same = runLint({"-A", tmp / "m", "--baseline", base, "--color", "never"});
  CHECK(same.exit_code == 0);
  CHECK(same.out.empty());
  CHECK(same.err.find("; 2 finding(s) in the baseline not reported") != std::string::npos);

  // A second copy of the resource in another namespace is new; so is a second identical finding.
  std::string vs2(kVs);
  vs2.replace(vs2.find("namespace: shop"), 15, "namespace: blog");
  tmp.write("m/vs2.yaml", vs2);
  auto more = runLint({"-A", tmp / "m", "--baseline", base, "-o", "json"});
  CHECK(more.exit_code == 1);
  auto j = nlohmann::json::parse(more.out);
  REQUIRE(j.size() == 2);
  CHECK(j[0]["origin"] == "VirtualService blog/web");
  CHECK(more.err.find("; 2 finding(s) in the baseline not reported") != std::string::npos);
}

TEST_CASE("baseline: unreadable or foreign files are usage errors") {
  TempDir tmp;
  tmp.write("m/vs.yaml", kVs);
  auto missing = runLint({"-A", tmp / "m", "--baseline", tmp / "nope.json"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("cannot read baseline") != std::string::npos);
  auto foreign = runLint({"-A", tmp / "m", "--baseline", tmp.write("x.json", "[1, 2]")});
  CHECK(foreign.exit_code == 2);
  CHECK(foreign.err.find("is not an istio-lint baseline") != std::string::npos);
}

TEST_CASE("--report-files: context from every input, findings from the listed files only") {
  // The gateway file declares the Gateway that vs.yaml needs: with it loaded for context, vs.yaml
  // has only its host problem; findings in other.yaml are not reported.
  TempDir tmp;
  std::string gw = tmp.write("m/gw.yaml", R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: missing-gw, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*"]
)");
  std::string vs = tmp.write("m/vs.yaml", kVs);
  std::string other(kVs);
  other.replace(other.find("name: web"), 9, "name: xyz");
  tmp.write("m/other.yaml", other);
  auto all = runLint({"-A", tmp / "m", "-o", "json"});
  CHECK(nlohmann::json::parse(all.out).size() == 2);
  auto r = runLint({"-A", tmp / "m", "-o", "json", "--report-files", tmp / "m/./vs.yaml"});
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["origin"] == "VirtualService shop/web");
  CHECK(j[0]["message"].get<std::string>().find("nowhere") != std::string::npos);
  CHECK(r.err.find("reported for 1 listed file(s)") != std::string::npos);
  auto clean = runLint({"-A", tmp / "m", "--report-files", gw});
  CHECK(clean.exit_code == 0);
  // Without paths the listed files are the input.
  auto alone = runLint({"-A", "-o", "json", "--report-files", vs});
  CHECK(nlohmann::json::parse(alone.out).size() == 2);
  auto typo = runLint({"-A", tmp / "m", "--report-files", tmp / "m/nope.yaml"});
  CHECK(typo.exit_code == 2);
  CHECK(typo.err.find("--report-files") != std::string::npos);
}

TEST_CASE("inline suppression comments silence findings; a missing reason is an Info") {
  TempDir tmp;
  std::string vs(kVs);
  vs.replace(vs.find("[missing-gw]"), 12, "[missing-gw]  # istio-lint: ignore=IST0101 reason=\"platform repo\"");
  tmp.write("vs.yaml", vs);
  auto r = runLint({"-A", tmp / "vs.yaml", "-o", "json"});
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["message"].get<std::string>().find("nowhere") != std::string::npos);

  tmp.write("vs.yaml", "# istio-lint: ignore=IST0101\n" + std::string(kVs));
  auto doc = runLint({"-A", tmp / "vs.yaml", "-o", "json"});
  CHECK(doc.exit_code == 0);  // both IST0101 suppressed; the Info does not fail the run
  auto d = nlohmann::json::parse(doc.out);
  REQUIRE(d.size() == 1);
  CHECK(d[0]["code"] == "IL0050");
  CHECK(d[0]["level"] == "Info");
  CHECK(d[0]["line"] == 1);
}

}  // namespace
}  // namespace istio_lint::cli
