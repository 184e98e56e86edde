#pragma once

// What the gateway topology rules share: the public / internal side of an Istio Gateway, decided
// by the Services of the gateway workloads it selects, with the reason in words.

#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "model/gateway_inventory.h"

namespace istio_lint::analyzers::gateway {

/// A Gateway resource whose declared workloads are all on one side.
struct GatewaySide {
  model::Exposure exposure = model::Exposure::Unknown;
  std::string why;  // "Service istio-system/public-gw is a LoadBalancer without an internal annotation"
};

/// The side of a Gateway: Public when any declared workload it selects has a public Service;
/// Internal when its workloads are only behind internal load balancers (or ClusterIP Services,
/// with at least one internal load balancer); Unknown otherwise (no Service, NodePort, only the
/// assumed default ingress). Egress gateways are left out: the hosts of an egress Gateway are the
/// destinations it forwards to, not names it serves to clients.
inline GatewaySide sideOf(const model::MeshGraph& g, const model::Gateway& gw) {
  GatewaySide out;
  const std::vector<const model::GatewayWorkload*> workloads = g.gatewayInventory().forGateway(g, gw);
  bool any_internal = false, any_unknown = false;
  std::string internal_why;
  for (const model::GatewayWorkload* w : workloads) {
    if (w->egress) continue;
    if (!w->declared()) {
      any_unknown = true;
      continue;
    }
    for (const model::GatewayService& s : w->services) {
      const std::string svc = "Service " + s.service->ns() + "/" + s.service->name();
      if (s.exposure == model::Exposure::Public && out.exposure != model::Exposure::Public) {
        out.exposure = model::Exposure::Public;
        out.why = svc + " is a LoadBalancer without an internal-load-balancer annotation";
      } else if (s.exposure == model::Exposure::Internal && internal_why.empty()) {
        internal_why = svc + " is an internal LoadBalancer (" + s.internal_annotation + ")";
      }
    }
    if (w->exposure == model::Exposure::Internal) any_internal = true;
    if (w->exposure == model::Exposure::NodePort || w->exposure == model::Exposure::Unknown) any_unknown = true;
  }
  if (out.exposure == model::Exposure::Public) return out;
  if (any_internal && !any_unknown) {
    out.exposure = model::Exposure::Internal;
    out.why = internal_why;
  }
  return out;
}

/// The labels to select a gateway's pods with, as YAML flow: its `istio` label (what Gateway
/// selectors use), else `app`, else every pod label.
inline std::string suggestedSelector(const model::Labels& labels) {
  for (const char* key : {"istio", "app", "app.kubernetes.io/name"}) {
    if (auto it = labels.find(key); it != labels.end()) return "{" + it->first + ": " + it->second + "}";
  }
  std::string out;
  for (const auto& [k, v] : labels) out += (out.empty() ? "" : ", ") + k + ": " + v;
  return "{" + out + "}";
}

/// A server or VirtualService host without the `ns/` prefix Gateway servers allow.
inline std::string_view bareHost(std::string_view h) {
  size_t slash = h.find('/');
  return slash == std::string_view::npos ? h : h.substr(slash + 1);
}

}  // namespace istio_lint::analyzers::gateway
