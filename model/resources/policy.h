#pragma once

// How Istio policies say which workloads they apply to: a workload `selector` (matchLabels), or a
// `targetRef` / `targetRefs` naming a Gateway, GatewayClass, Service or ServiceEntry. Shared by
// AuthorizationPolicy, RequestAuthentication, Telemetry and WasmPlugin (istio.type.v1beta1).

#include <optional>
#include <vector>

#include "model/resources/resource.h"

namespace istio_lint::model {

/// istio.type.v1beta1.WorkloadSelector.
struct WorkloadSelector {
  Labels match_labels;
  Span span;         // the `selector` mapping
  Span labels_span;  // the `matchLabels` mapping (the selector's span when absent)
};

/// istio.type.v1beta1.PolicyTargetReference.
struct PolicyTargetRef {
  Str group, kind, name, ns;
  Span span;
};

/// The attachment fields of a policy.
struct PolicyTarget {
  std::optional<WorkloadSelector> selector;
  std::optional<PolicyTargetRef> target_ref;  // deprecated singular form
  std::vector<PolicyTargetRef> target_refs;

  /// The policy is attached through targetRef or targetRefs (not by workload labels).
  bool targeted() const { return target_ref.has_value() || !target_refs.empty(); }
  /// Neither a selector nor a target reference: the policy applies to its whole namespace.
  bool namespaceWide() const { return !selector && !targeted(); }
};

/// A resource kind whose spec carries a PolicyTarget: AuthorizationPolicy, RequestAuthentication,
/// Telemetry and WasmPlugin derive from it.
struct PolicyResource : Resource {
  PolicyTarget target;
};

/// A provider reference by name (Telemetry providers, AuthorizationPolicy CUSTOM provider).
struct ProviderRef {
  Str name;
  Span span;
};

}  // namespace istio_lint::model
