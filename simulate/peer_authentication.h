#pragma once

// The mutual TLS a sidecar accepts on its inbound ports: the PeerAuthentication policies that
// apply to a workload merged the way istiod merges them (ComposePeerAuthentication,
// pilot/pkg/security/authn/policy_applier.go; docs/simulate-inbound.md §3).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/mesh_graph.h"
#include "model/resources/peer_authentication.h"

namespace istio_lint::simulate {

enum class MtlsMode : uint8_t { Disable, Permissive, Strict };
std::string_view mtlsModeName(MtlsMode m);  // "DISABLE", "PERMISSIVE", "STRICT"

struct PeerAuthPolicy {
  struct Setting {
    MtlsMode mode = MtlsMode::Permissive;
    const model::PeerAuthentication* from = nullptr;  // null: nothing set it (istiod's default)
    model::Span span;  // the mtls.mode or portLevelMtls entry that decided it
    /// "PeerAuthentication ns/name" (+ " portLevelMtls 9080"), or "default (no PeerAuthentication)".
    std::string describe() const;
    uint32_t port = 0;       // portLevelMtls entries: the port
    bool port_level = false;  // the portLevelMtls entry set the mode (else inherited)
  };
  Setting workload;                // ports without a port-level entry
  std::vector<Setting> per_port;   // the workload policy's portLevelMtls, sorted by port

  const Setting& forPort(uint32_t port) const;
};

/// Mesh-wide (root namespace, no selector), namespace-wide (no selector) and workload
/// (selector matching `labels`, not in the root namespace) policies; the oldest of each level
/// wins; UNSET inherits from the level above; portLevelMtls of the workload policy only.
PeerAuthPolicy composePeerAuthentication(const model::MeshGraph& g, std::string_view root_ns, std::string_view ns,
                                         const model::Labels& labels);

}  // namespace istio_lint::simulate
