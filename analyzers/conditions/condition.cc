// conditions.ConditionAnalyzer: status conditions in which a controller (istiod, ztunnel, the
// Gateway API controller) says it did not accept or could not apply the resource.

#include <set>
#include <string_view>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

/// The condition types that are negative when their status is "False", per kind.
std::set<std::string_view> negativeWhenFalse(Kind k) {
  switch (k) {
    case Kind::Service:
    case Kind::ServiceEntry:
    case Kind::WorkloadEntry: return {"istio.io/WaypointBound"};
    case Kind::AuthorizationPolicy: return {"ZtunnelAccepted", "WaypointAccepted"};
    case Kind::KubernetesGateway:
    case Kind::HTTPRoute:
    case Kind::GRPCRoute: return {"Accepted", "Programmed", "ResolvedRefs"};
    default: return {};
  }
}

class ConditionAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "conditions.ConditionAnalyzer",
        "Checks for negative status conditions on resources",
        {Kind::Service, Kind::ServiceEntry, Kind::WorkloadEntry, Kind::AuthorizationPolicy, Kind::KubernetesGateway,
         Kind::HTTPRoute, Kind::GRPCRoute},
        {Code::IST0171}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    for (Kind k : metadata().inputs) {
      const std::set<std::string_view> negative = negativeWhenFalse(k);
      for (const model::Resource* r : ctx.graph().ofKind(k)) {
        for (const model::Condition& c : r->conditions) {
          bool report = c.status.value == "False" && negative.count(c.type.value);
          // A waypoint that accepted only part of an AuthorizationPolicy says so with status True.
          report = report || (k == Kind::AuthorizationPolicy && c.type.value == "WaypointAccepted" &&
                              c.reason.value == "PartiallyInvalid");
          if (!report) continue;
          rules::Finding& f = ctx.report(Code::IST0171, *r, c.type.span.known() ? c.type.span : c.span,
                                         c.type.value, c.reason.value, c.message.value);
          if (!c.parent.empty()) f.message += " Reported for parent " + c.parent + ".";
        }
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeConditionsConditionAnalyzer() { return std::make_unique<ConditionAnalyzer>(); }

}  // namespace istio_lint::analyzers
