// virtualservice.JWTClaimRouteAnalyzer: a VirtualService that routes on JWT claims
// (`@request.auth.claims.*` headers) needs a RequestAuthentication on the gateway pods it is bound
// to; without one the claims are never extracted and the match never succeeds.

#include <algorithm>
#include <map>

#include "analyzers/analyzer.h"
#include "analyzers/policy_helpers.h"
#include "analyzers/registry_entries.h"
#include "model/resources/security.h"

namespace istio_lint::analyzers {
namespace {

using model::RequestAuthentication;
using model::VirtualService;
using model::Workload;

constexpr std::string_view kClaimPrefix = "@request.auth.claims";

/// The first header match on a JWT claim, in route order (headers before withoutHeaders).
const model::StringMatch* claimMatch(const VirtualService& vs, std::string& key) {
  for (const model::HttpRoute& h : vs.http) {
    for (const model::HttpMatch& m : h.match) {
      for (const auto* headers : {&m.headers, &m.without_headers}) {
        for (const auto& [k, v] : *headers) {
          if (std::string_view(k).starts_with(kClaimPrefix)) {
            key = k;
            return &v;
          }
        }
      }
    }
  }
  return nullptr;
}

bool contains(const model::Labels& labels, const model::Labels& selector) {
  for (const auto& [k, v] : selector) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

class JwtClaimRouteAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "virtualservice.JWTClaimRouteAnalyzer",
        "Checks the VirtualService using JWT claim based routing has corresponding RequestAuthentication",
        {Kind::VirtualService, Kind::RequestAuthentication, Kind::Gateway, Kind::Pod},
        {Code::IST0149}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    // RequestAuthentication selectors by namespace; one without a selector covers its namespace.
    std::map<std::string, std::vector<const RequestAuthentication*>> by_ns;
    for (const RequestAuthentication* ra : g.typed<RequestAuthentication>(Kind::RequestAuthentication)) {
      by_ns[ra->ns()].push_back(ra);
    }
    auto covered = [&](const Workload& w) {
      for (const std::string& ns : {std::string("istio-system"), w.ns()}) {
        auto it = by_ns.find(ns);
        if (it == by_ns.end()) continue;
        for (const RequestAuthentication* ra : it->second) {
          static const model::Labels kAll;
          const model::Labels& sel = ra->target.selector ? ra->target.selector->match_labels : kAll;
          if (contains(w.pod_labels, sel)) return true;
        }
      }
      return false;
    };
    for (const VirtualService* vs : g.typed<VirtualService>(Kind::VirtualService)) {
      std::string key;
      const model::StringMatch* match = claimMatch(*vs, key);
      if (match == nullptr) continue;
      for (const model::BoundGateway& b : g.gatewaysOf(*vs)) {
        if (!b.top_level || b.ref.mesh || b.gateway == nullptr) continue;  // missing: GatewayAnalyzer
        std::vector<const Workload*> pods = g.workloads().select(b.gateway->selector);
        // The assumed default ingress Pod stands in for a gateway the inputs do not declare.
        if (std::any_of(pods.begin(), pods.end(), [](const Workload* w) { return !w->synthetic; })) {
          std::erase_if(pods, [](const Workload* w) { return w->synthetic; });
        }
        for (const Workload* w : pods) {
          if (covered(*w)) continue;
          rules::Finding& f = ctx.report(Code::IST0149, *vs, b.at->span, key, b.gateway->qualifiedName(), w->name());
          f.message += " Add a RequestAuthentication whose selector matches the gateway's labels, in namespace " +
                       (w->ns() == "istio-system" ? std::string("istio-system")
                                                  : (w->ns().empty() ? std::string("(none)") : w->ns()) +
                                                        " or istio-system");
          f.notes.push_back({"the VirtualService matches on claim header " + key + " here", match->span});
          f.notes.push_back({"gateway " + b.gateway->qualifiedName() + " runs on " +
                                 std::string(model::kindName(w->kind)) + " " + w->qualifiedName(),
                             w->span.known() ? w->span : b.gateway->span});
        }
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeVirtualServiceJWTClaimRouteAnalyzer() { return std::make_unique<JwtClaimRouteAnalyzer>(); }

}  // namespace istio_lint::analyzers
