// gateway.RevisionAnalyzer: a gateway workload whose istio.io/rev names a control-plane revision
// (or revision tag) that none of the control-plane manifests in the inputs provides.

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

class RevisionAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.RevisionAnalyzer",
        "Checks that the control-plane revision a gateway asks for exists in the inputs",
        {Kind::Deployment, Kind::StatefulSet, Kind::DaemonSet, Kind::Pod, Kind::IstioOperator, Kind::Namespace,
         Kind::MutatingWebhookConfiguration, Kind::ConfigMap, Kind::Gateway},
        {Code::IL1009}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::GatewayInventory& inv = ctx.graph().gatewayInventory();
    // Without control-plane manifests the inputs say nothing about which revisions exist.
    if (!inv.hasControlPlane()) return;
    std::string known;
    for (const auto& [name, rev] : inv.revisions()) {
      known += (known.empty() ? "" : ", ") + name + (rev.tag_of.empty() ? "" : " (tag of " + rev.tag_of + ")");
    }
    for (const model::GatewayWorkload& gw : inv.gateways()) {
      if (!gw.declared() || gw.revision.empty() || inv.providesRevision(gw.revision)) continue;
      const model::Resource& owner = gw.owner();
      ctx.report(Code::IL1009, owner, gw.revision_span.known() ? gw.revision_span : gw.span(), gw.name(), gw.revision,
                 known);
    }
  }
};

}  // namespace

AnalyzerPtr makeGatewayRevisionAnalyzer() { return std::make_unique<RevisionAnalyzer>(); }

}  // namespace istio_lint::analyzers
