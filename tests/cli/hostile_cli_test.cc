// Hostile inputs through the binary: every run ends in bounded time with exit code 1 (the input
// problem is a finding) and never with a signal; the good file next to the bad one is analyzed.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <set>

#include "tests/test_util.h"

namespace istio_lint::cli {
namespace {

using istio_lint::testing::RunResult;
using istio_lint::testing::runLint;
using istio_lint::testing::TempDir;

constexpr auto kTimeLimit = std::chrono::seconds(5);

/// A file with a real finding, so we can tell the other files were still analyzed.
constexpr std::string_view kFinding = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: default}
spec:
  hosts: [reviews]
  http:
  - route: [{destination: {host: nowhere}}]
)";

struct Outcome {
  int exit_code;
  nlohmann::json findings;
};

Outcome run(const TempDir& dir, const std::string& bad) {
  std::string good = dir.write("zz-good.yaml", kFinding);
  RunResult r = runLint({bad, good, "-o", "json"}, kTimeLimit);
  REQUIRE_MESSAGE(!r.timed_out, "istio-lint did not finish within 5 s");
  REQUIRE_MESSAGE(!r.signaled, "istio-lint died of signal " << r.signal << "; stderr: " << r.err);
  CHECK(r.seconds < 5.0);
  nlohmann::json j;
  REQUIRE_NOTHROW(j = nlohmann::json::parse(r.out));
  // The good file's finding is always there.
  bool good_seen = false;
  for (const auto& m : j) good_seen |= m.value("file", "") == good && m["code"] == "IST0101";
  CHECK_MESSAGE(good_seen, "the good file was not analyzed: " << r.out);
  return {r.exit_code, j};
}

/// The findings about `file` with `code`.
std::vector<nlohmann::json> about(const nlohmann::json& findings, const std::string& file, std::string_view code) {
  std::vector<nlohmann::json> out;
  for (const auto& m : findings) {
    if (m.value("file", "") == file && m["code"] == code) out.push_back(m);
  }
  return out;
}

TEST_CASE("YAML syntax errors give IL0001 with file:line") {
  TempDir dir;
  struct Case {
    std::string what;
    std::string text;
    int line;
  };
  for (const Case& c : {Case{"flow", "apiVersion: v1\nkind: Service\nmetadata: {name: x\n", 3},
                        Case{"indent", "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n   ns: y\n", 5},
                        Case{"quote", "apiVersion: v1\nkind: \"Service\n", 2},
                        Case{"tab", "apiVersion: v1\nkind: Service\nmetadata:\n\tname: x\n", 4}}) {
    CAPTURE(c.what);
    std::string bad = dir.write("bad-" + c.what + ".yaml", c.text);
    Outcome o = run(dir, bad);
    CHECK(o.exit_code == 1);
    auto found = about(o.findings, bad, "IL0001");
    REQUIRE(found.size() == 1);
    CHECK(found[0]["line"] == c.line);
    CHECK(found[0]["level"] == "Error");
  }
}

TEST_CASE("wrong scalar types are schema findings") {
  TempDir dir;
  std::string bad = dir.write("types.yaml", R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: default, labels: [a]}
spec:
  servers:
  - port: {number: eighty, name: http, protocol: HTTP}
    hosts: 5
---
apiVersion: v1
kind: Service
metadata: {name: svc, namespace: default}
spec:
  ports:
  - port: "eighty"
)");
  Outcome o = run(dir, bad);
  CHECK(o.exit_code == 1);
  auto schema = about(o.findings, bad, "IST0106");
  std::set<int> lines;  // a field may have more than one finding
  for (const auto& m : schema) lines.insert(m["line"].get<int>());
  CHECK(lines == std::set<int>{3, 6, 7});
  auto kube = about(o.findings, bad, "IL0005");
  REQUIRE(kube.size() == 1);
  CHECK(kube[0]["line"] == 14);
}

TEST_CASE("alias bomb") {
  TempDir dir;
  std::string bomb = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n";
  bomb += "  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 10; ++i) {
    bomb += "  a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) bomb += (j ? ", *a" : "*a") + std::to_string(i - 1);
    bomb += "]\n";
  }
  std::string bad = dir.write("bomb.yaml", bomb);
  Outcome o = run(dir, bad);
  CHECK(o.exit_code == 1);
  CHECK(about(o.findings, bad, "IL0003").size() == 1);
}

TEST_CASE("deep nesting") {
  TempDir dir;
  std::string flow = "a: " + std::string(10000, '[') + std::string(10000, ']') + "\n";
  std::string block;  // "- - - ... x": compact nested block sequences
  for (int i = 0; i < 10000; ++i) block += "- ";
  block += "x\n";
  for (const auto& c : {std::pair<std::string, std::string>{"flow.yaml", flow}, {"block.yaml", block}}) {
    const std::string& name = c.first;  // plain references: lambdas capture them
    const std::string& text = c.second;
    CAPTURE(name);
    std::string bad = dir.write(name, text);
    Outcome o = run(dir, bad);
    CHECK(o.exit_code == 1);
    CHECK(about(o.findings, bad, "IL0003").size() == 1);
  }
}

TEST_CASE("binary, NUL bytes and invalid UTF-8") {
  TempDir dir;
  std::string binary;
  for (int i = 0; i < 65536; ++i) binary.push_back(static_cast<char>((i * 2654435761u) >> 24));
  constexpr char kNul[] = "apiVersion: v1\nkind: Service\0\nmetadata: {name: x}\n";
  std::string nul(kNul, sizeof kNul - 1);
  for (const auto& c :
       {std::pair<std::string, std::string>{"binary.yaml", binary}, {"nul.yaml", nul},
        {"utf8.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: \xff\xfe\xfd}\n"}}) {
    const std::string& name = c.first;  // plain references: lambdas capture them
    const std::string& bytes = c.second;
    CAPTURE(name);
    std::string bad = dir.write(name, bytes);
    Outcome o = run(dir, bad);
    CHECK(o.exit_code == 1);
    auto found = about(o.findings, bad, "IL0001");
    CHECK(found.size() >= 1);
    for (const auto& m : found) CHECK(m["line"].get<int>() >= 1);
  }
}

TEST_CASE("an empty file gives nothing") {
  TempDir dir;
  std::string empty = dir.write("empty.yaml", "");
  RunResult r = runLint({empty, "-o", "json"}, kTimeLimit);
  REQUIRE(!r.timed_out);
  REQUIRE(!r.signaled);
  CHECK(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out) == nlohmann::json::array());
  // And next to a file with a finding, only that finding.
  Outcome o = run(dir, empty);
  CHECK(o.exit_code == 1);
  CHECK(o.findings.size() == 1);
}

}  // namespace
}  // namespace istio_lint::cli
