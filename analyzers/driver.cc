#include "analyzers/driver.h"

#include <algorithm>

#include "analyzers/inline_suppression.h"
#include "analyzers/config_filter.h"

namespace istio_lint::analyzers {
namespace {

bool suppressedByAnnotation(const rules::Finding& f) {
  if (f.resource == nullptr) return false;
  const model::Str* a = f.resource->annotation(std::string(kSuppressAnnotation));
  if (a == nullptr) return false;
  std::string_view v = a->value;
  // Comma-separated, not trimmed (as upstream): "IST0101,IST0132" or "*".
  size_t start = 0;
  while (start <= v.size()) {
    size_t comma = v.find(',', start);
    std::string_view item = v.substr(start, comma == std::string_view::npos ? v.npos : comma - start);
    if (item == "*" || item == f.type().code) return true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

}  // namespace

std::vector<rules::Finding> run(const model::MeshGraph& graph, const RunOptions& options) {
  std::vector<const Analyzer*> selected = options.analyzers;
  if (selected.empty()) {
    for (const AnalyzerPtr& a : allAnalyzers()) {
      if (a->metadata().default_enabled) selected.push_back(a.get());
    }
  }
  std::vector<rules::Finding> findings;
  for (const Analyzer* a : selected) {
    Context ctx(graph, a->metadata().name, findings, options.config);
    a->analyze(ctx);
  }
  findings.erase(std::remove_if(findings.begin(), findings.end(), suppressedByAnnotation), findings.end());
  removeInlineSuppressed(findings, graph);
  if (options.config != nullptr) {
    std::vector<size_t> hits = applyConfig(findings, *options.config, graph.files());
    if (options.suppression_hits != nullptr) *options.suppression_hits = std::move(hits);
  }
  sortAndDedupe(findings, graph.files());
  return findings;
}

void sortAndDedupe(std::vector<rules::Finding>& findings, const model::FileTable& files) {
  auto key = [&](const rules::Finding& f) {
    return std::tie(files.path(f.span.file), f.span.line, f.span.col, f.type().code, f.message);
  };
  std::stable_sort(findings.begin(), findings.end(),
                   [&](const rules::Finding& a, const rules::Finding& b) { return key(a) < key(b); });
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [&](const rules::Finding& a, const rules::Finding& b) {
                               return key(a) == key(b) && a.origin.str() == b.origin.str();
                             }),
                 findings.end());
}

}  // namespace istio_lint::analyzers
