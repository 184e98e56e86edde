// ingress.TlsHostConflictAnalyzer: two Ingresses Istio serves declaring TLS for one host, where
// the HTTPS server istiod keeps for the host is not on the Gateway its routes are bound to, so
// every HTTPS request for the host gets 404 (IL1011; istio#24385). Proven on the routing model of
// simulate: the route config of the kept server has no virtual host for the host.

#include <map>
#include <string>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "model/istio_ingress.h"
#include "model/resources/ingress.h"
#include "simulate/route_config.h"
#include "model/host.h"
#include "simulate/routing_model.h"

namespace istio_lint::analyzers {
namespace {

using model::Ingress;

class TlsHostConflictAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "ingress.TlsHostConflictAnalyzer",
        "Checks that HTTPS for each host of the Ingresses served by Istio reaches the host's routes",
        {Kind::Ingress, Kind::IngressClass, Kind::MeshConfig, Kind::ConfigMap, Kind::Service, Kind::Gateway,
         Kind::Pod, Kind::Deployment},
        {Code::IL1011}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    simulate::ModelOptions mo;
    mo.gateways.emplace();
    mo.sidecars = std::vector<std::string>{};
    bool any_tls = false;
    for (const Ingress* ing : g.typed<Ingress>(Kind::Ingress)) {
      if (!model::servedByIstio(*ing, g)) continue;
      mo.gateways->push_back(std::string(simulate::kIngressNamespace) + "/" +
                             simulate::ingressGatewayName(ing->ns(), ing->name()));
      for (const model::IngressTls& t : ing->tls) any_tls = any_tls || !t.secret_name.empty();
    }
    if (!any_tls) return;
    std::unique_ptr<simulate::RoutingModel> model = simulate::RoutingModel::build(g, mo);
    // The Ingress whose Gateway each host's routes are bound to.
    std::map<std::string, const Ingress*> owner;
    for (const auto& generated : model->ingress().virtual_services) {
      owner.emplace(generated.virtual_service->hosts.front().value, generated.ingress);
    }
    for (const auto& [ing, gw] : model->ingress().gateways) {
      const simulate::Proxy* proxy = model->gatewayProxy(gw->ns(), gw->name());
      if (proxy == nullptr) continue;
      for (const model::GatewayServer& server : gw->servers) {
        if (!server.tls) continue;  // the HTTPS servers, one per tls entry with a secret
        // The route config istiod names after this server; absent when another server kept the
        // hosts.
        const std::string rds = simulate::httpsRouteConfigName(*gw, server);
        const simulate::RouteConfig* rc = nullptr;
        for (const simulate::RouteConfig& c : proxy->route_configs) {
          if (c.name == rds) rc = &c;
        }
        if (rc == nullptr) continue;
        for (const model::Str& h : server.hosts) {
          auto o = owner.find(h.value);
          if (o == owner.end() || o->second == ing) continue;  // no rules for the host, or its own
          if (servesHost(*rc, h.value)) continue;
          const std::string other = o->second->ns() + "/" + o->second->name();
          ctx.report(Code::IL1011, *ing, h.span.known() ? h.span : server.span, h.value,
                     server.tls->credential_name.value, other, h.value,
                     "Declare the host's tls entry and its rules in one Ingress (" + other +
                         "), or give each Ingress its own host");
        }
      }
    }
  }

 private:
  /// Some virtual host of the route config serves (part of) `host`.
  static bool servesHost(const simulate::RouteConfig& rc, const std::string& host) {
    for (const simulate::VirtualHost& v : rc.vhosts) {
      for (const std::string& d : v.domains) {
        if (d != "*" && model::host::subsetOf(d, host)) return true;
      }
    }
    return false;
  }
};

}  // namespace

AnalyzerPtr makeIngressTlsHostConflictAnalyzer() { return std::make_unique<TlsHostConflictAnalyzer>(); }

}  // namespace istio_lint::analyzers
