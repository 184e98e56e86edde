#include "analyzers/config_filter.h"

#include <algorithm>

#include "model/glob.h"

namespace istio_lint::analyzers {

bool suppressionMatches(const model::config::Suppression& s, const rules::Finding& f, std::string_view file) {
  if (s.code != f.code) return false;
  if (!s.file.empty() && !model::globMatch(s.file, file)) return false;
  if (s.resource == "*") return true;
  // A finding about no resource (a file problem) is matched by the file glob or "*" only.
  return !f.origin.empty() && model::globMatch(s.resource, f.origin.str());
}

std::vector<size_t> applyConfig(std::vector<rules::Finding>& findings, const model::config::LintConfig& config,
                                const model::FileTable& files) {
  std::vector<size_t> hits(config.suppressions.size(), 0);
  std::vector<rules::Finding> kept;
  kept.reserve(findings.size());
  for (rules::Finding& f : findings) {
    std::optional<rules::Level> level = config.levelOf(f.code);
    if (!level) continue;
    f.level = *level;
    const std::string& file = files.path(f.span.file);
    bool suppressed = false;
    for (size_t i = 0; i < config.suppressions.size(); ++i) {
      if (suppressionMatches(config.suppressions[i], f, file)) {
        ++hits[i];
        suppressed = true;
      }
    }
    if (!suppressed) kept.push_back(std::move(f));
  }
  findings = std::move(kept);
  return hits;
}

}  // namespace istio_lint::analyzers
