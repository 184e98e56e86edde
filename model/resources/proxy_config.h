#pragma once

// Typed networking.istio.io ProxyConfig (v1beta1): per-workload overrides of the proxy's
// concurrency, environment and image type.

#include <cstdint>
#include <optional>

#include "model/resources/resource.h"

namespace istio_lint::model {

struct ProxyConfig : Resource {
  std::optional<Labels> selector;  // spec.selector.matchLabels; absent: the whole namespace
  Span selector_span;
  std::optional<int64_t> concurrency;
  std::map<std::string, Str> environment_variables;
  Str image_type;  // spec.image.imageType ("default", "debug", "distroless", ...)
};

}  // namespace istio_lint::model
