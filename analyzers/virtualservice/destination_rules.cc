// virtualservice.DestinationRuleAnalyzer: a destination that names a subset has a DestinationRule
// for its host that defines that subset.

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "model/host.h"
#include "model/visit.h"

namespace istio_lint::analyzers {
namespace {

using model::DestinationRule;
using model::VirtualService;

class DestinationRuleAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "virtualservice.DestinationRuleAnalyzer",
        "Checks the destination rules associated with each virtual service",
        {Kind::VirtualService, Kind::DestinationRule},
        {Code::IST0101}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    const model::HostIndex<const DestinationRule*>& rules = g.destinationRules();
    for (const VirtualService* vs : g.typed<VirtualService>(Kind::VirtualService)) {
      model::forEachDestination(*vs, [&](const model::Destination& d, model::DestinationRole) {
        if (d.subset.empty()) return;
        std::string fqdn = model::host::toFqdn(d.host.value, vs->ns(), g.domainSuffix());
        if (definesSubset(rules, fqdn, d.subset.value)) return;
        ctx.report(Code::IST0101, *vs, d.subset.span, "host+subset in destinationrule",
                   d.host.value + "+" + d.subset.value);
      });
    }
  }

 private:
  static bool hasSubset(const std::vector<const DestinationRule*>& drs, const std::string& subset) {
    for (const DestinationRule* dr : drs) {
      for (const model::Subset& s : dr->subsets) {
        if (s.name.value == subset) return true;
      }
    }
    return false;
  }
  /// The exact host first, then wildcard DestinationRules covering it (istiod applies those too).
  static bool definesSubset(const model::HostIndex<const DestinationRule*>& rules,
                            const std::string& fqdn, const std::string& subset) {
    if (const auto* exact = rules.exact(fqdn); exact && hasSubset(*exact, subset)) return true;
    bool found = false;
    if (!model::host::isWildcard(fqdn)) {
      rules.forEachWildcardCovering(fqdn, [&](const std::vector<const DestinationRule*>& drs) {
        found = hasSubset(drs, subset);
        return !found;
      });
    }
    return found;
  }
};

}  // namespace

AnalyzerPtr makeVirtualServiceDestinationRuleAnalyzer() { return std::make_unique<DestinationRuleAnalyzer>(); }

}  // namespace istio_lint::analyzers
