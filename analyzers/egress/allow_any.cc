// egress.AllowAnyAnalyzer (IL2003): egress gateways are in use while sidecars run with
// outboundTrafficPolicy ALLOW_ANY (Istio's default), so every host without a ServiceEntry leaves
// the mesh directly. Each sidecar scope's policy comes from the routing model, and a request to an
// unregistered host is traced to show it leaving directly. Reported where the policy is set: the
// Sidecar resource, the mesh config (istio ConfigMap or IstioOperator), or, for Istio's default,
// at the egress gateways.

#include <map>

#include "analyzers/analyzer.h"
#include "analyzers/egress_paths.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

struct Group {
  const model::Sidecar* sidecar = nullptr;  // null: the mesh config decides
  std::string policy;
  std::vector<const egress::Source*> sources;
};

class AllowAnyAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "egress.AllowAnyAnalyzer",
        "Checks that outboundTrafficPolicy is REGISTRY_ONLY where egress gateways are in use",
        {Kind::Gateway, Kind::VirtualService, Kind::Sidecar, Kind::ConfigMap, Kind::IstioOperator, Kind::ServiceEntry,
         Kind::Deployment, Kind::Pod},
        {Code::IL2003}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    if (!g.derived<egress::EgressCandidates>().any()) return;
    const egress::EgressPaths& paths = g.derived<egress::EgressPaths>();
    std::vector<const egress::EgressGateway*> in_use;
    for (const auto& gw : paths.gateways()) {
      if (gw->in_use) in_use.push_back(gw.get());
    }
    if (in_use.empty()) return;
    const std::string gateways = describeGateways(paths, in_use);

    std::map<std::string, Group> groups;  // by "Sidecar ns/name", "" for the mesh config
    for (const egress::Source& s : paths.sources()) {
      const simulate::Proxy& p = *s.proxy;
      if (p.outbound_policy == "REGISTRY_ONLY") continue;
      bool by_sidecar = p.sidecar != nullptr && p.outbound_policy_source.starts_with("Sidecar ");
      Group& grp = groups[by_sidecar ? p.outbound_policy_source : std::string()];
      if (by_sidecar) grp.sidecar = static_cast<const model::Sidecar*>(p.sidecar);
      grp.policy = p.outbound_policy;
      grp.sources.push_back(&s);
    }
    const model::MeshConfig& mc = g.meshConfig();
    if (paths.sources().empty() && mc.outbound_traffic_policy != "REGISTRY_ONLY") groups[""].policy = mc.outbound_traffic_policy;

    for (const auto& [key, grp] : groups) {
      std::string traced;
      if (!grp.sources.empty()) {
        // A host no ServiceEntry declares, called with TLS on 443 from the first scope.
        const egress::Source& s = *grp.sources.front();
        egress::Probe probe{std::string(egress::kUnregisteredProbeHost), "a host without ServiceEntry", 443, egress::Scheme::Tls};
        simulate::Trace t = paths.trace(s, probe);
        if (t.exit_kind != "direct") continue;
        traced = " (traced: a TLS call from " + egress::describeSources({&s}) +
                 " to a host without ServiceEntry on port 443 leaves " + egress::EgressPaths::describePath(t) + ")";
      }
      if (grp.sidecar != nullptr) {
        const model::Sidecar& sc = *grp.sidecar;
        model::Span at = sc.outbound_traffic_policy.span.known() ? sc.outbound_traffic_policy.span : sc.span;
        ctx.report(Code::IL2003, sc, at, gateways, grp.policy, "Sidecar " + sc.ns() + "/" + sc.name(), traced,
                   "outboundTrafficPolicy.mode of this Sidecar");
        continue;
      }
      reportMeshConfig(ctx, in_use, gateways, grp.policy, traced);
    }
  }

 private:
  static std::string describeGateways(const egress::EgressPaths& paths, const std::vector<const egress::EgressGateway*>& gws) {
    std::string out;
    for (size_t i = 0; i < gws.size() && i < 3; ++i) {
      std::string hosts;
      size_t n = 0;
      for (const egress::EgressRoute& r : paths.routes()) {
        if (r.gateway != gws[i] || hosts.find(r.host) != std::string::npos) continue;
        if (n++ < 3) hosts += (hosts.empty() ? "" : ", ") + r.host;
      }
      if (n > 3) hosts += " and " + std::to_string(n - 3) + " more";
      out += (i ? "; " : "") + gws[i]->label() + (hosts.empty() ? "" : " for " + hosts);
    }
    if (gws.size() > 3) out += " and " + std::to_string(gws.size() - 3) + " more";
    return out;
  }

  static void reportMeshConfig(Context& ctx, const std::vector<const egress::EgressGateway*>& in_use,
                               const std::string& gateways, const std::string& policy, const std::string& traced) {
    const model::MeshGraph& g = ctx.graph();
    const model::MeshConfig& mc = g.meshConfig();
    const std::string setting = "meshConfig.outboundTrafficPolicy.mode";
    auto named = [&](std::string_view prefix, Kind kind) -> const model::Resource* {
      if (!mc.source.starts_with(prefix)) return nullptr;
      std::string ref = mc.source.substr(prefix.size());
      size_t slash = ref.find('/');
      if (slash == std::string::npos) return nullptr;
      return g.find(kind, ref.substr(0, slash), ref.substr(slash + 1));
    };
    if (const model::Resource* cm = named("ConfigMap ", Kind::ConfigMap)) {
      ctx.report(Code::IL2003, *cm, mc.span, gateways, policy, "mesh config of " + mc.source, traced, setting);
      return;
    }
    if (const model::Resource* r = named("IstioOperator ", Kind::IstioOperator)) {
      const auto& op = static_cast<const model::IstioOperator&>(*r);
      model::Span at = op.mesh_config != nullptr ? op.mesh_config->span(op.span.file) : op.span;
      ctx.report(Code::IL2003, op, at, gateways, policy, "spec.meshConfig of " + mc.source, traced, setting);
      return;
    }
    const std::string origin = mc.source == "defaults" ? "Istio's default: the inputs hold no mesh config"
                                                       : "mesh config file " + mc.source;
    for (const egress::EgressGateway* gw : in_use) {
      ctx.report(Code::IL2003, gw->owner(), gw->span(), gateways, policy, origin, traced, setting);
    }
  }
};

}  // namespace

AnalyzerPtr makeEgressAllowAnyAnalyzer() { return std::make_unique<AllowAnyAnalyzer>(); }

}  // namespace istio_lint::analyzers
