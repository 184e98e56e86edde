#pragma once

// What the policy, telemetry and extension analyzers share: how selectors and name lists print
// (as istioctl prints them), and whether a workload is part of the mesh.

#include <string>
#include <vector>

#include "analyzers/analyzer.h"

namespace istio_lint::analyzers::policy {

/// "k1=v1,k2=v2", sorted by key (Kubernetes' labels.SelectorFromSet(...).String()).
inline std::string labelsString(const model::Labels& labels) {
  std::string out;
  for (const auto& [k, v] : labels) out += (out.empty() ? "" : ",") + k + "=" + v;
  return out;
}

/// "ns/name", or "name" without a namespace (istio's resource.FullName).
/// Go's `%v` of a []string: "[a b c]".
inline std::string goList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? " " : "") + items[i];
  return out + "]";
}

/// A workload is in the mesh (has or gets a sidecar), checked as istio's analyzers do: an
/// `istio-proxy` container with an image, else the `sidecar.istio.io/inject` label, else the same
/// annotation, else `istio-injection=enabled` on its Namespace (which must be in the inputs).
inline bool inMesh(const model::MeshGraph& g, const model::Workload& w) {
  const model::Container* proxy = nullptr;
  for (const auto* list : {&w.containers, &w.init_containers}) {
    for (const model::Container& c : *list) {
      if (proxy == nullptr && c.name.value == "istio-proxy") proxy = &c;
    }
  }
  if (proxy != nullptr && !proxy->image.empty()) return true;
  if (auto it = w.pod_labels.find("sidecar.istio.io/inject"); it != w.pod_labels.end()) return it->second == "true";
  if (auto it = w.pod_annotations.find("sidecar.istio.io/inject"); it != w.pod_annotations.end()) {
    return it->second.value == "true";
  }
  if (const model::Resource* ns = g.find(Kind::Namespace, "", w.ns())) {
    auto it = ns->meta.labels.find("istio-injection");
    return it != ns->meta.labels.end() && it->second == "enabled";
  }
  return false;
}

/// The workload runs in ambient mode (`ambient.istio.io/redirection: enabled`).
inline bool inAmbient(const model::Workload& w) {
  auto it = w.pod_annotations.find("ambient.istio.io/redirection");
  return it != w.pod_annotations.end() && it->second.value == "enabled";
}

}  // namespace istio_lint::analyzers::policy
