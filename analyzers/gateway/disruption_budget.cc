// gateway.DisruptionBudgetAnalyzer: every gateway Deployment / StatefulSet in the inputs has a
// PodDisruptionBudget, and no IstioOperator switches the default one off for its gateways.

#include "analyzers/analyzer.h"
#include "analyzers/gateway/exposure.h"
#include "analyzers/gateway/operator_values.h"
#include "analyzers/gateway/workloads.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

class DisruptionBudgetAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.DisruptionBudgetAnalyzer",
        "Checks that every gateway deployment has a PodDisruptionBudget",
        {Kind::Deployment, Kind::StatefulSet, Kind::IstioOperator, Kind::PodDisruptionBudget, Kind::Gateway},
        {Code::IL3003}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    for (const model::GatewayWorkload& gw : ctx.graph().gatewayInventory().gateways()) {
      if (!gw.declared() || !gw.disruption_budgets.empty()) continue;
      const model::Workload& w = *gw.workload;
      if (gw.component != nullptr) {
        // The operator gives gateway components a PodDisruptionBudget unless told not to.
        const model::yaml::Node* on = gateway::valuesAt(*gw.op, {"global", "defaultPodDisruptionBudget", "enabled"});
        if (on == nullptr || on->asBool() != false) continue;
        rules::Finding& f = ctx.report(Code::IL3003, *gw.op, gw.span(), gw.name(), w.ns(),
                                       gateway::suggestedSelector(w.pod_labels));
        f.notes.push_back({"values.global.defaultPodDisruptionBudget.enabled is false here", on->span(gw.op->span.file)});
      } else if (w.kind == Kind::Deployment || w.kind == Kind::StatefulSet) {
        ctx.report(Code::IL3003, w, w.meta.name.span, gw.name(), w.ns(), gateway::suggestedSelector(w.pod_labels));
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeGatewayDisruptionBudgetAnalyzer() { return std::make_unique<DisruptionBudgetAnalyzer>(); }

}  // namespace istio_lint::analyzers
