#pragma once

// Typed proxy extensions: extensions.istio.io WasmPlugin, and networking.istio.io EnvoyFilter
// (whose patch values are free-form Envoy configuration, kept as JSON text).

#include <cstdint>
#include <optional>
#include <vector>

#include "model/resources/policy.h"

namespace istio_lint::model {

struct WasmTrafficSelector {
  Str mode;  // UNDEFINED, CLIENT, SERVER, CLIENT_AND_SERVER
  std::vector<uint32_t> ports;
  Span span;
};

struct WasmPlugin : PolicyResource {
  Str url, sha256, image_pull_policy, image_pull_secret, plugin_name;
  Str phase;          // UNSPECIFIED_PHASE, AUTHN, AUTHZ, STATS
  Str fail_strategy;  // FAIL_CLOSE, FAIL_OPEN, FAIL_RELOAD
  Str type;           // UNSPECIFIED_PLUGIN_TYPE, HTTP, NETWORK
  std::optional<int64_t> priority;
  bool has_plugin_config = false;
  std::vector<WasmTrafficSelector> match;
};

/// One `configPatches[]` entry of an EnvoyFilter.
struct EnvoyConfigPatch {
  Str apply_to;  // LISTENER, FILTER_CHAIN, NETWORK_FILTER, HTTP_FILTER, ROUTE_CONFIGURATION, ...
  // match
  bool has_match = false;
  Str context;        // ANY, SIDECAR_INBOUND, SIDECAR_OUTBOUND, GATEWAY
  Str proxy_version;  // match.proxy.proxyVersion (a regular expression)
  enum class MatchObject : uint8_t { None, Listener, RouteConfiguration, Cluster };
  MatchObject match_object = MatchObject::None;
  Str filter_name;     // match.listener.filterChain.filter.name
  Str sub_filter_name; // match.listener.filterChain.filter.subFilter.name
  // patch
  bool has_patch = false;  // `patch` present and not null
  Str operation;           // MERGE, ADD, REMOVE, INSERT_BEFORE, INSERT_AFTER, INSERT_FIRST, REPLACE
  Str filter_class;
  bool has_value = false;
  std::string value_json;  // patch.value as compact JSON
  /// patch.value.name as JSON (`"envoy.lua"` for a string), when the value is a mapping with `name`.
  std::optional<Str> value_name;
  Span patch_span, value_span;
  Span span;
};

struct EnvoyFilter : Resource {
  std::optional<Labels> workload_selector;
  Span selector_span;
  std::vector<PolicyTargetRef> target_refs;
  std::optional<int64_t> priority;
  std::vector<EnvoyConfigPatch> patches;
};

}  // namespace istio_lint::model
