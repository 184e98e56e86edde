// egress.GatewayBypassedAnalyzer (IL2001): a host meant to leave through an egress gateway — a
// gateway-side rule sends it out there, or a VirtualService binds `mesh` and the egress gateway for
// it — whose request, traced from a workload's sidecar through the routing model, leaves the mesh
// directly from the workload (trace exit `direct`).

#include <algorithm>
#include <map>
#include <set>

#include "analyzers/analyzer.h"
#include "analyzers/egress_paths.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

using egress::EgressPaths;

std::string where(const model::MeshGraph& g, model::Span s) {
  if (!s.known() || s.file == 0) return "";
  return g.files().path(s.file) + ":" + std::to_string(s.line);
}

struct Hit {
  const model::VirtualService* vs = nullptr;  // where the finding goes
  model::Span span;
  const egress::IntendedHost* intended = nullptr;
  const egress::Probe* probe = nullptr;
  bool sidecar_rule = false;  // the sidecar's own VirtualService rule sent it out
  bool same_rule = false;     // ... and it is the rule that also binds the egress gateway
  std::string cluster;        // what the sidecar forwarded to
  std::vector<const egress::Source*> sources;
};

class GatewayBypassedAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "egress.GatewayBypassedAnalyzer",
        "Checks that hosts routed through an egress gateway do not leave the mesh directly from the workloads",
        {Kind::VirtualService, Kind::Gateway, Kind::ServiceEntry, Kind::Sidecar, Kind::DestinationRule, Kind::Service,
         Kind::Deployment, Kind::StatefulSet, Kind::DaemonSet, Kind::Pod, Kind::IstioOperator, Kind::ConfigMap},
        {Code::IL2001}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    if (!g.derived<egress::EgressCandidates>().any()) return;
    const EgressPaths& paths = g.derived<EgressPaths>();
    std::map<std::tuple<model::Span, std::string>, Hit> hits;
    for (const egress::IntendedHost& ih : paths.intended()) {
      for (const egress::Probe& probe : ih.probes) {
        for (const egress::Source& src : paths.sources()) {
          simulate::Trace t = paths.trace(src, probe);
          if (t.exit_kind != "direct" || t.hops.empty()) continue;
          const simulate::TraceHop& h0 = t.hops.front();
          const model::VirtualService* vs = h0.vs != nullptr ? h0.vs : ih.vs;
          model::Span span = h0.vs != nullptr ? h0.rule_span : ih.span;
          auto [it, fresh] = hits.try_emplace({span, ih.host});
          Hit& hit = it->second;
          if (fresh) {
            hit.vs = vs;
            hit.span = span;
            hit.intended = &ih;
            hit.probe = &probe;
            hit.sidecar_rule = h0.vs != nullptr;
            hit.same_rule = h0.vs != nullptr && h0.vs == ih.vs && (!ih.gateway_route || h0.rule_span == ih.span);
            hit.cluster = EgressPaths::describeCluster(h0);
          }
          if (std::find(hit.sources.begin(), hit.sources.end(), &src) == hit.sources.end()) hit.sources.push_back(&src);
        }
      }
    }
    for (const auto& [key, hit] : hits) report(ctx, hit);
  }

 private:
  static void report(Context& ctx, const Hit& hit) {
    const model::MeshGraph& g = ctx.graph();
    const egress::IntendedHost& ih = *hit.intended;
    const std::string host = hit.probe->describe();
    const std::string who = egress::describeSources(hit.sources);
    std::string gateway = ih.gateway->label();
    std::string path = "the sidecar forwards it to " + hit.cluster;
    std::string fix;
    const std::string bare = ih.host;
    if (hit.same_rule) {
      path += ", because this rule is bound to mesh as well as to the egress gateway and so every sidecar applies it itself";
      fix = "Give each leg its own rule, scoped with match.gateways: from mesh to the egress gateway's Service, and "
            "from the egress gateway to " + bare;
    } else if (hit.sidecar_rule) {
      path += ", because this rule applies to the sidecars (mesh)";
      fix = "For mesh, route " + bare + " to the egress gateway's Service instead, and keep the rule that sends it to " +
            bare + " for the egress gateway only (match.gateways)";
    } else {
      path += ": no rule bound to mesh sends it to the egress gateway";
      fix = "Add a rule bound to mesh (match.gateways: [mesh]) whose destination is the egress gateway's Service, so "
            "that the sidecars hand " + bare + " to the gateway";
    }
    if (ih.gateway_route && !hit.same_rule && !(hit.vs == ih.vs && hit.span == ih.span)) {
      std::string at = where(g, ih.span);
      path += " (the gateway-side rule that sends it out is VirtualService " + ih.vs->ns() + "/" + ih.vs->name() +
              (at.empty() ? "" : " at " + at) + ")";
    }
    ctx.report(Code::IL2001, *hit.vs, hit.span, host, who, gateway, path, fix);
  }
};

}  // namespace

AnalyzerPtr makeEgressGatewayBypassedAnalyzer() { return std::make_unique<GatewayBypassedAnalyzer>(); }

}  // namespace istio_lint::analyzers
