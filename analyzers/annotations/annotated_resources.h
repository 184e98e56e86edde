#pragma once

// What istioctl's annotation analyzers (annotations.K8sAnalyzer, annotations.AlphaAnalyzer) look
// at: the annotations of every Namespace, Service, Pod and Deployment the inputs declare, and a
// Deployment's pod template annotations when none of its Pods is in the inputs (they are then
// what its Pods will carry).

#include <map>
#include <string>

#include "analyzers/workloads.h"
#include "model/mesh_graph.h"

namespace istio_lint::analyzers::annotations {

struct Annotated {
  const model::Resource& resource;  // the resource a finding is about
  model::Kind kind;                 // Kind::Pod for a Deployment's pod template
  const std::map<std::string, model::Str>& annotations;
  const model::Labels& labels;
  bool pod_template;                // written by the user in a Deployment's template
};

/// Calls visit(const Annotated&) for each, in kind order, then (namespace, name) order.
template <typename Visit>
void forEachAnnotated(const model::MeshGraph& g, Visit&& visit) {
  const workloads::PodOwnership& pods = workloads::PodOwnership::of(g);
  for (model::Kind k : {model::Kind::Namespace, model::Kind::Service, model::Kind::Pod, model::Kind::Deployment}) {
    for (const model::Resource* r : g.ofKind(k)) {
      if (r->synthetic) continue;
      visit(Annotated{*r, k, r->meta.annotations, r->meta.labels, false});
      if (k != model::Kind::Deployment) continue;
      const auto& dep = static_cast<const model::Workload&>(*r);
      if (!pods.hasPods(dep)) visit(Annotated{*r, model::Kind::Pod, dep.pod_annotations, dep.pod_labels, true});
    }
  }
}

}  // namespace istio_lint::analyzers::annotations
