#pragma once

// MeshNetworks (from --meshNetworksFile, else data.meshNetworks of the `istio` ConfigMap in the
// Istio namespace): which registries and CIDRs make up each network.

#include "model/resources/resource.h"

namespace istio_lint::model {

struct MeshNetwork {
  Str name;
  struct Endpoint {
    Str from_registry, from_cidr;
    Span span;
  };
  std::vector<Endpoint> endpoints;
  struct NetworkGateway {
    Str registry_service_name, address;
    uint32_t port = 0;
    Span span;
  };
  std::vector<NetworkGateway> gateways;
};

/// The synthetic resource istio-system/meshnetworks.
struct MeshNetworks : Resource {
  std::vector<MeshNetwork> networks;
};

}  // namespace istio_lint::model
