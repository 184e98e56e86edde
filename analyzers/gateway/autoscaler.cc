// gateway.AutoscalerAnalyzer: every gateway Deployment / StatefulSet / IstioOperator component in
// the inputs is autoscaled (an HPA or k8s.hpaSpec), with maxReplicas not below minReplicas, and a
// public ingress gateway never scales down to a single replica.

#include "analyzers/analyzer.h"
#include "analyzers/gateway/operator_values.h"
#include "analyzers/gateway/workloads.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

using model::GatewayWorkload;

class AutoscalerAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.AutoscalerAnalyzer",
        "Checks that every gateway deployment is autoscaled, and a public one keeps two replicas",
        {Kind::Deployment, Kind::StatefulSet, Kind::IstioOperator, Kind::HorizontalPodAutoscaler, Kind::Service,
         Kind::Gateway},
        {Code::IL3002}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    for (const GatewayWorkload& gw : ctx.graph().gatewayInventory().gateways()) {
      if (!gw.declared()) continue;
      if (gw.component != nullptr) {
        checkComponent(ctx, gw);
      } else if (gw.workload->kind == Kind::Deployment || gw.workload->kind == Kind::StatefulSet) {
        checkWorkload(ctx, gw);
      }
      // Pods alone belong to a controller that is not in the inputs; DaemonSets scale with nodes.
    }
  }

 private:
  static bool publicIngress(const GatewayWorkload& gw) { return gw.exposure == model::Exposure::Public && !gw.egress; }

  static void checkRange(Context& ctx, const GatewayWorkload& gw, const model::Resource& owner, const std::string& what,
                         std::optional<int64_t> min, std::optional<int64_t> max, model::Span min_at,
                         model::Span max_at, model::Span fallback) {
    int64_t lo = min.value_or(1);
    if (max && *max < lo) {
      ctx.report(Code::IL3002, owner, max_at.known() ? max_at : fallback, gw.name(),
                 "is scaled by " + what + " with maxReplicas " + std::to_string(*max) + " below minReplicas " +
                     std::to_string(lo),
                 "Kubernetes rejects such an autoscaler and the gateway keeps its current replica count: set "
                 "maxReplicas to at least minReplicas");
      return;
    }
    if (publicIngress(gw) && lo < 2) {
      ctx.report(Code::IL3002, owner, min_at.known() ? min_at : fallback, gw.name(),
                 "is public, but " + what + " lets it scale down to a single replica (minReplicas " +
                     std::to_string(lo) + (min ? "" : ", the default") + ")",
                 "One replica drops public traffic on every rollout, eviction or node drain: set minReplicas to 2 "
                 "or more");
    }
  }

  static void checkComponent(Context& ctx, const GatewayWorkload& gw) {
    const model::OperatorGateway& c = *gw.component;
    if (c.has_hpa) {
      checkRange(ctx, gw, *gw.op, "its k8s.hpaSpec", c.hpa_min, c.hpa_max, c.hpa_min_span, c.hpa_max_span, c.hpa_span);
      return;
    }
    // Without k8s.hpaSpec the operator renders the chart's autoscaler from values.gateways.
    const model::yaml::Node* enabled = gateway::gatewayValue(*gw.op, c.egress, "autoscaleEnabled");
    if (enabled != nullptr && enabled->asBool() == false) {
      ctx.report(Code::IL3002, *gw.op, enabled->span(gw.op->span.file), gw.name(),
                 "has no autoscaler: values.gateways." +
                     std::string(c.egress ? "istio-egressgateway" : "istio-ingressgateway") +
                     ".autoscaleEnabled is false and the component sets no k8s.hpaSpec",
                 "Add k8s.hpaSpec with minReplicas 2 and a maxReplicas above it, so the gateway scales with traffic");
      return;
    }
    std::optional<int64_t> min, max;
    model::Span min_at, max_at;
    if (const model::yaml::Node* n = gateway::gatewayValue(*gw.op, c.egress, "autoscaleMin")) {
      min = n->asInt();
      min_at = n->span(gw.op->span.file);
    }
    if (const model::yaml::Node* n = gateway::gatewayValue(*gw.op, c.egress, "autoscaleMax")) {
      max = n->asInt();
      max_at = n->span(gw.op->span.file);
    }
    checkRange(ctx, gw, *gw.op, "the autoscaler the operator creates by default (no k8s.hpaSpec)", min,
               max.value_or(5), min_at, max_at, c.span);
  }

  static void checkWorkload(Context& ctx, const GatewayWorkload& gw) {
    const model::Workload& w = *gw.workload;
    if (gw.autoscalers.empty()) {
      std::string replicas = w.replicas ? std::to_string(*w.replicas) : "1 (the default)";
      ctx.report(Code::IL3002, w, w.meta.name.span, gw.name(),
                 "has no HorizontalPodAutoscaler and runs a fixed " + replicas + " replica(s)",
                 "Add a HorizontalPodAutoscaler with scaleTargetRef " + std::string(model::kindName(w.kind)) + "/" +
                     w.name() + ", minReplicas 2 and a maxReplicas above it, so the gateway scales with traffic");
      return;
    }
    for (const model::HorizontalPodAutoscaler* h : gw.autoscalers) {
      checkRange(ctx, gw, *h, "HorizontalPodAutoscaler " + h->qualifiedName(), h->min_replicas, h->max_replicas,
                 h->min_span, h->max_span, h->target_span);
    }
  }
};

}  // namespace

AnalyzerPtr makeGatewayAutoscalerAnalyzer() { return std::make_unique<AutoscalerAnalyzer>(); }

}  // namespace istio_lint::analyzers
