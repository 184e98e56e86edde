// `istio-lint replay` through the binary: usage errors exit 2 with a message, expectations and
// coverage decide the exit code, stdin works as traffic.

#include <doctest/doctest.h>

#include <string>

#include "tests/cli/run_checks.h"
#include "tests/test_util.h"

namespace istio_lint::cli {
namespace {

using istio_lint::testing::kShopFixture;

using istio_lint::testing::RunResult;
using istio_lint::testing::runLint;
using istio_lint::testing::TempDir;

const std::string kTests = std::string(ISTIO_LINT_SOURCE_DIR) + "/fixtures/replay/shop-tests.yaml";

RunResult replay(const std::vector<std::string>& args, const std::string& stdin_path = "/dev/null") {
  std::vector<std::string> all{"replay"};
  all.insert(all.end(), args.begin(), args.end());
  RunResult r = runLint(all, std::chrono::seconds(30), stdin_path);
  REQUIRE_FALSE(r.timed_out);
  REQUIRE_FALSE(r.signaled);
  return r;
}

TEST_CASE("replay: usage errors exit 2 and say what is wrong") {
  RunResult no_traffic = replay({kShopFixture});
  CHECK(no_traffic.exit_code == 2);
  CHECK(no_traffic.err.find("--traffic is required") != std::string::npos);

  RunResult missing = replay({kShopFixture, "--traffic", "/nonexistent/traffic.txt"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("cannot read /nonexistent/traffic.txt") != std::string::npos);

  // A wrong --gateway would fail every line: it is refused before reading any.
  TempDir dir;
  const std::string traffic = dir.write("t.txt", "GET http://shop.example.com:8080/\n");
  RunResult wrong = replay({kShopFixture, "--traffic", traffic, "--gateway", "istio-system/public"});
  CHECK(wrong.exit_code == 2);
  CHECK(wrong.err.find("--gateway: no Gateway istio-system/public in the inputs; did you mean istio-system/public-gw?") !=
        std::string::npos);

  RunResult both = replay({kShopFixture, "--traffic", traffic, "--gateway", "a/b", "--from", "c/d"});
  CHECK(both.exit_code == 2);
  RunResult stdin_twice = replay({"-", "--traffic", "-"});
  CHECK(stdin_twice.exit_code == 2);
  // --diff takes every path after it; the message says where the manifests go.
  RunResult swallowed = replay({"--traffic", traffic, "--diff", kShopFixture, kShopFixture});
  CHECK(swallowed.exit_code == 2);
  CHECK(swallowed.err.find("put the manifests before --diff") != std::string::npos);
}

TEST_CASE("replay: the exit code follows expectations, changes and coverage") {
  TempDir dir;
  // Every expectation holds: exit 0.
  const std::string good = dir.write(
      "good.jsonl",
      R"({"gateway": "istio-system/public-gw", "scheme": "https", "host": "shop.example.com", "port": 8443, "expect": {"cluster": "outbound|80||web.shop.svc.cluster.local"}})"
      "\n");
  RunResult ok = replay({kShopFixture, "--traffic", good});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("expectations: 1 checked, 0 failed") != std::string::npos);

  // --diff against the same configuration: nothing changes, exit 0.
  RunResult same = replay({kShopFixture, "--traffic", good, "--diff", kShopFixture});
  CHECK(same.exit_code == 0);
  CHECK(same.out.find("--diff: 0 of 1 request change outcome") != std::string::npos);

  // The shop's tests leave one route uncovered (80%): under --fail-under 90 that is a failure of its own.
  RunResult cov = replay({kShopFixture, "--traffic", kTests, "--fail-under", "90"});
  CHECK(cov.exit_code == 1);
  CHECK(cov.err.find("route coverage 80.0% is under --fail-under 90.0%") != std::string::npos);
  CHECK(cov.out.find("route coverage: 4 of 5 routes (80.0%)") != std::string::npos);
  RunResult cov_ok = replay({kShopFixture, "--traffic", kTests, "--fail-under", "80"});
  CHECK(cov_ok.err.find("--fail-under") == std::string::npos);

  // Traffic from stdin, the entry point from the command line.
  const std::string lines = dir.write("lines.txt", "GET https://shop.example.com:8443/\n# a comment\n\n");
  RunResult piped = replay({kShopFixture, "--traffic", "-", "--gateway", "istio-system/public-gw"}, lines);
  CHECK(piped.exit_code == 0);
  CHECK(piped.out.starts_with("replay: 1 request from stdin\n"));
}

}  // namespace
}  // namespace istio_lint::cli
