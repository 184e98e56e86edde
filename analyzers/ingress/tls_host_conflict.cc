// ingress.TlsHostConflictAnalyzer: two Ingresses Istio serves declaring TLS for one host. istiod
// keeps one HTTPS server per host (the Gateway that sorts first), so
// - when that server is not on the Gateway the host's routes are bound to, every HTTPS request
//   for the host gets 404 (IL1011; istio#24385), proven on the routing model of simulate: the
//   route config of the kept server has no virtual host for the host;
// - when the entries name different Secrets, the Secret of the dropped entry is never served for
//   the host (IL1014): the filter chain that takes the host's SNI on the gateway terminates TLS
//   with the other Secret.

#include <map>
#include <string>
#include <tuple>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "model/istio_ingress.h"
#include "model/resources/ingress.h"
#include "model/host.h"
#include "simulate/route_config.h"
#include "simulate/routing_model.h"

namespace istio_lint::analyzers {
namespace {

using model::Ingress;

class TlsHostConflictAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "ingress.TlsHostConflictAnalyzer",
        "Checks that HTTPS for each host of the Ingresses served by Istio reaches the host's routes with the Secret each names",
        {Kind::Ingress, Kind::IngressClass, Kind::MeshConfig, Kind::ConfigMap, Kind::Service, Kind::Gateway,
         Kind::Pod, Kind::Deployment},
        {Code::IL1011, Code::IL1014}};
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
    // Each generated HTTPS server by where it is written (its Ingress tls entry).
    TlsEntries tls_entries;
    for (const auto& [ing, gw] : model->ingress().gateways) {
      for (const model::GatewayServer& server : gw->servers) {
        if (server.tls) tls_entries.emplace(key(server.span), Entry{ing, &server});
      }
    }
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
        unservedSecret(ctx, *proxy, *ing, server, tls_entries);
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
  struct Entry {
    const Ingress* ingress;
    const model::GatewayServer* server;
  };
  using SpanKey = std::tuple<uint32_t, uint32_t, uint32_t>;
  using TlsEntries = std::map<SpanKey, Entry>;
  static SpanKey key(model::Span s) { return {s.file, s.line, s.col}; }

  /// IL1014: for each host of `server`, the chain that takes its SNI on the gateway's listeners;
  /// when that chain comes from another Ingress's tls entry with another Secret (the server lost
  /// the host to it), this entry's Secret is never served for the host.
  static void unservedSecret(Context& ctx, const simulate::Proxy& proxy, const Ingress& ing,
                             const model::GatewayServer& server, const TlsEntries& entries) {
    const std::string mine = "kubernetes://" + server.tls->credential_name.value;
    for (const model::Str& h : server.hosts) {
      if (h.value == "*") continue;
      for (const simulate::Listener& l : proxy.listeners) {
        simulate::Request r;
        r.host = h.value;
        r.sni = h.value;
        r.port = l.port;
        r.tls = simulate::TlsMode::Tls;
        const simulate::Decision d = simulate::decide(proxy, r);
        if (d.chain == nullptr || d.chain->tls_secret == mine) continue;
        auto other = entries.find(key(d.chain->span));
        if (other == entries.end() || other->second.ingress == &ing) continue;  // not an Ingress's entry
        const model::GatewayServer& winner = *other->second.server;
        const Ingress& by = *other->second.ingress;
        ctx.report(Code::IL1014, ing, server.tls->credential_name.span, server.tls->credential_name.value, h.value,
                   winner.tls->credential_name.value, by.ns() + "/" + by.name());
        break;
      }
    }
  }

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
