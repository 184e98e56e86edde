// virtualservice.ConflictingMeshGatewayHostsAnalyzer: two VirtualServices bound to the mesh
// gateway (sidecars) must not define the same host in scopes that overlap. Sidecars then see two
// routing tables for one host and istiod keeps only one of them.

#include <algorithm>
#include <map>
#include <set>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "model/host.h"

namespace istio_lint::analyzers {
namespace {

using model::VirtualService;

/// A host of a mesh-bound VirtualService, under the scope it is exported to.
struct HostUse {
  const VirtualService* vs;
  const model::Str* host;  // as written in spec.hosts
};

class ConflictingMeshGatewayHostsAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "virtualservice.ConflictingMeshGatewayHostsAnalyzer",
        "Checks if multiple virtual services associated with the mesh gateway have conflicting hosts",
        {Kind::VirtualService},
        {Code::IST0109}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    // scope ("*" or a namespace) + '/' + FQDN -> uses, ordered so that output never depends on hashing.
    std::map<std::string, std::vector<HostUse>> by_key;
    for (const VirtualService* vs : g.typed<VirtualService>(Kind::VirtualService)) {
      if (!meshBound(*vs)) continue;
      for (const std::string& scope : scopes(*vs)) {
        for (const model::Str& h : vs->hosts) {
          std::string fqdn = model::host::toFqdn(h.value, vs->ns(), g.domainSuffix());
          by_key[scope + "/" + fqdn].push_back({vs, &h});
        }
      }
    }

    std::set<const VirtualService*> reported;
    for (const auto& [key, uses] : by_key) {
      size_t slash = key.find('/');
      std::string scope = key.substr(0, slash), fqdn = key.substr(slash + 1);
      std::vector<HostUse> group = uses;
      // A VirtualService exported to some namespaces also meets, in those namespaces, every
      // VirtualService exported everywhere with the same host. Different names never conflict,
      // even when a wildcard covers the other: each becomes its own virtual host and the most
      // specific one wins (istioctl also reports a namespace-scoped host that a wildcard exported
      // everywhere overlaps).
      if (scope != "*") {
        auto star = by_key.find("*/" + fqdn);
        if (star != by_key.end()) group.insert(group.end(), star->second.begin(), star->second.end());
      }
      std::vector<HostUse> distinct;  // one use per VirtualService, in (namespace, name) order
      std::stable_sort(group.begin(), group.end(), [](const HostUse& a, const HostUse& b) {
        return std::tie(a.vs->ns(), a.vs->name()) < std::tie(b.vs->ns(), b.vs->name());
      });
      for (const HostUse& u : group) {
        if (distinct.empty() || distinct.back().vs != u.vs) distinct.push_back(u);
      }
      if (distinct.size() < 2) continue;
      std::string names;
      for (const HostUse& u : distinct) names += (names.empty() ? "" : ",") + u.vs->qualifiedName();
      for (const HostUse& u : distinct) {
        if (!reported.insert(u.vs).second) continue;
        rules::Finding& f = ctx.report(Code::IST0109, *u.vs, u.host->span, names, key);
        for (const HostUse& other : distinct) {
          if (other.vs == u.vs) continue;
          f.notes.push_back({"VirtualService " + other.vs->qualifiedName() + " also defines " + other.host->value +
                                 " for sidecars; merge the two into one VirtualService",
                             other.host->span});
        }
      }
    }
  }

 private:
  /// No gateways means the mesh gateway; otherwise `mesh` must be listed.
  static bool meshBound(const VirtualService& vs) {
    return vs.gateways.empty() ||
           std::any_of(vs.gateways.begin(), vs.gateways.end(), [](const model::Str& g) { return g.value == "mesh"; });
  }

  /// `*` when exported everywhere (no exportTo, or `*` in it), else each namespace (`.` is its own).
  static std::vector<std::string> scopes(const VirtualService& vs) {
    std::vector<std::string> out;
    for (const model::Str& e : vs.export_to) {
      if (e.value == "*") return {"*"};
      std::string ns = e.value == "." ? vs.ns() : e.value;
      if (std::find(out.begin(), out.end(), ns) == out.end()) out.push_back(ns);
    }
    if (out.empty()) out.push_back("*");
    return out;
  }
};

}  // namespace

AnalyzerPtr makeVirtualServiceConflictingMeshGatewayHostsAnalyzer() {
  return std::make_unique<ConflictingMeshGatewayHostsAnalyzer>();
}

}  // namespace istio_lint::analyzers
