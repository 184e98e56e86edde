// egress.IsolationNotEnforcedAnalyzer (IL2004): a Sidecar resource restricts where workloads may
// send traffic (egress hosts, or outboundTrafficPolicy REGISTRY_ONLY) in a mesh with egress
// gateways in use, and nothing outside the workloads' own proxies enforces it: no
// AuthorizationPolicy applies to the egress gateways, and no NetworkPolicy restricts the egress of
// the Sidecar's pods.

#include <map>

#include "analyzers/analyzer.h"
#include "analyzers/egress_paths.h"
#include "analyzers/registry_entries.h"
#include "model/resources/network_policy.h"
#include "model/resources/security.h"

namespace istio_lint::analyzers {
namespace {

using model::labelsSubset;

std::string labelsText(const model::Labels& l) {
  std::string out;
  for (const auto& [k, v] : l) out += (out.empty() ? "" : ", ") + k + ": " + v;
  return "{" + out + "}";
}

/// The Sidecar narrows where its workloads may send traffic.
bool restrictsEgress(const model::Sidecar& sc) {
  if (sc.outbound_traffic_policy.value == "REGISTRY_ONLY") return true;
  if (sc.egress.empty()) return false;
  for (const auto& e : sc.egress) {
    for (const model::Str& h : e.hosts) {
      if (h.value == "*/*") return false;
    }
  }
  return true;
}

class IsolationNotEnforcedAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "egress.IsolationNotEnforcedAnalyzer",
        "Checks that egress isolation by Sidecar resources is enforced at the egress gateway or by NetworkPolicy",
        {Kind::Sidecar, Kind::AuthorizationPolicy, Kind::NetworkPolicy, Kind::Gateway, Kind::VirtualService,
         Kind::Deployment, Kind::Pod, Kind::IstioOperator},
        {Code::IL2004}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    if (g.ofKind(Kind::Sidecar).empty() || !g.derived<egress::EgressCandidates>().any()) return;
    const egress::EgressPaths& paths = g.derived<egress::EgressPaths>();
    const std::string& root = g.meshConfig().root_namespace;

    // Egress gateways in use that no AuthorizationPolicy applies to.
    std::string unprotected;
    size_t in_use = 0;
    for (const auto& gw : paths.gateways()) {
      if (!gw->in_use) continue;
      ++in_use;
      if (!protectedByPolicy(g, *gw, root)) unprotected += (unprotected.empty() ? "" : ", ") + gw->label();
    }
    if (in_use == 0 || unprotected.empty()) return;

    std::map<std::string, std::vector<const model::NetworkPolicy*>> egress_np;  // by namespace
    for (const model::Resource* r : g.ofKind(Kind::NetworkPolicy)) {
      const auto* np = dynamic_cast<const model::NetworkPolicy*>(r);
      if (np != nullptr && np->restrictsEgress()) egress_np[np->ns()].push_back(np);
    }
    for (const model::Resource* r : g.ofKind(Kind::Sidecar)) {
      const auto& sc = static_cast<const model::Sidecar&>(*r);
      if (!restrictsEgress(sc) || enforcedByNetworkPolicy(sc, egress_np)) continue;
      std::string scope = sc.workload_selector && !sc.workload_selector->empty()
                              ? "workloads " + labelsText(*sc.workload_selector) + " in namespace " + sc.ns()
                              : sc.ns() == root ? "every namespace without a Sidecar of its own (this is the root namespace)"
                                                : "namespace " + sc.ns();
      std::string traced;
      for (const egress::Source& s : paths.sources()) {
        if (s.proxy->sidecar == &sc && !s.workloads.empty()) traced += (traced.empty() ? "" : "; ") + s.describe();
      }
      if (!traced.empty()) scope += " (" + traced + ")";
      std::string why = "no AuthorizationPolicy applies to " + unprotected + ", and no NetworkPolicy in namespace " +
                        sc.ns() + " restricts the egress of these pods";
      model::Span at = !sc.egress.empty() && sc.egress.front().span.known() ? sc.egress.front().span
                       : sc.outbound_traffic_policy.span.known()             ? sc.outbound_traffic_policy.span
                                                                             : sc.meta.name.span;
      ctx.report(Code::IL2004, sc, at, scope, why);
    }
  }

 private:
  /// An ALLOW, DENY or CUSTOM AuthorizationPolicy applies to the gateway's pods: in its namespace
  /// or the root namespace, namespace-wide or with a selector matching its labels.
  static bool protectedByPolicy(const model::MeshGraph& g, const egress::EgressGateway& gw, const std::string& root) {
    std::string ns;
    const model::Labels* labels = nullptr;
    if (gw.proxy != nullptr) {
      ns = gw.proxy->id.ns;
      labels = &gw.proxy->id.labels;
    } else if (gw.workload != nullptr) {
      ns = gw.workload->workload->ns();
      labels = &gw.workload->workload->pod_labels;
    }
    if (labels == nullptr) return false;
    for (const model::Resource* r : g.ofKind(Kind::AuthorizationPolicy)) {
      if (r->ns() != ns && r->ns() != root) continue;
      const auto& ap = static_cast<const model::AuthorizationPolicy&>(*r);
      if (ap.action.value == "AUDIT") continue;
      if (ap.target.namespaceWide()) return true;
      if (ap.target.selector && labelsSubset(ap.target.selector->match_labels, *labels)) return true;
    }
    return false;
  }

  /// A NetworkPolicy of the Sidecar's namespace restricts egress and selects the Sidecar's pods
  /// (every pod, or a selector the Sidecar's workloadSelector implies). matchExpressions are not
  /// evaluated and count as selecting them.
  static bool enforcedByNetworkPolicy(const model::Sidecar& sc,
                                      const std::map<std::string, std::vector<const model::NetworkPolicy*>>& by_ns) {
    auto it = by_ns.find(sc.ns());
    if (it == by_ns.end()) return false;
    for (const model::NetworkPolicy* np : it->second) {
      if (np->has_match_expressions || np->pod_selector.empty()) return true;
      if (sc.workload_selector && labelsSubset(np->pod_selector, *sc.workload_selector)) return true;
    }
    return false;
  }
};

}  // namespace

AnalyzerPtr makeEgressIsolationNotEnforcedAnalyzer() { return std::make_unique<IsolationNotEnforcedAnalyzer>(); }

}  // namespace istio_lint::analyzers
