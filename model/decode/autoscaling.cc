// Decoders for HorizontalPodAutoscaler (autoscaling/v1 and v2 share these fields) and
// PodDisruptionBudget.

#include "model/decode/decode.h"
#include "model/decode/reader.h"
#include "model/resources/autoscaling.h"

namespace istio_lint::model::decode {

ResourcePtr decodeHorizontalPodAutoscaler(Reader& r, const Node& spec) {
  auto hpa = std::make_unique<HorizontalPodAutoscaler>();
  if (const Node* ref = r.map(spec, "scaleTargetRef")) {
    auto g = r.field("scaleTargetRef");
    hpa->target_kind = r.strOr(*ref, "kind");
    hpa->target_name = r.strOr(*ref, "name");
    hpa->target_span = r.span(*ref);
  }
  hpa->min_replicas = r.integer(spec, "minReplicas");
  hpa->max_replicas = r.integer(spec, "maxReplicas");
  hpa->min_span = r.span(spec.get("minReplicas"));
  hpa->max_span = r.span(spec.get("maxReplicas"));
  return hpa;
}

ResourcePtr decodePodDisruptionBudget(Reader& r, const Node& spec) {
  auto pdb = std::make_unique<PodDisruptionBudget>();
  if (const Node* sel = r.map(spec, "selector")) {
    auto g = r.field("selector");
    pdb->selector_span = r.span(*sel);
    pdb->match_labels = r.labels(*sel, "matchLabels").value_or(Labels{});
    const Node* exprs = sel->get("matchExpressions");
    pdb->has_match_expressions = exprs != nullptr && exprs->isSeq() && exprs->size > 0;
  }
  if (auto v = r.scalarText(spec, "minAvailable")) pdb->min_available = *v;
  if (auto v = r.scalarText(spec, "maxUnavailable")) pdb->max_unavailable = *v;
  return pdb;
}

}  // namespace istio_lint::model::decode
