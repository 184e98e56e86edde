#include "cli/checked_subjects.h"

namespace istio_lint::cli {

std::vector<const analyzers::Analyzer*> analyzersThatRun(const std::vector<const analyzers::Analyzer*>& selected) {
  if (!selected.empty()) return selected;
  std::vector<const analyzers::Analyzer*> out;
  for (const analyzers::AnalyzerPtr& a : analyzers::allAnalyzers()) {
    if (a->metadata().default_enabled) out.push_back(a.get());
  }
  return out;
}

std::vector<CheckedSubject> checkedSubjects(const model::MeshGraph& graph,
                                            const std::vector<const analyzers::Analyzer*>& ran,
                                            const std::function<bool(const model::Resource&)>& keep,
                                            const std::function<bool(uint32_t)>& keep_file) {
  std::vector<CheckedSubject> out;
  const model::FileTable& files = graph.files();
  for (const analyzers::Analyzer* a : ran) {
    const analyzers::AnalyzerMetadata& m = a->metadata();
    if (m.inputs.empty()) {
      for (uint32_t id = 1; id < files.size(); ++id) {
        if (keep_file(id)) out.push_back({m.name, files.path(id), files.path(id)});
      }
      continue;
    }
    for (model::Kind k : m.inputs) {
      for (const model::Resource* r : graph.ofKind(k)) {
        if (r->synthetic || !keep(*r)) continue;
        out.push_back({m.name, r->origin(), r->span.file ? files.path(r->span.file) : std::string()});
      }
    }
  }
  return out;
}

}  // namespace istio_lint::cli
