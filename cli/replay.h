#pragma once

// What `istio-lint replay` makes of many requests (docs/replay.md): each request's outcome, a
// summary counted by entry proxy, route, cluster, result and exit, the requests whose outcome
// differs from what an access log recorded or from an older configuration (--diff), and the
// expectations that failed. Memory is bounded by the configuration, not by the traffic: a summary
// keeps counts per distinct value and a few example lines per difference.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <unordered_map>
#include <ostream>
#include <string>
#include <vector>

#include "cli/replay_traffic.h"
#include "simulate/trace.h"

namespace istio_lint::cli {

/// One request's outcome, as replay counts and compares it.
struct ReplayOutcome {
  std::string entry;         // "gateway NS/NAME", "sidecar NS/NAME" or "inbound NS/NAME"
  std::string virtual_host;  // chosen by the entry proxy ("" when none)
  std::string route_name;    // the entry proxy's route name ("" when none)
  std::string route;         // the VirtualService rule: "NS/NAME (file:line)", else the route name
  std::string route_vs;      // NS/NAME of that VirtualService ("" when none decided)
  std::string cluster;       // the last hop's cluster, or the split "a 90%, b 10%"; "" when none
  std::string result;        // "forwarded", "redirect 301", "direct response 404", "fault abort 503",
                             // or the error as Envoy names it ("404 NR", "503 NC", "BlackHoleCluster", ...)
  std::string error;         // the last hop's error as Envoy names it; "" when it has none
  std::string exit;          // "direct", "egress-gateway NS/NAME" or "none"
  /// The entry proxy's own cluster (what its access log names): "" when it chose none; its split
  /// when weights were not decided.
  std::string entry_cluster;
  std::vector<std::string> entry_split;

  /// What --diff compares and shows: the result, the cluster, and the exit when traffic leaves
  /// the mesh ("forwarded to outbound|80||web.shop.svc.cluster.local"). The route is not compared.
  std::string describe() const;
};

ReplayOutcome outcomeOf(const simulate::Trace& trace, const model::FileTable& files);

/// The request as a line `simulate -i` (and replay) reads back: `GET https://h:443/p via ns/gw`.
std::string requestLine(const RequestSpec& spec);

/// One decided request as `-o jsonl` prints it: {line, request, entry, virtual_host, route,
/// cluster, result, error, exit}.
nlohmann::json outcomeJson(size_t line, const RequestSpec& spec, const ReplayOutcome& outcome);

/// The failed parts of an expectation, each "expected: [a], actual: [b], field: cluster".
std::vector<std::string> checkExpectation(const Expectation& expect, const ReplayOutcome& outcome);

class ReplaySummary {
 public:
  /// Examples kept per group of differences, and expectation failures printed.
  static constexpr size_t kExamples = 3;
  static constexpr size_t kMaxFailuresShown = 50;

  /// Counts one decided request (line `line` of the traffic).
  void add(size_t line, const RequestSpec& spec, const ReplayOutcome& outcome);
  /// An access log entry: compares the decided cluster with the logged one.
  void compareRecorded(size_t line, const RequestSpec& spec, const Recorded& recorded, const ReplayOutcome& outcome);
  /// --diff: the outcome under the older configuration.
  void compareOld(size_t line, const RequestSpec& spec, const ReplayOutcome& old_outcome, const ReplayOutcome& outcome);
  /// An expectation's failures for the request on `line` (a YAML test's `name`, when it has one).
  void expectation(size_t line, const RequestSpec& spec, const std::vector<std::string>& failures,
                   const std::string& name = "");
  /// A line that is not a request (or names a proxy the inputs do not have).
  void skipped() { ++skipped_; }
  /// A line that is not an access log entry, under --format log.
  void ignored() { ++ignored_; }

  uint64_t requests() const { return requests_; }
  uint64_t skippedLines() const { return skipped_; }
  uint64_t changed() const { return changed_; }
  uint64_t expectationsFailed() const { return expectations_failed_; }
  uint64_t expectationsChecked() const { return expectations_checked_; }
  bool comparedOld() const { return compared_old_; }

  void printText(std::ostream& out, const std::string& traffic_name) const;
  nlohmann::json toJson() const;

 private:
  struct Count {
    uint64_t n = 0;
    size_t first_line = 0;
  };
  struct Example {
    size_t line = 0;
    std::string request;
  };
  struct Group {
    uint64_t n = 0;
    std::vector<Example> examples;
  };
  // Hashed: the output sorts them (by count, then value) once at the end.
  using CountMap = std::unordered_map<std::string, Count>;
  using GroupMap = std::unordered_map<std::string, Group>;
  static void bump(CountMap& m, const std::string& key, size_t line);
  static void note(GroupMap& m, const std::string& key, size_t line, const RequestSpec& spec);

  uint64_t requests_ = 0, skipped_ = 0, ignored_ = 0;
  CountMap by_entry_, by_route_, by_cluster_, by_result_, by_exit_;
  uint64_t recorded_ = 0, recorded_agree_ = 0;
  GroupMap recorded_differs_;  // "logged X -> decided Y"
  bool compared_old_ = false;
  uint64_t changed_ = 0;
  GroupMap changes_;  // "old -> new"
  uint64_t expectations_checked_ = 0, expectations_failed_ = 0;
  std::vector<std::string> failures_;  // "line N: request: expected ..., field: ..." (the first kMaxFailuresShown)
};

}  // namespace istio_lint::cli
