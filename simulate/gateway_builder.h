#pragma once

// The gateway proxy builder behind buildGatewayProxy (simulate/builders.h), private to simulate/:
// gateway_builder.cc decides which Gateways apply to the workload, the port each server binds
// (port translation), how servers merge per port, and builds the HTTP route configs;
// gateway_chains.cc builds the listeners and their filter chains per server (HTTPS termination,
// TLS passthrough by SNI, AUTO_PASSTHROUGH, tcp_proxy) (SIMULATE-SEMANTICS.md §3).

#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/host_index.h"
#include "simulate/builders.h"

namespace istio_lint::simulate {

class GatewayBuilder {
 public:
  GatewayBuilder(const BuildContext& ctx, Proxy& p) : ctx_(ctx), p_(p) {}

  void build();

 private:
  struct BoundServer {
    const model::Gateway* gw;
    const model::GatewayServer* server;
  };

  struct PortState {
    uint32_t bind = 0;
    bool tls = false;
    std::string protocol;  // plaintext: the first server's protocol
    std::vector<BoundServer> servers;
    std::set<std::string> tls_hosts;  // "namespace/host/bind" of the TLS servers kept so far
  };

  /// A server's hosts, indexed (model::HostIndex) so that a VirtualService host finds the server
  /// hosts it overlaps without a scan.
  struct ServerHosts {
    std::vector<std::pair<std::string, std::string>> hosts;  // {namespace or "*", host}, in order
    model::HostIndex<uint32_t> index;                         // host -> positions in `hosts`
  };

  // Names and protocols (gateway_builder.cc).
  static bool httpProtocol(const std::string& p);
  static bool isTlsServer(const model::GatewayServer& s);
  static std::string tlsMode(const model::GatewayServer& s);
  /// A server host normalised: {namespace restriction ("*" for any), host}.
  static std::pair<std::string, std::string> serverHost(const std::string& h, const std::string& gw_ns);

  // Binding, VirtualServices, HTTP route configs (gateway_builder.cc).
  /// The proxy's services: Kubernetes Services of its namespace selecting it, and ServiceEntries
  /// whose endpoints name its IP.
  void collectServices();
  /// Hostnames of the Services a Gateway is bound to by `internal.istio.io/gateway-service`.
  static std::vector<std::string> serviceRefs(const model::Gateway& g);
  bool applies(const model::Gateway& g) const;
  /// The port a server binds: a matching Service port's targetPort (selector gateways fall back to
  /// the number as written; Service-reference gateways bind nothing: 0).
  uint32_t bindPort(const model::Gateway& g, uint32_t port) const;
  static std::string tlsHostKey(const model::Str& host, const model::Gateway& g, const model::GatewayServer& s);
  /// A TLS server repeating a (namespace, host, bind) of a server already on the port is dropped.
  static bool duplicateHosts(const PortState& st, const model::GatewayServer& s, const model::Gateway& g);
  /// VirtualServices bound to the gateway and visible to the proxy's config namespace.
  std::vector<const model::VirtualService*> boundVs(const model::Gateway& g) const;
  const ServerHosts& serverHosts(const model::GatewayServer& s, const model::Gateway& g) const;
  /// Server hosts x VirtualService hosts, keeping the more specific side of each overlapping pair
  /// (in server host order, then VirtualService host order, without repeats).
  std::vector<std::string> intersect(const model::GatewayServer& s, const model::Gateway& g,
                                     const model::VirtualService& vs) const;
  const RouteConfig* buildRds(const std::string& name, const std::vector<BoundServer>& servers);

  // Listeners and filter chains (gateway_chains.cc).
  /// L4 match of a VirtualService tcp/tls route on this gateway.
  static bool l4Matches(const model::L4Match& m, uint32_t port, const std::string& gw_name, const BuildContext& ctx,
                        const model::VirtualService& vs);
  void tcpTargets(FilterChain& c, const model::L4Route& route, const model::VirtualService& vs, uint32_t port);
  /// A VirtualService translated from a Gateway API TLSRoute (istio marks these with the
  /// `internal.istio.io/parents: TLSRoute/<name>.<ns>` annotation).
  static bool fromTlsRoute(const model::VirtualService& vs);
  /// Which routes give a tcp_proxy chain: `tcp` routes (TCP servers and terminated TLS servers),
  /// or, on a terminated TLS server without a matching tcp route, the `tls` routes of TLSRoute
  /// translations (a TLSRoute attached to a Terminate listener; a plain VirtualService's `tls`
  /// routes do not apply there).
  enum class L4Routes : uint8_t { Tcp, TlsRouteTls };
  /// tcp_proxy from the first bound VirtualService with a matching route of that kind.
  bool tcpProxyChain(FilterChain& c, const BoundServer& b, L4Routes which);
  void buildListener(PortState& st);
  void serverChains(Listener& l, const BoundServer& b, std::set<std::string>& sni_seen);

  const BuildContext& ctx_;
  Proxy& p_;
  mutable std::unordered_map<const model::GatewayServer*, ServerHosts> server_hosts_;
  std::vector<const ServiceInfo*> targets_;
};

}  // namespace istio_lint::simulate
