#pragma once

// A request followed hop by hop (sidecar -> egress gateway -> external host), each decision with
// the resource and file:line that made it. Built for output, so it allocates; the hot path is
// decide().

#include <string>
#include <vector>

#include "simulate/routing_model.h"

namespace istio_lint::simulate {

struct TraceStep {
  std::string what;     // "listener", "filter chain", "virtual host", "route", "cluster", ...
  std::string detail;   // the decision in words
  model::Span span;     // where it came from; line 0 when generated
};

struct TraceHop {
  std::string proxy;       // "ns/name"
  std::string proxy_type;  // "gateway" or "sidecar"
  std::string listener, filter_chain, route_config, virtual_host, route, cluster;
  std::string filter_chain_name;    // Envoy's name of the chain, when istiod names it ("0.0.0.0_80")
  std::string peer_authentication;  // inbound: the mTLS mode of the port (DISABLE/PERMISSIVE/STRICT)
  std::string subset;
  std::vector<std::pair<std::string, uint32_t>> split;  // weighted clusters when none was picked
  std::string tls;         // upstream TLS mode ("" plaintext)
  std::string tls_sni;
  std::vector<std::string> endpoints;  // "ns/name" workloads, or the external host
  std::string error;       // Envoy name: "404 NR", "503 NC", "BlackHoleCluster", ...
  std::string error_code;  // harness name: ErrNoRoute, ...
  std::string outcome;     // "forwarded", "redirect 301 https://...", "direct response 502", ...
  std::vector<TraceStep> steps;
  /// The VirtualService rule that routed this hop (an http route, or the tls/tcp route of the
  /// filter chain), and where it is; null when no VirtualService decided (a service's default
  /// route, PassthroughCluster, ...).
  const model::VirtualService* vs = nullptr;
  model::Span rule_span;
  /// The cluster chosen (null when the hop ends before one: an error, a redirect, a split).
  const Cluster* final_cluster = nullptr;
  /// The route chosen, as its index in the virtual host's routes (-1 when none was): with
  /// `proxy`, `route_config` and `virtual_host` it names the route (route coverage in `replay`).
  int route_index = -1;
};

struct Trace {
  std::vector<TraceHop> hops;
  std::string exit_kind = "none";  // direct | egress-gateway | none
  std::string exit_gateway;        // ns/name of the egress gateway workload
  std::string exit_detail;
};

/// How much a trace says: Full, every step with its file:line and each cluster's endpoints (what
/// `simulate` prints); Outcome, the decisions alone (proxies, route config, virtual host, route,
/// cluster, split, upstream TLS, error, outcome, exit), which is what `replay` counts, without
/// building the explanations.
enum class TraceDetail : uint8_t { Full, Outcome };

/// Follows `r` from `start`; at most `max_hops` proxies. With `deliver_to` (a sidecar proxy of
/// `m`), a service cluster whose endpoints include that sidecar's workload continues into the
/// sidecar's inbound side, on the Service port's targetPort, with the TLS the cluster originates
/// (`simulate --from A --to B`, `--gateway G --to B`).
Trace traceRequest(const RoutingModel& m, const Proxy& start, const Request& r, int max_hops = 4,
                   const Proxy* deliver_to = nullptr, TraceDetail detail = TraceDetail::Full);

}  // namespace istio_lint::simulate
