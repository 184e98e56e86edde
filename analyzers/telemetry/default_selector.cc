// telemetry.DefaultSelectorAnalyzer: at most one Telemetry per namespace applies to the whole
// namespace (has neither a selector nor a targetRef).

#include <algorithm>

#include "analyzers/analyzer.h"
#include "analyzers/policy_helpers.h"
#include "analyzers/registry_entries.h"
#include "model/resources/telemetry.h"

namespace istio_lint::analyzers {
namespace {

using model::Telemetry;

class DefaultSelectorAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "telemetry.DefaultSelectorAnalyzer",
        "Validates that there aren't multiple telemetry resources that have no selector",
        {Kind::Telemetry},
        {Code::IST0160}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    // ofKind is sorted by (namespace, name): each namespace is one run.
    std::vector<const Telemetry*> all = ctx.graph().typed<Telemetry>(Kind::Telemetry);
    for (size_t i = 0; i < all.size();) {
      size_t j = i;
      std::vector<const Telemetry*> wide;
      for (; j < all.size() && all[j]->ns() == all[i]->ns(); ++j) {
        if (all[j]->target.namespaceWide()) wide.push_back(all[j]);
      }
      if (wide.size() > 1) report(ctx, wide);
      i = j;
    }
  }

 private:
  static void report(Context& ctx, const std::vector<const Telemetry*>& wide) {
    std::vector<std::string> names;
    for (const Telemetry* t : wide) names.push_back(t->name());
    std::sort(names.begin(), names.end());
    for (const Telemetry* t : wide) {
      rules::Finding& f = ctx.report(Code::IST0160, *t, t->meta.name.span, policy::goList(names), t->ns());
      f.message += " Only one of them takes effect; merge them into one Telemetry, or give the others a "
                   "selector or targetRefs";
      for (const Telemetry* other : wide) {
        if (other != t) f.notes.push_back({"Telemetry " + other->qualifiedName() + " also has no selector", other->span});
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeTelemetryDefaultSelectorAnalyzer() { return std::make_unique<DefaultSelectorAnalyzer>(); }

}  // namespace istio_lint::analyzers
