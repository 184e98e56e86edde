#pragma once

// What each analyzer of a run looked at (JUnit lists passing checks too): every declared
// resource of the analyzer's input kinds, or every input file for analyzers of the input itself.

#include <functional>
#include <vector>

#include "analyzers/analyzer.h"
#include "cli/report/reporter.h"

namespace istio_lint::cli {

/// The analyzers `analyzers::run` runs for this selection (empty: every default-enabled one).
std::vector<const analyzers::Analyzer*> analyzersThatRun(const std::vector<const analyzers::Analyzer*>& selected);

/// Subjects in scope: `keep` decides per resource, `keep_file` per file id.
std::vector<CheckedSubject> checkedSubjects(const model::MeshGraph& graph,
                                            const std::vector<const analyzers::Analyzer*>& ran,
                                            const std::function<bool(const model::Resource&)>& keep,
                                            const std::function<bool(uint32_t)>& keep_file);

}  // namespace istio_lint::cli
