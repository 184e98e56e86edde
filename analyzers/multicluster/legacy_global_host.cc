// multicluster.LegacyGlobalHostAnalyzer: `*.global` hosts of the retired replicated-control-plane
// multicluster pattern, in ServiceEntries, VirtualServices, DestinationRules, Gateways and Sidecars.

#include <algorithm>
#include <cctype>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "model/ascii.h"
#include "model/visit.h"

namespace istio_lint::analyzers {
namespace {

bool isGlobal(std::string_view host) {
  size_t slash = host.find('/');
  if (slash != std::string_view::npos) host = host.substr(slash + 1);
  return host.size() >= 7 && model::equalsIgnoreCase(host.substr(host.size() - 7), ".global");
}

class LegacyGlobalHostAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "multicluster.LegacyGlobalHostAnalyzer",
        "Checks for hosts of the retired .global multicluster naming",
        {Kind::ServiceEntry, Kind::VirtualService, Kind::DestinationRule, Kind::Gateway, Kind::Sidecar},
        {Code::IL3005}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    auto check = [&](const model::Resource& r, const model::Str& host) {
      if (isGlobal(host.value)) ctx.report(Code::IL3005, r, host.span, host.value);
    };
    for (const auto* se : g.typed<model::ServiceEntry>(Kind::ServiceEntry)) {
      for (const model::Str& h : se->hosts) check(*se, h);
    }
    for (const auto* vs : g.typed<model::VirtualService>(Kind::VirtualService)) {
      for (const model::Str& h : vs->hosts) check(*vs, h);
      model::forEachDestination(*vs, [&](const model::Destination& d, model::DestinationRole) { check(*vs, d.host); });
    }
    for (const auto* dr : g.typed<model::DestinationRule>(Kind::DestinationRule)) check(*dr, dr->host);
    for (const auto* gw : g.typed<model::Gateway>(Kind::Gateway)) {
      for (const model::GatewayServer& s : gw->servers) {
        for (const model::Str& h : s.hosts) check(*gw, h);
      }
    }
    for (const auto* sc : g.typed<model::Sidecar>(Kind::Sidecar)) {
      for (const model::Sidecar::Egress& e : sc->egress) {
        for (const model::Str& h : e.hosts) check(*sc, h);
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeMulticlusterLegacyGlobalHostAnalyzer() { return std::make_unique<LegacyGlobalHostAnalyzer>(); }

}  // namespace istio_lint::analyzers
