#pragma once

// The mesh graph `simulate` and `replay` route with: the manifests at `paths` (files,
// directories, - for stdin), resources without a namespace in "default", no assumed default
// ingress gateway (a trace enters only the gateways the inputs declare), the mesh config of
// `mesh_config_file` when given. Problems loading the inputs are printed to `err` as
// "istio-lint: file:line: message"; the rest of the inputs are still used.

#include <ostream>
#include <string>
#include <vector>

#include "model/mesh_graph.h"

namespace istio_lint::cli {

model::MeshGraph loadRoutingInputs(const std::vector<std::string>& paths, const std::string& mesh_config_file,
                                   std::ostream& err);

}  // namespace istio_lint::cli
