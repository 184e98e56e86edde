#include "analyzers/inline_suppression.h"

#include <algorithm>
#include <unordered_map>

namespace istio_lint::analyzers {

void removeInlineSuppressed(std::vector<rules::Finding>& findings, const model::MeshGraph& graph) {
  const std::vector<model::SuppressionComment>& comments = graph.suppressionComments();
  if (comments.empty()) return;
  std::unordered_map<uint32_t, std::vector<const model::SuppressionComment*>> by_file;
  for (const model::SuppressionComment& c : comments) {
    if (c.problem.empty()) by_file[c.span.file].push_back(&c);
  }
  auto suppressed = [&](const rules::Finding& f) {
    if (f.code == rules::Code::IL0050 || !f.span.known()) return false;
    auto it = by_file.find(f.span.file);
    if (it == by_file.end()) return false;
    for (const model::SuppressionComment* c : it->second) {
      if (!c->covers(f.span.line)) continue;
      for (const std::string& code : c->codes) {
        if (code == "*" || code == f.type().code) return true;
      }
    }
    return false;
  };
  findings.erase(std::remove_if(findings.begin(), findings.end(), suppressed), findings.end());
}

}  // namespace istio_lint::analyzers
