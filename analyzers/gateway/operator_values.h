#pragma once

// Reads the IstioOperator `values` the gateway operations rules need: the defaults the operator
// applies to gateway components that do not say otherwise.

#include <optional>
#include <string_view>

#include "model/resources/kube.h"

namespace istio_lint::analyzers::gateway {

/// The node at a dotted path under spec.values (keys may contain '-'), or null.
inline const model::yaml::Node* valuesAt(const model::IstioOperator& op,
                                         std::initializer_list<std::string_view> path) {
  const model::yaml::Node* n = op.values;
  for (std::string_view key : path) {
    if (n == nullptr || !n->isMap()) return nullptr;
    n = n->get(key);
  }
  return n;
}

/// values.gateways.istio-ingressgateway / istio-egressgateway: the chart defaults every gateway
/// component of the resource starts from.
inline const model::yaml::Node* gatewayValue(const model::IstioOperator& op, bool egress, std::string_view key) {
  return valuesAt(op, {"gateways", egress ? "istio-egressgateway" : "istio-ingressgateway", key});
}

}  // namespace istio_lint::analyzers::gateway
