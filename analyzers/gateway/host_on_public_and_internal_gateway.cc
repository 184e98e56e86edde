// gateway.HostOnPublicAndInternalGatewayAnalyzer: one host served both by a public gateway and by
// an internal one (server hosts, and the hosts of VirtualServices bound to each).

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "analyzers/analyzer.h"
#include "analyzers/gateway/exposure.h"
#include "analyzers/gateway/workloads.h"
#include "analyzers/registry_entries.h"
#include "model/ascii.h"
#include "model/host.h"

namespace istio_lint::analyzers {
namespace {

using model::Gateway;

struct Serving {
  const Gateway* gateway;
  const model::Resource* owner;  // the Gateway, or the VirtualService naming the host
  const model::Str* at;
};

class HostOnPublicAndInternalGatewayAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.HostOnPublicAndInternalGatewayAnalyzer",
        "Checks that a host is not served by both a public and an internal gateway",
        {Kind::Gateway, Kind::VirtualService, Kind::Service, Kind::Pod, Kind::Deployment, Kind::StatefulSet,
         Kind::IstioOperator},
        {Code::IL1002}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    // host -> where public / internal gateways serve it. A `*` server host says nothing about
    // which names a gateway serves; its VirtualServices do.
    std::map<std::string, std::vector<Serving>> pub, internal;
    for (const Gateway* gw : g.typed<Gateway>(Kind::Gateway)) {
      model::Exposure side = gateway::sideOf(g, *gw).exposure;
      if (side != model::Exposure::Public && side != model::Exposure::Internal) continue;
      auto& into = side == model::Exposure::Public ? pub : internal;
      std::vector<std::string_view> server_hosts;
      for (const model::GatewayServer& server : gw->servers) {
        for (const model::Str& h : server.hosts) {
          std::string_view host = gateway::bareHost(h.value);
          server_hosts.push_back(host);
          if (host != "*") into[model::asciiLower(host)].push_back({gw, gw, &h});
        }
      }
      for (const model::VirtualService* vs : g.virtualServicesOf(*gw)) {
        for (const model::Str& h : vs->hosts) {
          bool accepted = std::any_of(server_hosts.begin(), server_hosts.end(),
                                      [&](std::string_view s) { return model::host::subsetOf(h.value, s); });
          if (accepted && h.value != "*") into[model::asciiLower(h.value)].push_back({gw, vs, &h});
        }
      }
    }
    for (const auto& [host, public_sites] : pub) {
      auto it = internal.find(host);
      if (it == internal.end()) continue;
      std::set<std::string> internal_names;
      for (const Serving& s : it->second) internal_names.insert(s.gateway->qualifiedName());
      std::string internal_list;
      for (const std::string& n : internal_names) internal_list += (internal_list.empty() ? "" : ", ") + n;
      std::set<const model::Str*> reported;
      for (const Serving& s : public_sites) {
        if (!reported.insert(s.at).second) continue;
        rules::Finding& f = ctx.report(Code::IL1002, *s.owner, s.at->span, s.at->value, s.gateway->qualifiedName(),
                                       internal_list);
        for (const Serving& i : it->second) {
          if (i.at != s.at) {
            f.notes.push_back({"served by internal gateway " + i.gateway->qualifiedName() + " here", i.at->span});
          }
        }
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeGatewayHostOnPublicAndInternalGatewayAnalyzer() {
  return std::make_unique<HostOnPublicAndInternalGatewayAnalyzer>();
}

}  // namespace istio_lint::analyzers
