// The sidecar scopes the egress rules trace from. Workloads route alike when they share a
// namespace, the Sidecar resource that applies to them, and the labels that VirtualServices match
// with sourceLabels; each such group is compiled once, through its first workload. Gateway
// workloads, the control plane and workloads without a sidecar (sidecar.istio.io/inject: "false")
// are not sources.

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "analyzers/egress_paths.h"

namespace istio_lint::analyzers::egress {
namespace {

using model::labelsSubset;

bool injectionDisabled(const model::Workload& w) {
  auto l = w.pod_labels.find("sidecar.istio.io/inject");
  if (l != w.pod_labels.end()) return l->second == "false";
  auto a = w.pod_annotations.find("sidecar.istio.io/inject");
  return a != w.pod_annotations.end() && a->second.value == "false";
}

/// The label keys some VirtualService match reads through sourceLabels.
std::set<std::string> sourceLabelKeys(const model::MeshGraph& g) {
  std::set<std::string> keys;
  for (const model::Resource* r : g.ofKind(model::Kind::VirtualService)) {
    const auto& vs = static_cast<const model::VirtualService&>(*r);
    for (const model::HttpRoute& h : vs.http) {
      for (const model::HttpMatch& m : h.match) {
        for (const auto& [k, v] : m.source_labels) keys.insert(k);
      }
    }
    for (const auto* routes : {&vs.tls, &vs.tcp}) {
      for (const model::L4Route& l : *routes) {
        for (const model::L4Match& m : l.match) {
          for (const auto& [k, v] : m.source_labels) keys.insert(k);
        }
      }
    }
  }
  return keys;
}

/// The Sidecar resource istiod applies to a workload (simulate/sidecar_builder.cc sidecarFor): one
/// in its namespace selecting it, else the namespace-wide one, else the root namespace's.
class SidecarIndex {
 public:
  explicit SidecarIndex(const model::MeshGraph& g) : root_(g.meshConfig().root_namespace) {
    for (const model::Resource* r : g.ofKind(model::Kind::Sidecar)) {
      by_ns_[r->ns()].push_back(static_cast<const model::Sidecar*>(r));
    }
  }
  const model::Sidecar* forWorkload(const std::string& ns, const model::Labels& labels) const {
    const model::Sidecar* ns_wide = nullptr;
    if (auto it = by_ns_.find(ns); it != by_ns_.end()) {
      for (const model::Sidecar* sc : it->second) {
        if (sc->workload_selector && !sc->workload_selector->empty()) {
          if (labelsSubset(*sc->workload_selector, labels)) return sc;
        } else if (ns_wide == nullptr) {
          ns_wide = sc;
        }
      }
    }
    if (ns_wide != nullptr || ns == root_) return ns_wide;
    if (auto it = by_ns_.find(root_); it != by_ns_.end()) {
      for (const model::Sidecar* sc : it->second) {
        if (!sc->workload_selector || sc->workload_selector->empty()) return sc;
      }
    }
    return nullptr;
  }

 private:
  std::string root_;
  std::unordered_map<std::string, std::vector<const model::Sidecar*>> by_ns_;
};

}  // namespace

SourcePlan planSources(const model::MeshGraph& g, const std::vector<std::string>& fallback_namespaces) {
  SourcePlan plan;
  const model::GatewayInventory& inv = g.gatewayInventory();
  std::set<const model::Resource*> control_plane(inv.controlPlanes().begin(), inv.controlPlanes().end());
  const std::set<std::string> keys = sourceLabelKeys(g);
  const SidecarIndex sidecars(g);
  std::map<std::string, size_t> index;  // group key -> position in plan.groups
  for (const model::Workload* w : g.workloads().all()) {
    if (inv.find(*w) != nullptr || control_plane.count(w) != 0 || injectionDisabled(*w)) continue;
    const model::Sidecar* sc = sidecars.forWorkload(w->ns(), w->pod_labels);
    std::string key = w->ns() + '\n' + (sc ? sc->ns() + "/" + sc->name() : std::string());
    for (const std::string& k : keys) {
      auto it = w->pod_labels.find(k);
      key += '\n' + k + (it == w->pod_labels.end() ? std::string("\x01") : "=" + it->second);
    }
    auto [it, fresh] = index.try_emplace(std::move(key), plan.groups.size());
    if (fresh) plan.groups.push_back({w->ns() + "/" + w->name(), w->ns(), {}});
    plan.groups[it->second].workloads.push_back(w);
  }
  if (plan.groups.empty()) {
    std::set<std::string> seen;
    for (std::string ns : fallback_namespaces) {
      if (ns.empty()) ns = "default";  // where kubectl puts a resource without a namespace
      if (seen.insert(ns).second) plan.groups.push_back({ns + "/*", ns, {}});
    }
  }
  return plan;
}

}  // namespace istio_lint::analyzers::egress
