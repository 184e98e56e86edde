#pragma once

// Builds a mesh graph and routing model from inline YAML for the simulate unit tests.

#include <memory>
#include <string>

#include "model/loader.h"
#include "model/mesh_graph.h"
#include "simulate/routing_model.h"

namespace istio_lint::testing {

struct Mesh {
  std::unique_ptr<model::MeshGraph> graph;
  std::unique_ptr<simulate::RoutingModel> model;
};

/// A Deployment `web` in namespace `shop`: the client sidecar of most sidecar tests.
inline constexpr const char* kShopWeb = R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web}]}
---
)";

inline Mesh compile(const std::string& yaml, simulate::ModelOptions options = {}) {
  model::LoadOptions lo;
  lo.default_namespace = "default";
  std::vector<model::Source> sources{{"mesh.yaml", yaml}};
  model::GraphOptions go;
  go.default_ingress = model::DefaultIngress::Off;
  Mesh m;
  m.graph = std::make_unique<model::MeshGraph>(model::MeshGraph::build(model::load(sources, lo), go));
  m.model = simulate::RoutingModel::build(*m.graph, options);
  return m;
}

inline simulate::Request http(std::string_view host, uint32_t port, std::string_view path = "/") {
  simulate::Request r;
  r.host = host;
  r.port = port;
  r.path = path;
  return r;
}

}  // namespace istio_lint::testing
