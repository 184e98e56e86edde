// k8sgateway.SelectorAnalyzer: a policy that picks the pods of a Gateway API gateway with a label
// selector (instead of targetRefs) has no effect on that gateway.

#include <map>
#include <set>

#include "analyzers/analyzer.h"
#include "analyzers/policy_helpers.h"
#include "analyzers/registry_entries.h"
#include "model/resources/policy.h"

namespace istio_lint::analyzers {
namespace {

using model::PolicyResource;
using model::Workload;

constexpr std::string_view kGatewayNameLabel = "gateway.networking.k8s.io/gateway-name";

class SelectorAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "k8sgateway.SelectorAnalyzer",
        "Check that selectors are effective for Kubernetes gateway",
        {Kind::AuthorizationPolicy, Kind::RequestAuthentication, Kind::Telemetry, Kind::WasmPlugin, Kind::Pod},
        {Code::IST0166}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    // Workloads of Gateway API gateways, by namespace.
    std::map<std::string, std::vector<const Workload*>> gateways;
    for (const Workload* w : g.workloads().all()) {
      if (w->pod_labels.count(std::string(kGatewayNameLabel))) gateways[w->ns()].push_back(w);
    }
    if (gateways.empty()) return;
    for (Kind k : {Kind::AuthorizationPolicy, Kind::RequestAuthentication, Kind::Telemetry, Kind::WasmPlugin}) {
      for (const PolicyResource* p : g.typed<PolicyResource>(k)) check(ctx, *p, gateways);
    }
  }

 private:
  static void check(Context& ctx, const PolicyResource& p,
                    const std::map<std::string, std::vector<const Workload*>>& gateways) {
    if (p.target.targeted() || !p.target.selector) return;
    auto it = gateways.find(p.ns());
    if (it == gateways.end()) return;
    const model::Labels& sel = p.target.selector->match_labels;
    // An empty selector picks every gateway workload of the namespace; otherwise the selector index
    // finds the workloads with all the labels.
    std::vector<const Workload*> picked =
        sel.empty() ? it->second : ctx.graph().workloads().select(sel, p.ns(), false);
    std::map<std::string, const Workload*> hit;  // gateway name -> first workload
    for (const Workload* w : picked) {
      auto name = w->pod_labels.find(std::string(kGatewayNameLabel));
      if (name != w->pod_labels.end()) hit.emplace(name->second, w);
    }
    for (const auto& [name, w] : hit) {
      rules::Finding& f = ctx.report(Code::IST0166, p, p.target.selector->span, name);
      f.message += " Istio ignores workload selectors on Gateway API gateways: replace `selector` with "
                   "`targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: " + name + "}]`";
      f.notes.push_back({std::string(model::kindName(w->kind)) + " " + w->qualifiedName() + " of gateway " + name +
                             " is declared here",
                         w->span});
    }
  }
};

}  // namespace

AnalyzerPtr makeK8sGatewaySelectorAnalyzer() { return std::make_unique<SelectorAnalyzer>(); }

}  // namespace istio_lint::analyzers
