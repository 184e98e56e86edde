#include "cli/simulate_inputs.h"

#include "model/loader.h"

namespace istio_lint::cli {

model::MeshGraph loadRoutingInputs(const std::vector<std::string>& paths, const std::string& mesh_config_file,
                                   std::ostream& err) {
  model::LoadOptions lo;
  lo.default_namespace = "default";
  model::GraphOptions go;
  go.default_ingress = model::DefaultIngress::Off;
  if (!mesh_config_file.empty()) go.mesh_config_file = mesh_config_file;
  std::vector<model::Source> sources;
  for (const std::string& p : paths) sources.push_back({p, std::nullopt});
  model::MeshGraph graph = model::MeshGraph::build(model::load(sources, lo), go);
  for (const model::LoadProblem& p : graph.problems()) {
    err << "istio-lint: " << (p.span.file ? graph.files().path(p.span.file) : std::string("input"));
    if (p.span.line) err << ":" << p.span.line;
    err << ": " << p.message << "\n";
  }
  return graph;
}

}  // namespace istio_lint::cli
