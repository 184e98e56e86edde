#pragma once

// Listeners and filter chains: what a connection on a port reaches, told apart by SNI and transport.

#include <string>
#include <string_view>
#include <vector>

#include "simulate/affix_index.h"
#include "simulate/request.h"
#include "simulate/route.h"

namespace istio_lint::simulate {

class RouteConfig;

/// Two CIDRs (or addresses) name the same network, ignoring host bits ("10.1.0.0/16" ==
/// "10.1.2.3/16"; IPv4 and IPv6).
bool sameCidr(std::string_view a, std::string_view b);
/// A key equal for two ranges exactly when sameCidr() holds (host bits masked), for set lookups.
std::string cidrKey(std::string_view cidr);

struct FilterChain {
  enum class Termination : uint8_t { None, Simple, Mutual, IstioMutual };
  enum class Transport : uint8_t { Any, Tls, Raw };
  std::string name;
  std::vector<std::string> server_names;  // empty: any SNI; "*.x" wildcards allowed
  std::vector<std::string> prefix_ranges;  // destination CIDRs / IPs; empty: any
  Transport transport = Transport::Any;
  bool istio_alpn = false;  // AUTO_PASSTHROUGH: only Istio mTLS clients (ALPN istio*)
  bool http_alpn = false;   // sniffed ports: only plaintext HTTP (http_inspector ALPN)
  Termination termination = Termination::None;
  uint32_t destination_port = 0;  // inbound chains: the workload port they serve; 0: any port
  uint16_t alpn = 0;              // application_protocols as alpnBit() values; 0: any
  bool require_client_cert = false;
  std::string tls_secret;  // terminating chains: the server certificate's SDS name ("default": Istio's)
  std::string mtls;        // inbound chains: the mTLS mode that shaped the chain, and where it comes from
  model::Span mtls_span;   // the PeerAuthentication (or its portLevelMtls entry) that decided it
  const RouteConfig* route_config = nullptr;  // HTTP connection manager; else tcp_proxy
  std::vector<WeightedCluster> tcp;           // tcp_proxy targets
  uint32_t tcp_total_weight = 0;
  std::string why;    // "Gateway server HTTPS 443 (SIMPLE)", "VirtualService tls route", ...
  model::Span span;   // the server or route that made this chain
  const model::VirtualService* vs = nullptr;  // the VirtualService of a tls/tcp route chain
};

struct Listener {
  std::string name;     // "0.0.0.0_80", "10.0.0.1_443", "virtualOutbound"
  std::string address;  // "0.0.0.0" or a VIP
  uint32_t port = 0;
  std::vector<FilterChain> chains;
  int default_chain = -1;
  model::Span span;
  /// The inbound listener's listener filters, derived from its chains per destination port as
  /// istiod does (populateListenerFilters): without the TLS inspector a port sees every
  /// connection as raw bytes (no SNI, no ALPN); the HTTP inspector gives plaintext HTTP its ALPN
  /// (http/1.1, h2c). Unset: both apply everywhere (outbound and gateway listeners).
  bool per_port_inspectors = false;

  /// Builds the server-name index (and the inspectors); call once after the chains are final.
  void index();
  bool tlsInspector(uint32_t port) const;
  bool httpInspector(uint32_t port) const;
  /// Some chain matches on an ALPN list (the inbound chains); the others never look at `alpn`.
  bool matchesAlpnLists() const { return alpn_lists_; }

  /// Envoy's filter chain sieve: destination port, prefix ranges, server names, transport,
  /// application protocols; 0 survivors fall back to the default chain. `ambiguous` is set when
  /// more than one chain survives. `http_plaintext` stands for the HTTP inspector's ALPN on chains
  /// that only take sniffed plaintext HTTP (outbound); `alpn` is matched against chains' ALPN lists.
  const FilterChain* match(std::string_view address, std::string_view sni, bool tls, bool http_plaintext,
                           bool& ambiguous, uint32_t port = 0, Alpn alpn = Alpn::None) const;

 private:
  enum : uint8_t { kDestPort = 1, kPrefix = 2, kSni = 4, kTransport = 8, kAlpn = 16 };
  uint8_t criteria_ = 0xff;  // the match fields some chain sets (index()); unindexed: all
  bool tls_inspector_ = false, tls_default_ = false, http_inspector_ = false, alpn_lists_ = true;
  std::vector<std::pair<uint32_t, uint8_t>> inspector_ports_;  // port (0: chains without one) -> needs TLS(1) / HTTP(2)
  // The server-name step as lookups (Envoy's server_names maps), used when no chain has a
  // destination port or prefix ranges: chain lists by exact name and by wildcard suffix
  // ("*.x.com" as ".x.com"), and the chains that name no server.
  std::vector<std::vector<uint32_t>> sni_lists_;
  StringMap<uint32_t> sni_exact_;
  AffixIndex<Affix::Suffix> sni_wildcard_;
  std::vector<uint32_t> unnamed_;
  bool indexed_ = false;  // without index() every match takes the full sieve
};

}  // namespace istio_lint::simulate
