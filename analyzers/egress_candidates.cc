// The cheap first pass of the egress rules: which Gateway resources may send traffic out of the
// mesh (and so need a compiled proxy), and whether the inputs hold anything egress-related at all.
// Only the graph's indexes are read; nothing here is quadratic in resources or hosts.

#include "analyzers/egress_paths.h"

#include <set>
#include "model/host.h"

namespace istio_lint::analyzers::egress {
namespace {

bool routesToExternalHost(const model::MeshGraph& g, const model::VirtualService& vs) {
  for (const model::HttpRoute& r : vs.http) {
    for (const model::RouteDestination& d : r.route) {
      if (isExternalHost(g, d.destination.host.value)) return true;
    }
  }
  for (const auto* routes : {&vs.tls, &vs.tcp}) {
    for (const model::L4Route& r : *routes) {
      for (const model::RouteDestination& d : r.route) {
        if (isExternalHost(g, d.destination.host.value)) return true;
      }
    }
  }
  return false;
}

}  // namespace

bool isExternalHost(const model::MeshGraph& g, std::string_view host) {
  if (host.empty() || host == "*") return false;
  size_t dot = host.find('.');
  if (dot == std::string_view::npos) return false;  // a short name: a Service of `ns`
  const std::string suffix = "." + g.domainSuffix();
  if (host.ends_with(suffix) || host.ends_with(".svc")) return false;
  const std::vector<model::RegistryEntry>* entries =
      model::host::isWildcard(host) ? g.registry().exact(host) : g.registry().lookup(host);
  if (entries != nullptr) {
    bool external = false;
    for (const model::RegistryEntry& e : *entries) {
      if (e.resource->kind == model::Kind::Service) return false;
      if (e.resource->kind != model::Kind::ServiceEntry) continue;
      const auto& se = static_cast<const model::ServiceEntry&>(*e.resource);
      if (se.location.value == "MESH_INTERNAL") return false;
      external = true;
    }
    if (external) return true;
  }
  // "name.namespace" of a Service in the inputs.
  if (host.find('.', dot + 1) == std::string_view::npos &&
      g.find(model::Kind::Service, host.substr(dot + 1), host.substr(0, dot)) != nullptr) {
    return false;
  }
  return true;
}

bool boundToMesh(const model::MeshGraph& g, const model::VirtualService& vs) {
  if (vs.gateways.empty()) return true;
  for (const model::BoundGateway& b : g.gatewaysOf(vs)) {
    if (b.top_level && b.ref.mesh) return true;
  }
  return false;
}

EgressCandidates::EgressCandidates(const model::MeshGraph& g) {
  const model::GatewayInventory& inv = g.gatewayInventory();
  for (const model::GatewayWorkload& w : inv.gateways()) {
    if (w.egress && w.declared()) egress_workloads.push_back(&w);
  }
  for (const model::Resource* r : g.ofKind(model::Kind::Gateway)) {
    const auto& gw = static_cast<const model::Gateway&>(*r);
    bool candidate = false;
    if (!egress_workloads.empty()) {
      for (const model::GatewayWorkload* w : inv.forGateway(g, gw)) candidate = candidate || (w->egress && w->declared());
    }
    for (const model::VirtualService* vs : g.virtualServicesOf(gw)) {
      if (candidate) break;
      candidate = routesToExternalHost(g, *vs);
    }
    if (candidate) gateways.push_back(gw.ns() + "/" + gw.name());
  }
  std::set<std::string> names;
  for (const model::GatewayWorkload* w : egress_workloads) {
    for (std::string& n : workloadNames(*w)) names.insert(std::move(n));
  }
  if (names.empty()) return;
  for (const model::Resource* r : g.ofKind(model::Kind::VirtualService)) {
    for (const model::BoundGateway& b : g.gatewaysOf(static_cast<const model::VirtualService&>(*r))) {
      if (!b.ref.mesh && b.gateway == nullptr && names.count(b.ref.name) != 0) workload_named = true;
    }
    if (workload_named) break;
  }
}

std::vector<std::string> workloadNames(const model::GatewayWorkload& w) {
  std::vector<std::string> out{w.workload->name()};
  auto it = w.workload->pod_labels.find("istio");
  if (it != w.workload->pod_labels.end() && it->second != out.front()) out.push_back(it->second);
  return out;
}

}  // namespace istio_lint::analyzers::egress
