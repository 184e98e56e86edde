// virtualservice.DestinationRuleAnalyzer: a destination that names a subset has a DestinationRule
// for its host that defines that subset — the DestinationRule istiod actually applies to the host
// (most specific host, exportTo, namespace order), not just any rule that mentions the subset.

#include <algorithm>

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
    const std::string& root_ns = g.meshConfig().root_namespace;
    for (const VirtualService* vs : g.typed<VirtualService>(Kind::VirtualService)) {
      model::forEachDestination(*vs, [&](const model::Destination& d, model::DestinationRole role) {
        if (d.subset.empty()) return;
        std::string fqdn = model::host::toFqdn(d.host.value, vs->ns(), g.domainSuffix());
        std::vector<std::string> order = searchOrder(vs->ns(), serviceNamespace(fqdn, g.domainSuffix()), root_ns);
        if (hasSubset(applicable(rules, fqdn, vs->ns(), order), d.subset.value)) return;
        // istioctl words it "mirror+subset" for a mirror destination.
        ctx.report(Code::IST0101, *vs, d.subset.span,
                   role == model::DestinationRole::Mirror ? "mirror+subset in destinationrule"
                                                          : "host+subset in destinationrule",
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

  /// Whether proxies in `ns` see `dr`: exportTo empty or `*` is everywhere, `.` its own namespace.
  static bool visibleFrom(const DestinationRule& dr, const std::string& ns) {
    if (dr.export_to.empty()) return true;
    for (const model::Str& e : dr.export_to) {
      if (e.value == "*" || e.value == ns || (e.value == "." && dr.ns() == ns)) return true;
    }
    return false;
  }

  /// `ns` of `name.ns.svc.<domain>`, else empty.
  static std::string serviceNamespace(const std::string& fqdn, const std::string& domain) {
    std::string suffix = ".svc." + domain;
    if (!fqdn.ends_with(suffix)) return {};
    std::string rest = fqdn.substr(0, fqdn.size() - suffix.size());
    size_t dot = rest.rfind('.');
    return dot == std::string::npos ? std::string() : rest.substr(dot + 1);
  }

  /// istiod's namespace order for a proxy in `proxy_ns`: its own namespace, then the service's,
  /// then the root namespace (the service's first when the proxy is in the root namespace).
  static std::vector<std::string> searchOrder(const std::string& proxy_ns, const std::string& svc_ns,
                                              const std::string& root_ns) {
    std::vector<std::string> order;
    auto add = [&](const std::string& ns) {
      if (std::find(order.begin(), order.end(), ns) == order.end()) order.push_back(ns);
    };
    if (proxy_ns != root_ns) add(proxy_ns);
    if (!svc_ns.empty()) add(svc_ns);
    add(root_ns);
    return order;
  }

  /// The DestinationRules istiod applies to `fqdn` for proxies in `proxy_ns`. Namespaces are tried
  /// in `order`, then (more leniently than istiod, which ignores them) every other namespace; in the
  /// first that has a visible rule for the host, only the most specific host counts: the exact
  /// name, else the longest wildcard covering it. So an exact DestinationRule without the subset
  /// hides a wildcard one that has it.
  static std::vector<const DestinationRule*> applicable(const model::HostIndex<const DestinationRule*>& rules,
                                                        const std::string& fqdn, const std::string& proxy_ns,
                                                        const std::vector<std::string>& order) {
    auto tier = [&](const DestinationRule& dr) {
      return static_cast<size_t>(std::find(order.begin(), order.end(), dr.ns()) - order.begin());
    };
    std::vector<const DestinationRule*> out;
    auto take = [&](const std::vector<const DestinationRule*>& drs, size_t t) {
      for (const DestinationRule* dr : drs) {
        if (tier(*dr) == t && visibleFrom(*dr, proxy_ns)) out.push_back(dr);
      }
      return !out.empty();
    };
    for (size_t t = 0; t <= order.size(); ++t) {
      if (const auto* exact = rules.exact(fqdn); exact && take(*exact, t)) return out;
      if (model::host::isWildcard(fqdn)) continue;
      rules.forEachWildcardCovering(fqdn, [&](const std::vector<const DestinationRule*>& drs) { return !take(drs, t); });
      if (!out.empty()) return out;
    }
    return out;
  }
};

}  // namespace

AnalyzerPtr makeVirtualServiceDestinationRuleAnalyzer() { return std::make_unique<DestinationRuleAnalyzer>(); }

}  // namespace istio_lint::analyzers
