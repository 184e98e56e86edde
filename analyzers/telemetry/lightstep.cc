// telemetry.LightstepAnalyzer: Telemetry tracing that sends spans to a Lightstep extension provider,
// which Istio no longer supports.

#include <set>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "model/resources/telemetry.h"

namespace istio_lint::analyzers {
namespace {

using model::Telemetry;

class LightstepAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{"telemetry.LightstepAnalyzer",
                                        "Validates that lightstep provider is still used",
                                        {Kind::Telemetry, Kind::MeshConfig},
                                        {Code::IST0002}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    std::set<std::string> lightstep;
    for (const model::ExtensionProvider& p : g.meshConfig().extension_providers) {
      if (p.type == "lightstep") lightstep.insert(p.name);
    }
    if (lightstep.empty()) return;
    for (const Telemetry* t : g.typed<Telemetry>(Kind::Telemetry)) {
      for (const model::TelemetryTracing& tr : t->tracing) {
        for (const model::ProviderRef& p : tr.providers) {
          if (!lightstep.count(p.name.value)) continue;
          rules::Finding& f = ctx.report(
              Code::IST0002, *t, p.name.span,
              "tracing provider \"" + p.name.value +
                  "\" is a Lightstep extension provider, which Istio no longer supports. Define an "
                  "OpenTelemetry provider (extensionProviders[].opentelemetry) in the mesh config and use it here");
          if (g.meshConfig().span.known()) {
            f.notes.push_back({"the mesh config (" + g.meshConfig().source + ") defines the provider", g.meshConfig().span});
          }
        }
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeTelemetryLightstepAnalyzer() { return std::make_unique<LightstepAnalyzer>(); }

}  // namespace istio_lint::analyzers
