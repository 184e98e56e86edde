#pragma once

// Runs a set of analyzers over a mesh graph and post-processes their findings: annotation and
// inline-comment suppression (analyzers/inline_suppression.h), deduplication and the output
// order (file, line, column, code, message).

#include <string>
#include <vector>

#include "analyzers/analyzer.h"

namespace istio_lint::analyzers {

struct AnalyzerTime {
  std::string_view name;
  double ms = 0;
};

struct RunOptions {
  std::vector<const Analyzer*> analyzers;  // empty: every analyzer enabled by default
  /// `.istio-lint.yaml`: analyzers read it, and its severity overrides, `off` codes and
  /// suppressions apply to the findings (null: the defaults).
  const model::config::LintConfig* config = nullptr;
  /// When set, receives how many findings each of config->suppressions removed.
  std::vector<size_t>* suppression_hits = nullptr;
  /// When set, receives each analyzer's wall time, slowest first (`--timing`).
  std::vector<AnalyzerTime>* times = nullptr;
};

/// The annotation users put on a resource to silence codes on it ("*" for all).
inline constexpr std::string_view kSuppressAnnotation = "galley.istio.io/analyze-suppress";

std::vector<rules::Finding> run(const model::MeshGraph& graph, const RunOptions& options);

/// Sorts by (file path, line, column, code, message) and drops exact duplicates.
void sortAndDedupe(std::vector<rules::Finding>& findings, const model::FileTable& files);

}  // namespace istio_lint::analyzers
