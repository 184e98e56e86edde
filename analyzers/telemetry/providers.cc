// telemetry.ProviderAnalyzer: with no default access log provider in the mesh config, an
// accessLogging entry that names no provider (and does not disable logging) does nothing.

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "model/resources/telemetry.h"

namespace istio_lint::analyzers {
namespace {

using model::Telemetry;

class ProviderAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{"telemetry.ProviderAnalyzer",
                                        "Validates that providers in telemery resource is valid",
                                        {Kind::Telemetry, Kind::MeshConfig},
                                        {Code::IST0157}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    if (!g.meshConfig().default_access_logging.empty()) return;
    for (const Telemetry* t : g.typed<Telemetry>(Kind::Telemetry)) {
      for (const model::TelemetryAccessLogging& a : t->access_logging) {
        if (!a.providers.empty() || a.disabled.value_or(false)) continue;
        rules::Finding& f = ctx.report(Code::IST0157, *t, a.span, t->name(), t->ns());
        f.message += " The mesh config sets no default access log provider (defaultProviders.accessLogging): "
                     "name a provider in this entry (for example `providers: [{name: envoy}]`), or set one in the "
                     "mesh config";
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeTelemetryProviderAnalyzer() { return std::make_unique<ProviderAnalyzer>(); }

}  // namespace istio_lint::analyzers
