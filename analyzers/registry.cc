#include <algorithm>

#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {

const std::vector<AnalyzerPtr>& allAnalyzers() {
  static const std::vector<AnalyzerPtr> kAll = [] {
    std::vector<AnalyzerPtr> v;
    // Keep sorted by analyzer name (a test checks it).
    v.push_back(makeInputLoadAnalyzer());
    for (size_t i = 0; i < model::kKindCount; ++i) {
      auto kind = static_cast<model::Kind>(i);
      if (model::kindInfo(kind).istio) v.push_back(makeSchemaValidationAnalyzer(kind));
    }
    v.push_back(makeVirtualServiceDestinationHostAnalyzer());
    v.push_back(makeVirtualServiceDestinationRuleAnalyzer());
    v.push_back(makeVirtualServiceGatewayAnalyzer());
    std::stable_sort(v.begin(), v.end(), [](const AnalyzerPtr& a, const AnalyzerPtr& b) {
      return a->metadata().name < b->metadata().name;
    });
    return v;
  }();
  return kAll;
}

const Analyzer* findAnalyzer(std::string_view name) {
  for (const AnalyzerPtr& a : allAnalyzers()) {
    if (a->metadata().name == name) return a.get();
  }
  return nullptr;
}

}  // namespace istio_lint::analyzers
