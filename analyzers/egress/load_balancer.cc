// egress.LoadBalancerAnalyzer (IL2005): an egress gateway's Service is a LoadBalancer. It gives
// the egress proxy an inbound address; the source address of outbound calls comes from the node
// or its NAT gateway, never from the load balancer (seed §4, Data-Egress NAT).

#include <algorithm>
#include <set>

#include "analyzers/analyzer.h"
#include "analyzers/egress_paths.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

class LoadBalancerAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "egress.LoadBalancerAnalyzer",
        "Checks that egress gateways are not exposed by a LoadBalancer Service",
        {Kind::Service, Kind::Deployment, Kind::StatefulSet, Kind::DaemonSet, Kind::Pod, Kind::IstioOperator,
         Kind::Gateway, Kind::VirtualService, Kind::ServiceEntry},
        {Code::IL2005}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    const auto& cand = g.derived<egress::EgressCandidates>();
    // Egress gateways by the inventory; with some in use, also those the routing model shows
    // sending hosts out.
    std::vector<const model::GatewayWorkload*> gateways = cand.egress_workloads;
    if (cand.any()) {
      for (const auto& gw : g.derived<egress::EgressPaths>().gateways()) {
        if (gw->workload != nullptr && std::find(gateways.begin(), gateways.end(), gw->workload) == gateways.end()) {
          gateways.push_back(gw->workload);
        }
      }
    }
    std::set<const model::Service*> done;
    for (const model::GatewayWorkload* w : gateways) {
      if (!w->declared()) continue;
      for (const model::GatewayService& s : w->services) {
        if (s.service->type.value != "LoadBalancer" || !done.insert(s.service).second) continue;
        const bool internal = s.exposure == model::Exposure::Internal;
        const std::string side = internal ? "internal: " + s.internal_annotation : "public";
        const std::string who = internal ? "any client of the network the load balancer is internal to"
                                         : "anyone on the internet";
        const std::string svc = s.service->ns() + "/" + s.service->name();
        const model::OperatorGateway* component = w->component;
        if (component != nullptr && w->op != nullptr) {
          model::Span at = component->service_type_span.known() ? component->service_type_span : component->span;
          ctx.report(Code::IL2005, *w->op, at, w->name(), svc, side, who);
        } else {
          model::Span at = s.service->type.span.known() ? s.service->type.span : s.service->meta.name.span;
          ctx.report(Code::IL2005, *s.service, at, w->name(), svc, side, who);
        }
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeEgressLoadBalancerAnalyzer() { return std::make_unique<LoadBalancerAnalyzer>(); }

}  // namespace istio_lint::analyzers
