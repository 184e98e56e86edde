#pragma once

// RouteConfiguration and its virtual hosts, looked up the Envoy way: exact domain, longest `*.suffix`,
// longest `prefix.*`, then `*`; the port in Host is ignored (Istio sets ignore_port_in_host_matching).

#include <string>
#include <string_view>
#include <vector>

#include "simulate/affix_index.h"
#include "simulate/route.h"

namespace istio_lint::simulate {

struct VirtualHost {
  std::string name;
  std::vector<std::string> domains;
  std::vector<Route> routes;
  bool require_tls = false;  // httpsRedirect
  model::Span span;          // the server / VirtualService host that created it
  model::Span redirect_span;
};

class RouteConfig {
 public:
  std::string name;
  std::vector<VirtualHost> vhosts;
  bool rds = true;  // false: inline in the listener (sidecar inbound), not an RDS resource

  /// Builds the domain index; call once after vhosts are final.
  void index();
  /// `host` may carry a port and any case. Null: no virtual host (404 NR).
  const VirtualHost* find(std::string_view host) const;
  /// The virtual host a domain is declared on (exact string), or null.
  const VirtualHost* byDomain(std::string_view domain) const;

 private:
  StringMap<uint32_t> exact_;
  AffixIndex<Affix::Suffix> suffixes_;  // "*.foo.com" stored as ".foo.com"
  AffixIndex<Affix::Prefix> prefixes_;  // "foo.*" stored as "foo."
  int star_ = -1;
};

/// The name istiod gives the route configuration of a gateway's HTTPS server
/// (gatewayRDSRouteName): https.<port>.<port name>.<gateway name>.<gateway namespace>.
std::string httpsRouteConfigName(const model::Gateway& gateway, const model::GatewayServer& server);

}  // namespace istio_lint::simulate
