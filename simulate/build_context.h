#pragma once

// What the builders share while compiling proxies: the graph, the registry, resources in istiod's
// order (creation time, then name, then namespace), DestinationRules by namespace, and the
// cluster factory. Used only at build time.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/mesh_graph.h"
#include "simulate/ingress.h"
#include "simulate/proxy.h"
#include "simulate/registry.h"
#include "simulate/route.h"

namespace istio_lint::simulate {

class BuildContext {
 public:
  /// `ingress`: the Gateways and VirtualServices generated from Ingresses (simulate/ingress.h),
  /// taken in beside the graph's.
  BuildContext(const model::MeshGraph& g, const Registry& registry, std::string short_domain,
               const IngressConfig* ingress = nullptr);

  const model::MeshGraph& graph;
  const Registry& registry;
  std::string short_domain;
  std::string root_ns;
  /// ModelOptions::sidecar_ports: the only ports sidecars get outbound listeners for; unset: all.
  std::optional<std::set<uint32_t>> sidecar_ports;
  /// ModelOptions::sidecar_hosts (see there).
  void setSidecarHosts(std::vector<std::string> hosts);
  bool filtersHosts() const { return sidecar_hosts_.has_value(); }
  /// `host` matches one of the sidecar hosts (always true when they are unset).
  bool relevantHost(std::string_view host) const;
  /// A host or a tls sniHosts name of the VirtualService matches one of the sidecar hosts.
  bool relevantVs(const model::VirtualService& vs) const {
    return !sidecar_hosts_ || relevant_vs_.count(&vs) != 0;
  }
  /// The service's host matches one of the sidecar hosts.
  bool relevantService(const ServiceInfo& s) const { return !sidecar_hosts_ || relevant_services_.count(&s) != 0; }
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

  /// The delegate VirtualService an http route names, when istiod would merge it: it exists, has
  /// no hosts and is exported to the root's namespace. Null otherwise (the route is dropped).
  const model::VirtualService* delegateOf(const model::VirtualService& root, const model::HttpRoute& route) const;
  /// The routes of one VirtualService for one proxy and port (istiod's
  /// BuildHTTPRoutesForVirtualService): match entries filtered by port, gateways ("mesh" for
  /// sidecars), source labels and namespace, delegate routes merged in (simulate/delegate.h); a
  /// catch-all ends the list.
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
  /// ModelOptions::sidecar_hosts, indexed so that relevantHost() costs one probe per label:
  /// concrete hosts, every ".suffix" of them (and ""), and the suffixes of wildcard hosts ("*.x"
  /// as ".x", "*" as "") with every ".suffix" of those; wildcards not of the form "*.x" are
  /// compared one by one.
  std::optional<std::vector<std::string>> sidecar_hosts_;
  std::unordered_set<std::string> concrete_, concrete_suffixes_, wild_, wild_suffixes_;
  std::vector<std::string> odd_wild_;
  std::unordered_set<const model::VirtualService*> relevant_vs_;
  std::unordered_set<const ServiceInfo*> relevant_services_;
  std::unordered_map<std::string, std::vector<std::pair<std::string, const model::DestinationRule*>>> drs_by_ns_;
};

/// `a` is covered by `b` (istio host.SubsetOf), and the symmetric overlap (host.Matches).
bool hostSubsetOf(std::string_view a, std::string_view b);
bool hostMatches(std::string_view a, std::string_view b);

}  // namespace istio_lint::simulate
