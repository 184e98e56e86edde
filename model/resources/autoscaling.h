#pragma once

// Typed autoscaling/v2 HorizontalPodAutoscaler and policy/v1 PodDisruptionBudget: only what the
// gateway operations rules read (which workload is scaled or protected, and how).

#include <cstdint>
#include <optional>

#include "model/resources/resource.h"

namespace istio_lint::model {

struct HorizontalPodAutoscaler : Resource {
  Str target_kind, target_name;  // spec.scaleTargetRef
  Span target_span;
  std::optional<int64_t> min_replicas, max_replicas;  // minReplicas defaults to 1 in Kubernetes
  Span min_span, max_span;
};

struct PodDisruptionBudget : Resource {
  std::optional<Labels> match_labels;  // spec.selector.matchLabels; nullopt without a selector
  bool has_match_expressions = false;  // spec.selector.matchExpressions (not evaluated)
  Span selector_span;
  Str min_available, max_unavailable;  // integer or percentage, as written
};

}  // namespace istio_lint::model
