#pragma once

// What the builders share while compiling proxies: the graph, the registry, resources in istiod's
// order (creation time, then name, then namespace), DestinationRules by namespace, and the
// cluster factory. Used only at build time.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/mesh_graph.h"
#include "simulate/proxy.h"
#include "simulate/registry.h"
#include "simulate/route.h"

namespace istio_lint::simulate {

class BuildContext {
 public:
  BuildContext(const model::MeshGraph& g, const Registry& registry, std::string short_domain);

  const model::MeshGraph& graph;
  const Registry& registry;
  std::string short_domain;
  std::string root_ns;
  /// istiod's ENABLE_TLS_ON_SIDECAR_INGRESS: Sidecar ingress `tls` settings take effect.
  bool sidecar_ingress_tls = false;

  /// VirtualServices and Gateways in istiod's order.
  const std::vector<const model::VirtualService*>& virtualServices() const { return vs_; }
  const std::vector<const model::Gateway*>& gateways() const { return gw_; }
  std::string resolve(std::string_view host, std::string_view ns) const { return resolveHost(host, ns, short_domain); }
  /// Whether the VirtualService is exported to `ns`.
  static bool vsVisible(const model::VirtualService& vs, std::string_view ns);
  /// spec.gateways resolved ("mesh" when empty).
  std::vector<std::string> vsGateways(const model::VirtualService& vs) const;

  /// The routes of one VirtualService for one proxy and port (istiod's
  /// BuildHTTPRoutesForVirtualService): match entries filtered by port, gateways, source labels and
  /// namespace; a catch-all ends the list.
  std::vector<Route> httpRoutes(Proxy& proxy, const model::VirtualService& vs, uint32_t port,
                                std::string_view gateway) const;
  /// The cluster for a destination (outbound|port|subset|host), created on first use. `port` is
  /// the listener (sidecar) or server (gateway) port used when the destination names none.
  const Cluster* destinationCluster(Proxy& proxy, const model::Destination& d, std::string_view vs_ns,
                                    uint32_t port) const;
  const Cluster* cluster(Proxy& proxy, const std::string& host, uint32_t port, const std::string& subset) const;
  const Cluster* special(Proxy& proxy, Cluster::Kind kind) const;

 private:
  const model::DestinationRule* destinationRule(const Proxy& proxy, std::string_view host,
                                                std::string_view svc_ns) const;
  void upstreamTls(const Proxy& proxy, Cluster& c) const;
  std::vector<const model::VirtualService*> vs_;
  std::vector<const model::Gateway*> gw_;
  std::unordered_map<std::string, std::vector<std::pair<std::string, const model::DestinationRule*>>> drs_by_ns_;
};

/// `a` is covered by `b` (istio host.SubsetOf), and the symmetric overlap (host.Matches).
bool hostSubsetOf(std::string_view a, std::string_view b);
bool hostMatches(std::string_view a, std::string_view b);

}  // namespace istio_lint::simulate
