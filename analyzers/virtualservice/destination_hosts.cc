// virtualservice.DestinationHostAnalyzer: every route and mirror destination is a host the
// service registry knows in the VirtualService's scope, on a port that host exposes; and a
// gateway-bound VirtualService that routes to a host without a subset does not bypass subset
// routing another VirtualService defines for that host.

#include <algorithm>
#include <unordered_map>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "analyzers/service_lookup.h"
#include "model/host.h"
#include "model/visit.h"

namespace istio_lint::analyzers {
namespace {

using model::VirtualService;

std::vector<uint32_t> portsOf(const model::Resource& r) {
  std::vector<uint32_t> out;
  if (r.kind == Kind::ServiceEntry) {
    for (const model::ServicePort& p : static_cast<const model::ServiceEntry&>(r).ports) out.push_back(p.number);
  } else {
    for (const model::KubeServicePort& p : static_cast<const model::Service&>(r).ports) out.push_back(p.port);
  }
  return out;
}

/// An HTTP route destination with a subset, to a host its own VirtualService declares.
struct SubsetRoute {
  const VirtualService* vs;
  const model::Destination* dest;
};

class DestinationHostAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "virtualservice.DestinationHostAnalyzer",
        "Checks the destination hosts associated with each virtual service",
        {Kind::ServiceEntry, Kind::VirtualService, Kind::Service},
        {Code::IST0101, Code::IST0112, Code::IST0140}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    const std::vector<const VirtualService*> all = g.typed<VirtualService>(Kind::VirtualService);
    for (const VirtualService* vs : all) {
      model::forEachDestination(*vs, [&](const model::Destination& d, model::DestinationRole role) {
        check(ctx, *vs, d, role);
      });
    }
    checkIngressSubsets(ctx, all);
  }

 private:
  static void check(Context& ctx, const VirtualService& vs, const model::Destination& d,
                    model::DestinationRole role) {
    const model::MeshGraph& g = ctx.graph();
    std::string fqdn = model::host::toFqdn(d.host.value, vs.ns(), g.domainSuffix());
    const model::Resource* target = lookupServiceHost(g, vs.ns(), vs.export_to, fqdn);
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

  /// True when the VirtualService is bound to a gateway other than `mesh`.
  static bool boundToGateway(const VirtualService& vs) {
    return std::any_of(vs.gateways.begin(), vs.gateways.end(), [](const model::Str& gw) { return gw.value != "mesh"; });
  }

  /// IST0140. A VirtualService that splits traffic to its own host by subset (reviews -> v1/v2)
  /// applies to requests sent to that host by sidecars. A gateway-bound VirtualService that routes
  /// to the same host without a subset sends ingress requests straight to the host's endpoints,
  /// so the subset routing has no effect on them. Hosts are compared as FQDNs, each expanded in
  /// its own VirtualService's namespace.
  static void checkIngressSubsets(Context& ctx, const std::vector<const VirtualService*>& all) {
    const std::string domain = ctx.graph().domainSuffix();
    std::unordered_map<std::string, std::vector<SubsetRoute>> by_host;  // looked up, never iterated
    for (const VirtualService* vs : all) {
      std::vector<std::string> own;
      for (const model::Str& h : vs->hosts) own.push_back(model::host::toFqdn(h.value, vs->ns(), domain));
      for (const model::HttpRoute& h : vs->http) {
        for (const model::RouteDestination& rd : h.route) {
          const model::Destination& d = rd.destination;
          if (d.subset.empty()) continue;
          std::string fqdn = model::host::toFqdn(d.host.value, vs->ns(), domain);
          if (std::find(own.begin(), own.end(), fqdn) == own.end()) continue;
          auto& list = by_host[fqdn];
          if (list.empty() || list.back().vs != vs) list.push_back({vs, &d});
        }
      }
    }
    if (by_host.empty()) return;
    for (const VirtualService* vs : all) {
      if (!boundToGateway(*vs)) continue;
      for (const model::HttpRoute& h : vs->http) {
        for (const model::RouteDestination& rd : h.route) {
          const model::Destination& d = rd.destination;
          if (!d.subset.empty()) continue;
          auto it = by_host.find(model::host::toFqdn(d.host.value, vs->ns(), domain));
          if (it == by_host.end()) continue;
          for (const SubsetRoute& s : it->second) {
            rules::Finding& f = ctx.report(Code::IST0140, *vs, d.host.span, s.vs->qualifiedName(), vs->qualifiedName());
            f.notes.push_back({"VirtualService " + s.vs->qualifiedName() + " routes " + s.dest->host.value +
                                   " to subset " + s.dest->subset.value +
                                   " here; ingress requests skip it. Route to a subset in this VirtualService too",
                               s.dest->subset.span});
          }
        }
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeVirtualServiceDestinationHostAnalyzer() { return std::make_unique<DestinationHostAnalyzer>(); }

}  // namespace istio_lint::analyzers
