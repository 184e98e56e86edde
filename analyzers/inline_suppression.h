#pragma once

// Applies `# istio-lint: ignore=CODE reason="..."` comments (model/suppression_comments.h) to
// findings: a finding is dropped when a comment in its file covers its line and names its code
// (or "*"). Problems with the comments themselves (IL0050) are never suppressed by a comment.

#include <vector>

#include "model/mesh_graph.h"
#include "rules/finding.h"

namespace istio_lint::analyzers {

void removeInlineSuppressed(std::vector<rules::Finding>& findings, const model::MeshGraph& graph);

}  // namespace istio_lint::analyzers
