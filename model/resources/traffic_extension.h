#pragma once

// Typed TrafficExtension (extensions.istio.io): a Wasm or Lua filter added to selected proxies.

#include <cstdint>
#include <optional>

#include "model/resources/policy.h"
#include "model/resources/resource.h"

namespace istio_lint::model {

struct TrafficExtension : Resource {
  std::optional<Labels> selector;  // spec.selector.matchLabels
  Span selector_span;
  std::vector<PolicyTargetRef> target_refs;
  Str phase;
  std::optional<int64_t> priority;
  bool has_wasm = false, has_lua = false;
  Str wasm_url;
};

}  // namespace istio_lint::model
