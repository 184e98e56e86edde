#pragma once

// Typed PeerAuthentication (security.istio.io): the mTLS mode a workload accepts.

#include <cstdint>
#include <optional>

#include "model/resources/resource.h"

namespace istio_lint::model {

struct PeerAuthentication : Resource {
  std::optional<Labels> selector;  // spec.selector.matchLabels
  Span selector_span;
  Str mode;                        // spec.mtls.mode: UNSET, DISABLE, PERMISSIVE, STRICT
  struct PortLevel {
    uint32_t port = 0;
    Str mode;
    Span span;
  };
  std::vector<PortLevel> port_level;  // spec.portLevelMtls, in the order written
};

}  // namespace istio_lint::model
