// `.istio-lint.yaml` end to end: --config, the file in the current directory, thresholds, severity
// overrides, off, suppressions, and problems in the file (exit 2 with file:line:col).

#include <doctest/doctest.h>

#include "tests/cli/run_checks.h"
#include "tests/test_util.h"

namespace istio_lint::cli {
namespace {

using istio_lint::testing::checkRan;
using istio_lint::testing::RunResult;
using istio_lint::testing::runLint;
using istio_lint::testing::runProcess;
using istio_lint::testing::TempDir;

/// IST0101 (Error) on line 9 and IST0132 (Warning) on line 22.
constexpr std::string_view kInput = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: broken
  namespace: default
spec:
  hosts: [reviews]
  http:
  - route: [{destination: {host: nowhere}}]
---
apiVersion: networking.istio.io/v1
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
    - destination: {host: nowhere.example.com}
)";

size_t count(const std::string& text, std::string_view what) {
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

TEST_CASE("--config: severity overrides, off and suppressions") {
  TempDir d;
  std::string in = d.write("in.yaml", kInput);
  RunResult plain = runLint({"-A", in, "--color", "never"});
  checkRan(plain);
  REQUIRE(plain.exit_code == 1);
  REQUIRE(count(plain.out, "[IST0101]") == 2);
  REQUIRE(count(plain.out, "Warning [IST0132]") == 1);

  // IST0101 off: only the warning is left, and it does not fail the run.
  std::string off = d.write("off.yaml", "severity:\n  IST0101: off\n");
  RunResult r = runLint({"-A", in, "--config", off, "--color", "never"});
  checkRan(r);
  CHECK(r.exit_code == 0);
  CHECK(count(r.out, "[IST0101]") == 0);
  CHECK(count(r.out, "Warning [IST0132]") == 1);

  // Raised to Error, the warning fails the run; a suppression with a glob hides one IST0101.
  std::string raise = d.write("raise.yaml", R"(severity: {IST0132: Error}
suppressions:
- code: IST0101
  resource: "VirtualService default/brok*"
  reason: the destination is created by another team
- code: IST0145
  resource: "*"
  reason: stale
)");
  r = runLint({"-A", in, "--config", raise, "--color", "never"});
  checkRan(r);
  CHECK(r.exit_code == 1);
  CHECK(count(r.out, "Error [IST0132]") == 1);
  CHECK(count(r.out, "[IST0101]") == 1);
  CHECK(r.out.find("default/broken") == std::string::npos);
  // The suppression that matched nothing is pointed out, with its line.
  CHECK(r.err.find(raise + ":6:3: the suppression of IST0145 matched no finding") != std::string::npos);

  // Thresholds from the file; the command line wins over them.
  std::string thresholds = d.write("thresholds.yaml", "failureThreshold: Warning\noutputThreshold: Error\n"
                                                      "severity: {IST0101: Warning}\n");
  r = runLint({"-A", in, "--config", thresholds, "--color", "never"});
  checkRan(r);
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  r = runLint({"-A", in, "--config", thresholds, "--failure-threshold", "Error", "--color", "never"});
  checkRan(r);
  CHECK(r.exit_code == 0);
}

TEST_CASE("the configuration file in the current directory") {
  TempDir d;
  d.write("in.yaml", kInput);
  d.write(".istio-lint.yaml", "severity:\n  IST0101: off\n  IST0132: off\n");
  std::string cmd = "cd '" + d.path().string() + "' && exec '" + ISTIO_LINT_BINARY + "' -A in.yaml --color never";
  RunResult r = runProcess({"/bin/sh", "-c", cmd});
  checkRan(r);
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  // --config names another file instead.
  d.write("other.yaml", "failureThreshold: Error\n");
  cmd += " --config other.yaml";
  r = runProcess({"/bin/sh", "-c", cmd});
  checkRan(r);
  CHECK(r.exit_code == 1);
}

TEST_CASE("problems in the configuration file stop the run with file:line:col") {
  TempDir d;
  std::string in = d.write("in.yaml", kInput);
  std::string bad = d.write("bad.yaml", "severity:\n  IST0101: off\nsupressions: []\ngateways:\n  internalHostSuffixes: 3\n");
  RunResult r = runLint({"-A", in, "--config", bad});
  checkRan(r);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find(bad + ":3:1: unknown field \"supressions\"; did you mean \"suppressions\"?") != std::string::npos);
  CHECK(r.err.find(bad + ":5:25: gateways.internalHostSuffixes: expected a list of strings") != std::string::npos);
  // A --config file that does not exist is a usage error too.
  r = runLint({"-A", in, "--config", d / "missing.yaml"});
  checkRan(r);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("missing.yaml: cannot read the configuration file") != std::string::npos);
}

}  // namespace
}  // namespace istio_lint::cli
