#pragma once

// Shared by the hostile-input tests: runs istio-lint with bounds on time and memory and reads
// its JSON findings.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace istio_lint::hostile {

using testing::RunResult;
using testing::TempDir;

/// Generous bounds: a real run takes milliseconds to a few seconds; these catch hangs, runaway
/// work and runaway memory, also in the sanitizer build on a loaded machine.
constexpr auto kWallLimit = std::chrono::seconds(300);  // the child is killed after this
constexpr double kCpuLimitSeconds = 60;                 // user + system time of one run
constexpr long kMemoryLimitKb = 3L << 20;               // 3 GiB peak resident memory

/// A manifest with one known finding (IST0101 at line 7) to show a file was analyzed.
inline std::string virtualServiceWithFinding(const std::string& name) {
  return "apiVersion: networking.istio.io/v1\n"
         "kind: VirtualService\n"
         "metadata: {name: " + name + ", namespace: default}\n"
         "spec:\n"
         "  hosts: [" + name + ".example.com]\n"
         "  http:\n"
         "  - route: [{destination: {host: " + name + "-missing.example.com}}]\n";
}

struct Run {
  RunResult result;
  nlohmann::json findings = nlohmann::json::array();
};

/// Runs `istio-lint -A ARGS -o json` and checks that it ended on its own, without a signal, within
/// the CPU and memory bounds, with parseable JSON on stdout.
inline Run lintJson(std::vector<std::string> args,
                    std::optional<std::pair<uid_t, gid_t>> as_user = std::nullopt,
                    const std::string& stdin_path = "/dev/null") {
  args.insert(args.begin(), "-A");
  args.insert(args.end(), {"-o", "json"});
  std::vector<std::string> argv{ISTIO_LINT_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  Run run{testing::runProcess(argv, kWallLimit, stdin_path, as_user)};
  const RunResult& r = run.result;
  REQUIRE_MESSAGE(!r.timed_out, "istio-lint did not finish within the time limit");
  REQUIRE_MESSAGE(!r.signaled, "istio-lint died of signal " << r.signal << "; stderr: " << r.err);
  CHECK_MESSAGE(r.cpu_seconds < kCpuLimitSeconds, "istio-lint used " << r.cpu_seconds << " s of CPU");
  CHECK_MESSAGE(r.max_rss_kb < kMemoryLimitKb, "istio-lint's peak memory was " << r.max_rss_kb << " KiB");
  if (r.exit_code != 2) {
    REQUIRE_NOTHROW(run.findings = nlohmann::json::parse(r.out));
  }
  return run;
}

/// "CODE@LINE" of every finding about `file`, in output order.
inline std::vector<std::string> findingsAbout(const nlohmann::json& findings, const std::string& file) {
  std::vector<std::string> out;
  for (const auto& m : findings) {
    if (m.value("file", "") == file) {
      out.push_back(m["code"].get<std::string>() + "@" + std::to_string(m.value("line", 0)));
    }
  }
  return out;
}

/// The messages of findings about `file` with `code`.
inline std::vector<std::string> messages(const nlohmann::json& findings, const std::string& file,
                                         std::string_view code) {
  std::vector<std::string> out;
  for (const auto& m : findings) {
    if (m.value("file", "") == file && m["code"] == code) out.push_back(m["message"].get<std::string>());
  }
  return out;
}

}  // namespace istio_lint::hostile
