#pragma once

// Typed networking.k8s.io/v1 NetworkPolicy: only what the egress-isolation rules read (which pods
// it selects and whether it restricts their egress).

#include <optional>
#include <vector>

#include "model/resources/resource.h"

namespace istio_lint::model {

struct NetworkPolicy : Resource {
  /// spec.podSelector.matchLabels; empty selects every pod of the namespace.
  Labels pod_selector;
  bool has_match_expressions = false;  // spec.podSelector.matchExpressions (not evaluated)
  Span selector_span;
  std::vector<Str> policy_types;  // spec.policyTypes as written
  bool has_egress_rules = false;  // spec.egress is present (an empty list denies all egress)
  Span egress_span;

  /// Whether the policy restricts egress: policyTypes lists Egress, or (without policyTypes) the
  /// spec has an egress section, as Kubernetes defaults policyTypes.
  bool restrictsEgress() const {
    if (policy_types.empty()) return has_egress_rules;
    for (const Str& t : policy_types) {
      if (t.value == "Egress") return true;
    }
    return false;
  }
};

}  // namespace istio_lint::model
