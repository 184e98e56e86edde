// egress.HostWithoutServiceEntryAnalyzer (IL2002): an external host routed out through an egress
// gateway that no ServiceEntry declares (or none the gateway's namespace can see). The gateway's
// compiled proxy then has no cluster for it (503 NC); a VirtualService binding `mesh` and the
// egress gateway for a host no ServiceEntry declares is reported at the host.

#include <set>

#include "analyzers/analyzer.h"
#include "analyzers/egress_paths.h"
#include "analyzers/registry_entries.h"
#include "model/host.h"

namespace istio_lint::analyzers {
namespace {

class HostWithoutServiceEntryAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "egress.HostWithoutServiceEntryAnalyzer",
        "Checks that every external host routed through an egress gateway is declared by a ServiceEntry",
        {Kind::VirtualService, Kind::Gateway, Kind::ServiceEntry, Kind::Service, Kind::Deployment, Kind::Pod,
         Kind::IstioOperator},
        {Code::IL2002}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    if (!g.derived<egress::EgressCandidates>().any()) return;
    const egress::EgressPaths& paths = g.derived<egress::EgressPaths>();
    std::set<model::Span> done;
    std::set<std::pair<std::string, const egress::EgressGateway*>> routed;
    for (const egress::EgressRoute& r : paths.routes()) {
      routed.emplace(r.host, r.gateway);
      if (r.cluster->kind != simulate::Cluster::Kind::Missing || !done.insert(r.destination_span).second) continue;
      const std::string& ns = r.gateway->proxy->id.config_ns;
      // A host the gateway sees but on another port is a port problem, not a missing host.
      if (paths.model().registry().lookup(r.cluster->host, ns) != nullptr) continue;
      std::string qualifier, hidden;
      if (const auto* list = paths.model().registry().byHost(r.cluster->host)) {
        for (const simulate::ServiceInfo* s : *list) {
          if (s->kube) continue;
          qualifier = " visible in namespace " + ns;
          hidden = s->resource->qualifiedName();
          break;
        }
      }
      std::string consequence = "the egress gateway has no cluster for it (" + r.cluster->missing_reason +
                                "), so calls fail there with 503 NC";
      if (!hidden.empty()) consequence += "; ServiceEntry " + hidden + " declares it but is not exported to " + ns;
      ctx.report(Code::IL2002, *r.vs, r.destination_span, r.cluster->host, r.gateway->label(), "this rule", qualifier,
                 consequence, " exported to namespace " + ns);
    }
    // Hosts a VirtualService binds to mesh and an egress gateway, that the gateway side does not
    // route (when it does, the rule above is where the host is missing).
    for (const egress::IntendedHost& ih : paths.intended()) {
      if (ih.gateway_route || routed.count({ih.host, ih.gateway}) != 0) continue;
      const auto* entries = model::host::isWildcard(ih.host) ? g.registry().exact(ih.host) : g.registry().lookup(ih.host);
      if (entries != nullptr && !entries->empty()) continue;
      model::Span at = ih.vs->hosts_span;
      for (const model::Str& h : ih.vs->hosts) {
        if (h.value == ih.host) at = h.span;
      }
      if (!done.insert(at).second) continue;
      ctx.report(Code::IL2002, *ih.vs, at, ih.host, ih.gateway->label(),
                 "VirtualService " + ih.vs->qualifiedName(), "",
                 "sidecars have no route for it on TLS and TCP ports and handle it by outboundTrafficPolicy "
                 "(ALLOW_ANY: straight out of the mesh; REGISTRY_ONLY: dropped), and the egress gateway has no "
                 "cluster to send it to",
                 "");
    }
  }
};

}  // namespace

AnalyzerPtr makeEgressHostWithoutServiceEntryAnalyzer() { return std::make_unique<HostWithoutServiceEntryAnalyzer>(); }

}  // namespace istio_lint::analyzers
