// deprecation.DeprecationAnalyzer: deprecated or ignored fields (VirtualService
// `fault.delay.percent`, Sidecar `outboundTrafficPolicy.egressProxy`) and CustomResourceDefinitions
// of the removed rbac.istio.io kinds.

#include <array>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "model/resources/crd.h"

namespace istio_lint::analyzers {
namespace {

constexpr std::array<std::string_view, 4> kRemovedRbacKinds = {"ClusterRbacConfig", "RbacConfig", "ServiceRole",
                                                               "ServiceRoleBinding"};

class DeprecationAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{"deprecation.DeprecationAnalyzer",
                                        "Checks for deprecated Istio types and fields",
                                        {Kind::VirtualService, Kind::Sidecar, Kind::CustomResourceDefinition},
                                        {Code::IST0002}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    for (const model::VirtualService* vs : g.typed<model::VirtualService>(Kind::VirtualService)) {
      for (size_t i = 0; i < vs->http.size(); ++i) {
        const model::HttpRoute& h = vs->http[i];
        if (!h.fault_delay_percent || *h.fault_delay_percent <= 0) continue;
        std::string value = fmtNumber(*h.fault_delay_percent);
        ctx.report(Code::IST0002, *vs, h.fault_delay_percent_span.known() ? h.fault_delay_percent_span : h.span,
                   "http[" + std::to_string(i) + "].fault.delay.percent is deprecated; use fault.delay.percentage "
                   "instead (`percent: " + value + "` becomes `percentage: {value: " + value + "}`)");
      }
    }
    for (const model::Sidecar* sc : g.typed<model::Sidecar>(Kind::Sidecar)) {
      if (!sc->has_egress_proxy) continue;
      ctx.report(Code::IST0002, *sc, sc->egress_proxy_span,
                 "outboundTrafficPolicy.egressProxy is ignored by istiod; remove it, and send outbound traffic "
                 "through an egress gateway (a Gateway and a VirtualService) instead");
    }
    for (const auto* crd : g.typed<model::CustomResourceDefinition>(Kind::CustomResourceDefinition)) {
      if (crd->group.value != "rbac.istio.io") continue;
      for (std::string_view kind : kRemovedRbacKinds) {
        if (crd->kind.value != kind) continue;
        ctx.report(Code::IST0002, *crd, crd->kind.span.known() ? crd->kind.span : crd->group.span,
                   "Custom resource type rbac.istio.io " + crd->kind.value +
                       " is removed; Istio no longer reads it. Migrate its resources to AuthorizationPolicy "
                       "(security.istio.io) and delete this CustomResourceDefinition");
      }
    }
  }

 private:
  static std::string fmtNumber(double v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
};

}  // namespace

AnalyzerPtr makeDeprecationDeprecationAnalyzer() { return std::make_unique<DeprecationAnalyzer>(); }

}  // namespace istio_lint::analyzers
