// virtualservice.RouteWeightAnalyzer (IL4002): the destination weights of a route do not add up
// to 100. Envoy treats them as relative shares (istiod sets the total), so traffic still flows,
// but not in the proportions the numbers suggest: 90 + 20 sends 82% and 18%, and a destination
// without a weight beside weighted ones gets nothing.
//
// A route with one destination and no weight is the common case (it gets everything) and is not
// reported. The schema analyzer does not check weights, so this is the only finding about them
// (docs/compat.md).

#include <cmath>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

using model::VirtualService;

std::string percent(double v) {
  double r = std::round(v * 10) / 10;
  std::string s = std::to_string(r);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s + "%";
}

class RouteWeightAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "virtualservice.RouteWeightAnalyzer",
        "Checks that the destination weights of each route add up to 100",
        {Kind::VirtualService},
        {Code::IL4002}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    for (const VirtualService* vs : ctx.graph().typed<VirtualService>(Kind::VirtualService)) {
      for (size_t i = 0; i < vs->http.size(); ++i) {
        check(ctx, *vs, "http[" + std::to_string(i) + "]", vs->http[i].route, vs->http[i].span);
      }
      for (size_t i = 0; i < vs->tls.size(); ++i) {
        check(ctx, *vs, "tls[" + std::to_string(i) + "]", vs->tls[i].route, vs->tls[i].span);
      }
      for (size_t i = 0; i < vs->tcp.size(); ++i) {
        check(ctx, *vs, "tcp[" + std::to_string(i) + "]", vs->tcp[i].route, vs->tcp[i].span);
      }
    }
  }

 private:
  static void check(Context& ctx, const VirtualService& vs, const std::string& where,
                    const std::vector<model::RouteDestination>& route, model::Span route_span) {
    if (route.empty()) return;
    if (route.size() == 1 && !route[0].weight) return;
    int64_t total = 0;
    for (const model::RouteDestination& d : route) total += d.weight.value_or(0);
    if (total == 100) return;
    std::string weights, effect;
    for (const model::RouteDestination& d : route) {
      const int64_t w = d.weight.value_or(0);
      const std::string name = d.destination.host.value + (d.destination.subset.empty() ? "" : "/" + d.destination.subset.value);
      weights += (weights.empty() ? "" : " + ") + std::to_string(w) + (d.weight ? "" : " (unset)");
      double share = route.size() == 1 ? 100.0 : (total > 0 ? 100.0 * static_cast<double>(w) / static_cast<double>(total) : 0.0);
      effect += (effect.empty() ? "" : ", ") + name + " " + percent(share);
    }
    std::string result = total <= 0 && route.size() > 1
                             ? "no destination has a positive weight, so istiod rejects the route"
                             : "Envoy splits traffic by relative weight: " + effect;
    model::Span at = route.front().span.known() ? route.front().span : route_span;
    ctx.report(Code::IL4002, vs, at, where, weights, total, result);
  }
};

}  // namespace

AnalyzerPtr makeVirtualServiceRouteWeightAnalyzer() { return std::make_unique<RouteWeightAnalyzer>(); }

}  // namespace istio_lint::analyzers
