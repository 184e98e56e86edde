// gateway.ClusterConfigFilterAnalyzer: with two or more gateway workloads, the control plane in the
// inputs should set PILOT_FILTER_GATEWAY_CLUSTER_CONFIG=true (IstioOperator components.pilot env or
// values.pilot.env, or the istiod Deployment's env), so each gateway receives only the clusters its
// routes use.

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

constexpr std::string_view kVar = "PILOT_FILTER_GATEWAY_CLUSTER_CONFIG";

bool isTrue(const model::Str& v) { return v.value == "true" || v.value == "True" || v.value == "1"; }

class ClusterConfigFilterAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.ClusterConfigFilterAnalyzer",
        "Checks that a control plane serving several gateways filters their cluster config",
        {Kind::IstioOperator, Kind::Deployment, Kind::StatefulSet, Kind::Pod, Kind::Gateway},
        {Code::IL3004}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::GatewayInventory& inv = ctx.graph().gatewayInventory();
    std::vector<std::string> names;
    for (const model::GatewayWorkload& gw : inv.gateways()) {
      if (gw.declared()) names.push_back(gw.name());
    }
    if (names.size() < 2) return;
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    for (const model::Resource* cp : inv.controlPlanes()) {
      if (cp->kind == Kind::IstioOperator) {
        const auto& op = static_cast<const model::IstioOperator&>(*cp);
        auto a = op.pilot_env.find(std::string(kVar));
        auto b = op.values_pilot_env.find(std::string(kVar));
        if ((a != op.pilot_env.end() && isTrue(a->second)) || (b != op.values_pilot_env.end() && isTrue(b->second))) {
          return;
        }
      } else if (cp->kind == Kind::Deployment || cp->kind == Kind::Pod) {
        for (const model::Container& c : static_cast<const model::Workload&>(*cp).containers) {
          for (const auto& [name, value] : c.env) {
            if (name == kVar && isTrue(value)) return;
          }
        }
      }
    }
    for (const model::Resource* cp : inv.controlPlanes()) {
      if (cp->kind == Kind::IstioOperator) {
        const auto& op = static_cast<const model::IstioOperator&>(*cp);
        ctx.report(Code::IL3004, op, op.pilot_span.known() ? op.pilot_span : op.span, names.size(), list,
                   "in spec.components.pilot.k8s.env (or spec.values.pilot.env)");
      } else if (cp->kind == Kind::Deployment) {
        ctx.report(Code::IL3004, *cp, cp->meta.name.span, names.size(), list, "in the discovery container's env");
      }
      // Pods, webhooks and injector ConfigMaps are not where the variable is set.
    }
  }
};

}  // namespace

AnalyzerPtr makeGatewayClusterConfigFilterAnalyzer() { return std::make_unique<ClusterConfigFilterAnalyzer>(); }

}  // namespace istio_lint::analyzers
