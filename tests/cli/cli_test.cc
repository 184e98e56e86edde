// The istio-lint binary end to end: exit codes, output formats, thresholds, suppression, explain.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <iterator>
#include <regex>

#include "tests/cli/run_checks.h"
#include "tests/test_util.h"

namespace istio_lint::cli {
namespace {

using istio_lint::testing::checkRan;
using istio_lint::testing::RunResult;
using istio_lint::testing::runLint;
using istio_lint::testing::TempDir;

constexpr std::string_view kReviews = R"(apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: default}
spec:
  ports:
  - port: 9080
    name: http
)";

/// A VirtualService that routes to a Service that exists: no findings.
constexpr std::string_view kClean = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews}
)";

/// An Error: the destination host does not exist (IST0101 at line 9, column 34).
constexpr std::string_view kError = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: broken
  namespace: default
spec:
  hosts: [reviews]
  http:
  - route: [{destination: {host: nowhere}}]
)";

/// Only a Warning: the gateway accepts none of the VirtualService's hosts (IST0132).
constexpr std::string_view kWarning = R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [a.example.com]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: default}
spec:
  hosts: [b.example.com]
  gateways: [gw]
  http:
  - route:
    - destination: {host: reviews}
)";

struct Files {
  TempDir dir;
  std::string reviews = dir.write("reviews.yaml", kReviews);
  std::string clean = dir.write("clean.yaml", kClean);
  std::string error = dir.write("error.yaml", kError);
  std::string warning = dir.write("warning.yaml", kWarning);
};

int exitOf(const std::vector<std::string>& args) {
  RunResult r = runLint(args);
  checkRan(r);
  return r.exit_code;
}

const std::vector<std::string> kFormats{"text", "json", "yaml"};

TEST_CASE("exit codes are the same for every output format") {
  Files f;
  for (const std::string& fmt : kFormats) {
    CAPTURE(fmt);
    CHECK(exitOf({f.reviews, f.clean, "-o", fmt}) == 0);
    CHECK(exitOf({"analyze", f.reviews, f.clean, "-o", fmt}) == 0);
    CHECK(exitOf({f.reviews, f.error, "-o", fmt}) == 1);
    CHECK(exitOf({f.reviews, f.warning, "-o", fmt}) == 0);  // default threshold is Error
    CHECK(exitOf({f.reviews, f.warning, "-o", fmt, "--failure-threshold", "Warning"}) == 1);
    CHECK(exitOf({f.reviews, f.warning, "-o", fmt, "--failure-threshold", "warning"}) == 1);
    CHECK(exitOf({f.reviews, f.error, "-o", fmt, "--failure-threshold", "Info"}) == 1);
    CHECK(exitOf({f.reviews, f.clean, "-o", fmt, "--failure-threshold", "Info"}) == 0);
    // Usage errors.
    CHECK(exitOf({f.reviews, "-o", fmt, "--no-such-flag"}) == 2);
    CHECK(exitOf({f.reviews, "-o", fmt, f.dir / "missing.yaml"}) == 2);
    CHECK(exitOf({f.reviews, "-o", fmt, "--failure-threshold", "Fatal"}) == 2);
    CHECK(exitOf({f.reviews, "-o", fmt, "-S", "no-equals-sign"}) == 2);
  }
  CHECK(exitOf({f.reviews, "-o", "xml"}) == 2);
  CHECK(exitOf({"-o", "json"}) == 2);  // no input at all
  CHECK(exitOf({}) == 2);
  CHECK(exitOf({"--help"}) == 0);
  CHECK(exitOf({"--version"}) == 0);
}

TEST_CASE("a directory and stdin are inputs too") {
  Files f;
  CHECK(exitOf({f.dir.path().string()}) == 1);  // the directory holds error.yaml
  TempDir clean;
  clean.write("a/reviews.yaml", kReviews);
  clean.write("b/clean.yaml", kClean);
  CHECK(exitOf({clean.path().string()}) == 0);
  RunResult r = runLint({"-", "-o", "json"}, std::chrono::seconds(30), f.error);
  checkRan(r);
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.size() >= 1);
  CHECK(j[0]["file"] == "-");
}

TEST_CASE("text output: istioctl's line with file:line:col") {
  Files f;
  RunResult r = runLint({f.reviews, f.error, "--color", "never"});
  checkRan(r);
  CHECK(r.exit_code == 1);
  CHECK(r.out == "Error [IST0101] (VirtualService default/broken " + f.error +
                     ":9:34) Referenced host not found: \"nowhere\"\n");
  CHECK(r.err.find("Found 1 error(s), 0 warning(s), 0 info(s)") != std::string::npos);
}

TEST_CASE("--output-threshold filters printing, not the exit code") {
  Files f;
  for (const std::string& fmt : kFormats) {
    CAPTURE(fmt);
    RunResult all = runLint({f.reviews, f.warning, "-o", fmt, "--failure-threshold", "Warning"});
    checkRan(all);
    CHECK(all.exit_code == 1);
    CHECK(all.out.find("IST0132") != std::string::npos);
    RunResult hidden = runLint(
        {f.reviews, f.warning, "-o", fmt, "--failure-threshold", "Warning", "--output-threshold", "Error"});
    checkRan(hidden);
    CHECK(hidden.exit_code == 1);
    CHECK(hidden.out.find("IST0132") == std::string::npos);
    if (fmt == "json") CHECK(nlohmann::json::parse(hidden.out) == nlohmann::json::array());
    if (fmt == "yaml") CHECK(hidden.out == "[]\n");
    if (fmt == "text") CHECK(hidden.out.empty());
  }
}

TEST_CASE("-S suppresses by code and a glob over the resource") {
  Files f;
  for (const std::string& fmt : kFormats) {
    CAPTURE(fmt);
    CHECK(exitOf({f.reviews, f.error, "-o", fmt, "-S", "IST0101=VirtualService default/*"}) == 0);
    CHECK(exitOf({f.reviews, f.error, "-o", fmt, "--suppress", "IST0101=VirtualService */broken"}) == 0);
    CHECK(exitOf({f.reviews, f.error, "-o", fmt, "-S", "IST0101=*"}) == 0);
    CHECK(exitOf({f.reviews, f.error, "-o", fmt, "-S", "ist0101=VirtualService default/broken"}) == 0);
    // A different code, a different resource, or the pre-2021 "name.ns" form do not match.
    CHECK(exitOf({f.reviews, f.error, "-o", fmt, "-S", "IST0132=VirtualService default/*"}) == 1);
    CHECK(exitOf({f.reviews, f.error, "-o", fmt, "-S", "IST0101=VirtualService default/other"}) == 1);
    CHECK(exitOf({f.reviews, f.error, "-o", fmt, "-S", "IST0101=VirtualService broken.default"}) == 1);
    CHECK(exitOf({f.reviews, f.error, "-o", fmt, "-S", "IST0101=Gateway default/*"}) == 1);
  }
  // Several -S flags; an unknown code is a warning, not an error.
  RunResult r = runLint({f.reviews, f.error, f.warning, "--failure-threshold", "Warning", "-S",
                         "IST0101=VirtualService default/broken", "-S", "IST0132=VirtualService default/web", "-S",
                         "IST9999=Pod x/y"});
  checkRan(r);
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("IST9999") != std::string::npos);
}

std::string withSuppressAnnotation(std::string_view value) {
  std::string text(kError);
  std::string anchor = "  namespace: default\n";
  text.insert(text.find(anchor) + anchor.size(),
              "  annotations:\n    galley.istio.io/analyze-suppress: \"" + std::string(value) + "\"\n");
  return text;
}

TEST_CASE("the galley.istio.io/analyze-suppress annotation") {
  Files f;
  struct Case {
    std::string value;
    int exit_code;
  };
  for (const Case& c : {Case{"IST0101", 0}, Case{"*", 0}, Case{"IST0132,IST0101", 0}, Case{"IST0132", 1},
                        Case{"IST0132, IST0101", 1},  // not trimmed, as upstream
                        Case{"ist0101", 1}, Case{"", 1}}) {
    CAPTURE(c.value);
    std::string path = f.dir.write("annotated.yaml", withSuppressAnnotation(c.value));
    for (const std::string& fmt : kFormats) {
      CAPTURE(fmt);
      CHECK(exitOf({f.reviews, path, "-o", fmt}) == c.exit_code);
    }
  }
}

TEST_CASE("explain") {
  RunResult ok = runLint({"explain", "IST0101"});
  checkRan(ok);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("IST0101") != std::string::npos);
  RunResult lower = runLint({"explain", "ist0101"});
  checkRan(lower);
  CHECK(lower.exit_code == 0);
  CHECK(lower.out == ok.out);
  RunResult bad = runLint({"explain", "IST9999"});
  checkRan(bad);
  CHECK(bad.exit_code == 2);
  CHECK(bad.out.empty());
  CHECK(bad.err.find("did you mean") != std::string::npos);
  CHECK(bad.err.find("IST9999") != std::string::npos);
  CHECK(exitOf({"explain"}) == 2);
  CHECK(exitOf({"explain", "IST0101", "IST0132"}) == 2);
}

TEST_CASE("-a selects analyzers; an unknown one is a usage error") {
  Files f;
  RunResult bogus = runLint({f.reviews, f.error, "-a", "bogus"});
  checkRan(bogus);
  CHECK(bogus.exit_code == 2);
  CHECK(bogus.err.find("bogus") != std::string::npos);
  RunResult typo = runLint({f.reviews, f.error, "-a", "virtualservice.GatewayAnalyzr"});
  checkRan(typo);
  CHECK(typo.exit_code == 2);
  CHECK(typo.err.find("did you mean \"virtualservice.GatewayAnalyzer\"") != std::string::npos);
  // The error comes from DestinationHostAnalyzer: running only the gateway analyzer finds nothing.
  CHECK(exitOf({f.reviews, f.error, "-a", "virtualservice.GatewayAnalyzer"}) == 0);
  CHECK(exitOf({f.reviews, f.error, "-a", "virtualservice.DestinationHostAnalyzer"}) == 1);
  // Input problems are reported whatever analyzers were picked.
  std::string broken = f.dir.write("broken.yaml", "a: [\n");
  CHECK(exitOf({broken, "-a", "virtualservice.GatewayAnalyzer"}) == 1);
  RunResult list = runLint({"--list-analyzers"});
  checkRan(list);
  CHECK(list.exit_code == 0);
  CHECK(list.out.find("* virtualservice.GatewayAnalyzer:\n") != std::string::npos);
  RunResult rules = runLint({"rules"});
  checkRan(rules);
  CHECK(rules.exit_code == 0);
  CHECK(rules.out.find("IST0101") != std::string::npos);
}

TEST_CASE("JSON output") {
  Files f;
  RunResult r = runLint({f.reviews, f.error, f.warning, "-o", "json", "--failure-threshold", "Warning"});
  checkRan(r);
  CHECK(r.exit_code == 1);
  nlohmann::json j;
  REQUIRE_NOTHROW(j = nlohmann::json::parse(r.out));
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 2);
  for (const auto& m : j) {
    for (const char* key : {"code", "level", "origin", "reference", "message", "documentationUrl", "file", "line",
                            "column", "analyzer"}) {
      CHECK_MESSAGE(m.contains(key), "missing key " << key << " in " << m.dump());
    }
  }
  // Sorted by file: error.yaml before warning.yaml.
  const auto& e = j[0];
  CHECK(e["code"] == "IST0101");
  CHECK(e["level"] == "Error");
  CHECK(e["origin"] == "VirtualService default/broken");
  CHECK(e["file"] == f.error);
  CHECK(e["line"] == 9);
  CHECK(e["column"] == 34);
  CHECK(e["reference"] == f.error + ":9");
  CHECK(e["message"] == "Referenced host not found: \"nowhere\"");
  CHECK(e["analyzer"] == "virtualservice.DestinationHostAnalyzer");
  CHECK(e["documentationUrl"] == "https://istio.io/v1.30/docs/reference/config/analysis/ist0101/?ref=istioctl-analyze");
  const auto& w = j[1];
  CHECK(w["code"] == "IST0132");
  CHECK(w["level"] == "Warning");
  CHECK(w["origin"] == "VirtualService default/web");
  CHECK(w["line"] == 15);
  CHECK(w["analyzer"] == "virtualservice.GatewayAnalyzer");

  RunResult none = runLint({f.reviews, f.clean, "-o", "json"});
  checkRan(none);
  CHECK(none.exit_code == 0);
  CHECK(nlohmann::json::parse(none.out) == nlohmann::json::array());
}

TEST_CASE("YAML output carries the same findings") {
  Files f;
  RunResult r = runLint({f.reviews, f.error, "-o", "yaml"});
  checkRan(r);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("code: IST0101") != std::string::npos);
  CHECK(r.out.find("line: 9") != std::string::npos);
  CHECK(r.out.find("origin: VirtualService default/broken") != std::string::npos);
}

TEST_CASE("namespaces: without -A only the selected namespace is reported") {
  TempDir dir;
  std::string other = kError.data();
  other.replace(other.find("namespace: default"), 18, "namespace: other");
  std::string path = dir.write("other.yaml", other);
  CHECK(exitOf({path}) == 0);                  // namespace default: nothing there
  CHECK(exitOf({path, "-n", "other"}) == 1);
  CHECK(exitOf({path, "-A"}) == 1);
  CHECK(exitOf({path, "--all-namespaces"}) == 1);
}

TEST_CASE("--timing: the phases, then the five slowest analyzers, on stderr only") {
  Files f;
  RunResult plain = runLint({f.reviews, f.error, "-o", "json"});
  RunResult r = runLint({f.reviews, f.error, "-o", "json", "--timing"});
  checkRan(r);
  CHECK(r.exit_code == plain.exit_code);
  CHECK(r.out == plain.out);
  const std::regex phases(R"(timing: load [0-9.e-]+ ms, graph [0-9.e-]+ ms, analyze [0-9.e-]+ ms, report [0-9.e-]+ ms\n)");
  CHECK(std::regex_search(r.err, phases));
  std::smatch m;
  REQUIRE(std::regex_search(r.err, m, std::regex(R"(slowest analyzers: ([^\n]*)\n)")));
  const std::string list = m[1];
  // "a.B 0.1 ms, c.D 0.05 ms, ...": five analyzers by their -a names.
  const std::regex entry(R"(([a-zA-Z0-9]+\.[A-Za-z0-9.]+) [0-9.e-]+ ms)");
  CHECK(std::distance(std::sregex_iterator(list.begin(), list.end(), entry), std::sregex_iterator()) == 5);
}

}  // namespace
}  // namespace istio_lint::cli
