// virtualservice.DestinationHostAnalyzer: every route and mirror destination is a host the
// service registry knows in the VirtualService's scope, on a port that host exposes.

#include <algorithm>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "model/host.h"
#include "model/visit.h"

namespace istio_lint::analyzers {
namespace {

using model::VirtualService;

/// The registry entry a destination resolves to, in istio's lookup order: exported to every
/// namespace, then the VirtualService's own scopes, then wildcard ServiceEntry hosts.
const model::Resource* lookup(const model::MeshGraph& g, const VirtualService& vs, const std::string& fqdn) {
  std::vector<std::string> scopes{"*"};
  if (vs.export_to.empty()) {
    scopes.push_back(vs.ns());
  } else {
    for (const model::Str& e : vs.export_to) scopes.push_back(e.value == "." ? vs.ns() : e.value);
  }
  if (const auto* entries = g.registry().exact(fqdn)) {
    for (const std::string& scope : scopes) {
      for (const model::RegistryEntry& e : *entries) {
        if (e.scope == scope) return e.resource;
      }
    }
  }
  const model::Resource* found = nullptr;
  g.registry().forEachWildcardCovering(fqdn, [&](const std::vector<model::RegistryEntry>& entries) {
    for (const model::RegistryEntry& e : entries) {
      if (e.resource->kind == Kind::ServiceEntry && (e.scope == "*" || e.scope == vs.ns())) {
        found = e.resource;
        return false;
      }
    }
    return true;
  });
  return found;
}

std::vector<uint32_t> portsOf(const model::Resource& r) {
  std::vector<uint32_t> out;
  if (r.kind == Kind::ServiceEntry) {
    for (const model::ServicePort& p : static_cast<const model::ServiceEntry&>(r).ports) out.push_back(p.number);
  } else {
    for (const model::KubeServicePort& p : static_cast<const model::Service&>(r).ports) out.push_back(p.port);
  }
  return out;
}

class DestinationHostAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "virtualservice.DestinationHostAnalyzer",
        "Checks the destination hosts associated with each virtual service",
        {Kind::ServiceEntry, Kind::VirtualService, Kind::Service},
        {Code::IST0101, Code::IST0112}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    for (const VirtualService* vs : g.typed<VirtualService>(Kind::VirtualService)) {
      model::forEachDestination(*vs, [&](const model::Destination& d, model::DestinationRole role) {
        check(ctx, *vs, d, role);
      });
    }
  }

 private:
  static void check(Context& ctx, const VirtualService& vs, const model::Destination& d,
                    model::DestinationRole role) {
    const model::MeshGraph& g = ctx.graph();
    std::string fqdn = model::host::toFqdn(d.host.value, vs.ns(), g.domainSuffix());
    const model::Resource* target = lookup(g, vs, fqdn);
    if (target == nullptr) {
      ctx.report(Code::IST0101, vs, d.host.span,
                 role == model::DestinationRole::Mirror ? "mirror host" : "host", d.host.value);
      return;
    }
    std::vector<uint32_t> ports = portsOf(*target);
    if (!d.port.number) {
      if (ports.size() > 1) {
        std::string list;
        for (uint32_t p : ports) list += (list.empty() ? "" : " ") + std::to_string(p);
        ctx.report(Code::IST0112, vs, d.span, d.host.value, list);
      }
      return;
    }
    if (!ports.empty() && std::find(ports.begin(), ports.end(), *d.port.number) == ports.end()) {
      ctx.report(Code::IST0101, vs, d.port.span, "host:port",
                 d.host.value + ":" + std::to_string(*d.port.number));
    }
  }
};

}  // namespace

AnalyzerPtr makeVirtualServiceDestinationHostAnalyzer() { return std::make_unique<DestinationHostAnalyzer>(); }

}  // namespace istio_lint::analyzers
