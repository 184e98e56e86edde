#pragma once

// Typed gateway.networking.k8s.io resources: Gateway (Kind::KubernetesGateway), HTTPRoute and
// GRPCRoute. Only the fields the analyzers read are modelled; status conditions are on Resource.

#include <cstdint>
#include <optional>

#include "model/resources/resource.h"

namespace istio_lint::model {

struct GatewayListener {
  Str name;
  std::optional<Str> hostname;  // absent: every hostname
  uint32_t port = 0;
  Str protocol;  // HTTP, HTTPS, TLS, TCP, UDP, HBONE, ...
  Span span;
};

struct KubernetesGateway : Resource {
  Str gateway_class_name;
  std::vector<GatewayListener> listeners;
};

/// A route's parentRefs entry (group and kind default to gateway.networking.k8s.io / Gateway).
struct ParentRef {
  Str group, kind, name, ns, section_name;
  std::optional<uint32_t> port;
  Span span;
};

/// HTTPRoute and GRPCRoute share what istio-lint reads of them.
struct GatewayRoute : Resource {
  std::vector<ParentRef> parent_refs;
  std::vector<Str> hostnames;
};

}  // namespace istio_lint::model
