#pragma once

// Listeners and filter chains: what a connection on a port reaches, told apart by SNI and transport.

#include <string>
#include <string_view>
#include <vector>

#include "simulate/affix_index.h"
#include "simulate/route.h"

namespace istio_lint::simulate {

class RouteConfig;

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
  /// Builds the server-name index; call once after the chains are final.
  void index();

  /// Envoy's filter chain sieve: prefix ranges, server names, transport; 0 survivors fall back
  /// to the default chain. `ambiguous` is set when more than one chain survives.
  const FilterChain* match(std::string_view address, std::string_view sni, bool tls, bool http_plaintext,
                           bool& ambiguous) const;

 private:
  // The server-name step as lookups (Envoy's server_names maps), used when no chain has prefix
  // ranges: chain lists by exact name and by wildcard suffix ("*.x.com" as ".x.com"), and the
  // chains that name no server.
  std::vector<std::vector<uint32_t>> sni_lists_;
  StringMap<uint32_t> sni_exact_;
  AffixIndex<Affix::Suffix> sni_wildcard_;
  std::vector<uint32_t> unnamed_;
  bool any_named_ = false;
  bool any_prefix_ = false;
  bool indexed_ = false;  // without index() every match takes the full sieve
};

}  // namespace istio_lint::simulate
