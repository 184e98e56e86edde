#pragma once

// The sidecar proxy builder behind buildSidecarProxy (simulate/builders.h), private to simulate/:
// sidecar_builder.cc imports the sidecar's scope (services and VirtualServices, after exportTo and
// the Sidecar's egress hosts) and builds its HTTP route configs; sidecar_listeners.cc builds the
// outbound listeners and their filter chains (SIMULATE-SEMANTICS.md §4.4, §5.1, §7, §8).

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "simulate/builders.h"

namespace istio_lint::simulate {

struct EgressHost {
  std::string ns;  // "*" or a namespace
  std::string host;
};

class SidecarBuilder {
 public:
  SidecarBuilder(const BuildContext& ctx, Proxy& p) : ctx_(ctx), p_(p) {}

  void build();

 private:
  // The scope and the HTTP route configs (sidecar_builder.cc).
  bool egressAllows(std::string_view ns, std::string_view host, bool bidirectional) const;
  void importServices();
  /// With ModelOptions::sidecar_hosts: the services kept although their host is not one of them,
  /// because a non-TLS, non-HTTP port without a VIP can take any connection on its port.
  void findCatchAllServices();
  /// A service whose listeners and routes can matter (see ModelOptions::sidecar_hosts).
  bool keep(const ServiceInfo& s) const { return ctx_.relevantService(s) || catch_all_.count(&s) != 0; }
  void importVirtualServices();
  /// The Host values a service answers to (istiod's generateVirtualHostDomains): its name, the
  /// short Kubernetes forms relative to the proxy's namespace, the same for each ExternalName
  /// alias the proxy imports, and its VIPs.
  std::vector<std::string> serviceDomains(const ServiceInfo& s) const;
  void addVhost(RouteConfig& rc, std::set<std::string>& used, std::string name, std::vector<std::string> domains,
                std::vector<Route> routes, model::Span span);
  Route defaultRoute(const ServiceInfo& s, uint32_t port);
  const RouteConfig* httpRouteConfig(uint32_t port);
  /// Some imported VirtualService names `host` exactly (it then wins over wildcards).
  bool explicitVsHost(const std::string& host) const { return explicit_hosts_.count(host) != 0; }
  /// The most specific wildcard VirtualService host (of the imported ones) covering `host`.
  std::string mostSpecificWildcard(const std::string& host) const;
  static bool httpish(const ServicePortInfo& p) { return isHttpFamily(p.protocol) || p.protocol == PortProtocol::Auto; }

  // Listeners and filter chains (sidecar_listeners.cc).
  FilterChain catchAllChain();
  Listener& listener(const std::string& address, uint32_t port);
  static std::vector<std::string> cidrKeys(const std::vector<std::string>& ranges);
  void addChain(Listener& l, FilterChain c);
  /// Positions in vs_ of the VirtualServices with tls (tcp) routes one of whose hosts overlaps
  /// `host`, in vs_ order.
  std::vector<uint32_t> l4Candidates(const std::string& host);
  /// tls/tcp routes of the imported VirtualServices for a service port (matchTLS / matchTCP);
  /// `cidrs` are the service's CIDR addresses, the new chains' prefix ranges.
  void l4Chains(Listener& l, const ServiceInfo& s, const ServicePortInfo& sp, bool tls,
                const std::vector<std::string>& cidrs);
  const RouteConfig* sharedRouteConfig(uint32_t port);
  FilterChain httpChain(uint32_t port);
  void buildListeners();

  /// What buildListeners asks about the chains a listener has so far, kept beside it instead of
  /// scanned for every service (thousands of services can share 0.0.0.0_443).
  struct ChainSummary {
    bool http = false;                              // an HTTP connection manager chain
    std::set<std::vector<std::string>> name_lists;   // the server names of each chain
    std::unordered_set<std::string> names;           // every server name
    std::set<std::vector<std::string>> cidr_lists;   // the prefix ranges of each chain (cidrKey)
  };

  /// The imported VirtualServices with tls or tcp routes, by resolved host: concrete hosts by name
  /// and by each of their ".suffix"es (what a "*.suffix" service host covers), wildcard hosts in a
  /// list. Built on first use.
  struct L4Index {
    bool built = false;
    std::vector<uint32_t> all;  // positions in vs_ with l4 routes
    std::unordered_map<std::string, std::vector<uint32_t>> exact, by_suffix;
    std::vector<std::pair<std::string, uint32_t>> wildcards;
  };

  const BuildContext& ctx_;
  Proxy& p_;
  std::vector<EgressHost> egress_;
  bool registry_only_ = false;
  bool dynamic_dns_ = false;
  std::vector<const ServiceInfo*> services_;
  std::set<const ServiceInfo*> catch_all_;
  std::unordered_map<std::string_view, const ServiceInfo*> imported_;  // keys view the registry
  std::vector<const model::VirtualService*> vs_;
  std::map<uint32_t, const RouteConfig*> rds_;
  std::map<std::pair<std::string, uint32_t>, uint32_t> listener_at_;  // (address, port) -> listener
  std::unordered_map<std::string, ChainSummary> summaries_;            // by listener name
  L4Index l4_;
  std::set<std::string> explicit_hosts_;
  std::vector<std::string> wildcard_hosts_;
};

}  // namespace istio_lint::simulate
