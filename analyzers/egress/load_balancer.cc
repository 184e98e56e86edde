// egress.LoadBalancerAnalyzer (IL2005): an egress gateway's Service is a LoadBalancer. It gives
// the egress proxy an inbound address; the source address of outbound calls comes from the node
// or its NAT gateway, never from the load balancer (seed §4, Data-Egress NAT).

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
    if (!g.derived<egress::EgressCandidates>().any()) return;
    const egress::EgressPaths& paths = g.derived<egress::EgressPaths>();
    std::set<const model::Service*> done;
    for (const auto& gw : paths.gateways()) {
      if (gw->workload == nullptr || !gw->workload->declared()) continue;
      for (const model::GatewayService& s : gw->workload->services) {
        if (s.service->type.value != "LoadBalancer" || !done.insert(s.service).second) continue;
        const bool internal = s.exposure == model::Exposure::Internal;
        const std::string side = internal ? "internal: " + s.internal_annotation : "public";
        const std::string who = internal ? "any client of the network the load balancer is internal to"
                                         : "anyone on the internet";
        const std::string svc = s.service->ns() + "/" + s.service->name();
        const model::OperatorGateway* component = gw->workload->component;
        if (component != nullptr && gw->workload->op != nullptr) {
          model::Span at = component->service_type_span.known() ? component->service_type_span : component->span;
          ctx.report(Code::IL2005, *gw->workload->op, at, gw->name, svc, side, who);
        } else {
          model::Span at = s.service->type.span.known() ? s.service->type.span : s.service->meta.name.span;
          ctx.report(Code::IL2005, *s.service, at, gw->name, svc, side, who);
        }
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeEgressLoadBalancerAnalyzer() { return std::make_unique<LoadBalancerAnalyzer>(); }

}  // namespace istio_lint::analyzers
