// Decoder for networking.k8s.io/v1 NetworkPolicy (model/resources/network_policy.h).

#include "model/decode/decode.h"
#include "model/decode/reader.h"
#include "model/resources/network_policy.h"

namespace istio_lint::model::decode {

ResourcePtr decodeNetworkPolicy(Reader& r, const Node& spec) {
  auto np = std::make_unique<NetworkPolicy>();
  if (const Node* sel = r.map(spec, "podSelector")) {
    auto g = r.field("podSelector");
    np->selector_span = r.span(*sel);
    np->pod_selector = r.labels(*sel, "matchLabels").value_or(Labels{});
    const Node* exprs = sel->get("matchExpressions");
    np->has_match_expressions = exprs != nullptr && exprs->isSeq() && exprs->size > 0;
  }
  np->policy_types = r.strList(spec, "policyTypes");
  if (const Node* egress = spec.get("egress"); egress != nullptr && !egress->isNull()) {
    np->has_egress_rules = true;
    np->egress_span = r.span(*egress);
  }
  return np;
}

}  // namespace istio_lint::model::decode
