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

TEST_CASE("replay: hostile traffic is skipped line by line, the rest replayed") {
  TempDir dir;
  // The shop's ingress gateway: the good lines are decided there (on port 80, where it has no
  // listener: decided all the same).
  const std::string mesh = std::string(ISTIO_LINT_SOURCE_DIR) + "/fixtures/simulate/shop";
  std::string traffic;
  static constexpr char kNul[] = "GET http://a.example.com/\0x via istio-system/public-gw\n";
  traffic += std::string(kNul, sizeof kNul - 1);  // a NUL byte
  traffic += "GET http://a.example.com/\xff\xfe via istio-system/public-gw\n";              // invalid UTF-8
  traffic += "GET http://a.example.com/" + std::string(1 << 20, 'x') + " via istio-system/public-gw\n";
  traffic += std::string(4000, '{') + "\n";                                                // unbalanced JSON
  traffic += "{\"gateway\": \"istio-system/public-gw\", \"host\": " + std::string(3000, '[') + "\n";
  traffic += "[2026-12-01T09:00:00Z] \"GET / HTTP/1.1\n";                                  // unterminated quote
  traffic += std::string(5000, '\x01') + "\n";
  traffic += "GET http://a.example.com/ok via istio-system/public-gw\n";                   // the one good line
  traffic += "GET http://a.example.com/no-newline-at-end via istio-system/public-gw";
  const std::string file = dir.write("traffic.txt", traffic);
  RunResult r = runLint({"replay", mesh, "--traffic", file}, kTimeLimit);
  REQUIRE_MESSAGE(!r.timed_out, "istio-lint replay did not finish within 5 s");
  REQUIRE_MESSAGE(!r.signaled, "istio-lint replay died of signal " << r.signal << "; stderr: " << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.starts_with("replay: 2 requests from " + file + " (7 lines skipped)\n"));
  for (int line = 1; line <= 7; ++line) {
    CHECK_MESSAGE(r.err.find(file + ":" + std::to_string(line) + ":") != std::string::npos, "line " << line << ": " << r.err);
  }
  CHECK(r.err.find("line longer than 8192 bytes") != std::string::npos);

  // A YAML file of tests that is an alias bomb or nested too deep ends in a message, not a hang.
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'k'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [*" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) +
            ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + "]\n";
  }
  bomb += "tests: [{name: bomb, input: {gateway: istio-system/public-gw, host: *k}}]\n";
  for (const std::string& yaml : {bomb, std::string(10000, '[') + "\n"}) {
    const std::string tests = dir.write("tests.yaml", yaml);
    RunResult y = runLint({"replay", mesh, "--traffic", tests}, kTimeLimit);
    REQUIRE_MESSAGE(!y.timed_out, "istio-lint replay did not finish within 5 s");
    REQUIRE_MESSAGE(!y.signaled, "istio-lint replay died of signal " << y.signal << "; stderr: " << y.err);
    CHECK(y.exit_code == 1);
    CHECK(y.err.find(tests + ":") != std::string::npos);
  }
}

}  // namespace
}  // namespace istio_lint::cli
