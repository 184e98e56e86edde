#pragma once

// Listeners and filter chains: what a connection on a port reaches, told apart by SNI and transport.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "simulate/route.h"

namespace istio_lint::simulate {

class RouteConfig;

struct SniHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

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
  /// Exact server name -> chain, usable when every chain is told apart by server names alone.
  std::unordered_map<std::string, uint32_t, SniHash, std::equal_to<>> by_sni;
  bool sni_only = false;

  /// Envoy's filter chain sieve: prefix ranges, server names, transport; 0 survivors fall back
  /// to the default chain. `ambiguous` is set when more than one chain survives.
  /// Builds the exact-SNI index; call once after the chains are final.
  void index();

  const FilterChain* match(std::string_view address, std::string_view sni, bool tls, bool http_plaintext,
                           bool& ambiguous) const;
};

}  // namespace istio_lint::simulate
