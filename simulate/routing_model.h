#pragma once

// The compiled routing model: what istiod would send to every gateway workload and sidecar scope,
// built once from the mesh graph and immutable afterwards. `decide()` walks it the way Envoy does;
// see docs/simulate.md and SIMULATE-SEMANTICS.md for the semantics.
//
//   auto m = RoutingModel::build(graph, {});
//   const Proxy* gw = m->gatewayProxy("istio-system", "public-gw");
//   Decision d = decide(*gw, request);

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/mesh_graph.h"
#include "simulate/ingress.h"
#include "simulate/proxy.h"
#include "simulate/registry.h"
#include "simulate/request.h"

namespace istio_lint::simulate {

struct ModelOptions {
  /// Suffix for short host names (name -> name.ns.svc.<domain>); empty: name.ns (istiod's test
  /// control plane). Unset: the graph's domain (cluster.local).
  std::optional<std::string> short_name_domain;
  /// Sidecar scopes to compile: "ns/workload" names. Unset: every workload that is not a gateway.
  std::optional<std::vector<std::string>> sidecars;
  /// Extra proxies that are not workloads of the inputs (conformance cases, ad-hoc queries).
  std::vector<ProxyIdentity> extra;
  /// Gateway resources ("ns/name") whose workloads are compiled. Unset: every Gateway.
  std::optional<std::vector<std::string>> gateways;
  /// Sidecars: outbound listeners only for these ports. Decisions on these ports are the same as
  /// with every port built; a request on another port reaches virtualOutbound. Unset: every port.
  std::optional<std::vector<uint32_t>> sidecar_ports;
  /// Sidecars: leave out what cannot change a request to one of these hosts (VirtualServices and
  /// services whose hosts and SNI names match none of them, except services that may catch any
  /// connection on a port: non-TLS, non-HTTP ports without a VIP, and their tcp routes). Decisions
  /// for requests to these hosts are the same as with everything built; only listener names may
  /// differ where nothing else listens on the port. Unset: everything.
  std::optional<std::vector<std::string>> sidecar_hosts;
  /// istiod's ENABLE_TLS_ON_SIDECAR_INGRESS (off by default): the `tls` of Sidecar ingress
  /// listeners terminates TLS on ports whose PeerAuthentication mode is DISABLE.
  bool sidecar_ingress_tls = false;
};

class RoutingModel {
 public:
  static std::unique_ptr<RoutingModel> build(const model::MeshGraph& graph, const ModelOptions& options);

  /// The proxy of the workload a Gateway resource selects (the first, by namespace/name); when no
  /// workload of the inputs matches, a proxy with the Gateway's selector labels in its namespace.
  const Proxy* gatewayProxy(std::string_view ns, std::string_view gateway) const;
  /// The sidecar of a workload ("ns/name" of a Deployment, Pod, ...), if compiled.
  const Proxy* sidecarProxy(std::string_view ns, std::string_view workload) const;
  /// A proxy by its identity name ("ns/name"), of either type.
  const Proxy* proxy(std::string_view name) const;
  const std::vector<std::unique_ptr<Proxy>>& proxies() const { return proxies_; }

  const model::MeshGraph& graph() const { return *graph_; }
  const Registry& registry() const { return *registry_; }
  /// The Gateways and VirtualServices generated from the inputs' Ingresses.
  const IngressConfig& ingress() const { return *ingress_; }
  const std::string& shortNameDomain() const { return short_domain_; }

 private:
  RoutingModel() = default;
  const model::MeshGraph* graph_ = nullptr;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<IngressConfig> ingress_;  // generated from Ingresses; the proxies point into it
  std::string short_domain_;
  std::vector<std::unique_ptr<Proxy>> proxies_;
  std::unordered_map<std::string, const Proxy*> by_name_;
  std::unordered_map<std::string, const Proxy*> by_gateway_;  // "ns/name" of a Gateway resource
  friend class ModelBuilder;
};

/// One routing decision at one proxy. Pure: same (proxy, request) gives the same decision; it
/// allocates nothing.
Decision decide(const Proxy& proxy, const Request& request);

}  // namespace istio_lint::simulate
