#pragma once

// Upstream clusters as istiod names them (outbound|port|subset|host) with the DestinationRule that
// shapes them, its upstream TLS, and the workloads behind them.

#include <cstdint>
#include <string>
#include <vector>

#include "model/resources/kube.h"
#include "model/resources/networking.h"

namespace istio_lint::simulate {

struct Proxy;

struct UpstreamTls {
  std::string mode;  // DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL; "" = plaintext; "ISTIO_MUTUAL (auto)"
  std::string sni;
  std::string credential;
  std::string note;  // e.g. why credentialName is ignored on a sidecar
  model::Span span;  // the tls block that decided it
  /// ISTIO_MUTUAL chosen by auto mTLS (no DestinationRule tls): only endpoints with a sidecar get it.
  bool auto_mtls = false;
  /// SIMPLE/MUTUAL with a credentialName a sidecar ignores (no workloadSelector): sent in plaintext.
  bool credential_ignored = false;
};

struct Cluster {
  enum class Kind : uint8_t {
    Service,      // a registry service (Service or ServiceEntry) port
    Missing,      // named by a route but not built: 503 NC
    Passthrough,  // PassthroughCluster (ALLOW_ANY)
    BlackHole,    // BlackHoleCluster (REGISTRY_ONLY)
    DynamicDns,   // AllowAnyDynamicDNSCluster (ALLOW_ANY_DYNAMIC_DNS, plaintext HTTP)
    Inbound,      // inbound|port||: the application behind the sidecar, on a declared port
    InboundPassthrough,  // InboundPassthroughCluster: the original destination port, undeclared
  };
  Kind kind = Kind::Service;
  std::string name;
  std::string host;
  uint32_t port = 0;
  std::string subset;
  const model::Resource* service = nullptr;  // Service or ServiceEntry
  const model::DestinationRule* destination_rule = nullptr;
  const model::Subset* subset_def = nullptr;
  UpstreamTls tls;
  std::vector<const model::Workload*> endpoints;
  bool mesh_external = false;  // a MESH_EXTERNAL ServiceEntry: the call leaves the mesh here
  std::string missing_reason;  // Kind::Missing: what is absent
  std::string local_endpoint;  // Kind::Inbound: where the application listens (Sidecar defaultEndpoint)
  /// The Service selects a gateway workload: the call continues at that proxy.
  const Proxy* next_proxy = nullptr;
  uint32_t next_port = 0;  // the port the next proxy listens on (targetPort)
};

std::string clusterName(uint32_t port, std::string_view subset, std::string_view host);

}  // namespace istio_lint::simulate
