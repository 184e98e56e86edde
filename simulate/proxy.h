#pragma once

// One compiled proxy: a gateway workload or a sidecar scope (namespace + Sidecar resource), with its
// listeners, route configurations and clusters. Immutable once built.

#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/resources/networking.h"
#include "model/resources/resource.h"
#include "simulate/cluster.h"
#include "simulate/listener.h"
#include "simulate/route_config.h"

namespace istio_lint::simulate {

/// Who the proxy is: the workload labels and namespaces istiod generates config for.
struct ProxyIdentity {
  enum class Type : uint8_t { Gateway, Sidecar };
  Type type = Type::Sidecar;
  std::string name;              // "ns/workload" (or "ns/*" for a namespace scope)
  std::string ns;                // the pod's namespace
  std::string config_ns;         // istiod's ConfigNamespace (usually ns)
  model::Labels labels;
  const model::Resource* workload = nullptr;
  std::string ip;  // the pod IP when known (ServiceEntry endpoints can name it)
  /// DNS capture with address auto-allocation (ISTIO_META_DNS_CAPTURE and
  /// ISTIO_META_DNS_AUTO_ALLOCATE): ServiceEntry hosts without addresses get their allocated VIP.
  bool dns_auto_allocate = false;
};

struct Proxy {
  ProxyIdentity id;
  std::vector<Listener> listeners;
  std::unordered_map<uint32_t, std::vector<uint32_t>> listeners_by_port;
  int virtual_outbound = -1;  // sidecars: the 15001 listener
  int virtual_inbound = -1;   // sidecars: the 15006 listener (inbound chains per port, passthrough)
  std::deque<RouteConfig> route_configs;
  std::unordered_map<std::string, std::unique_ptr<Cluster>> clusters;
  /// Match lists of delegate routes merged into their root's (Route::http_match points here).
  std::deque<std::vector<model::HttpMatch>> merged_matches;
  /// Sidecars: ALLOW_ANY or REGISTRY_ONLY and what decided it.
  std::string outbound_policy;
  model::Span outbound_policy_span;
  std::string outbound_policy_source;  // "mesh config", "Sidecar ns/name"
  const model::Resource* sidecar = nullptr;  // the Sidecar resource of the scope
  /// Gateways: the Gateway resources that apply, in istiod's order.
  std::vector<const model::Resource*> gateways;

  const Listener* listenerFor(std::string_view address, uint32_t port) const;
  const Cluster* cluster(std::string_view name) const;
};

}  // namespace istio_lint::simulate
