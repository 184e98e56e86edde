#include "simulate/routing_model.h"

#include <set>

#include "simulate/builders.h"

namespace istio_lint::simulate {
namespace {

using model::labelsSubset;

std::string key(std::string_view ns, std::string_view name) {
  std::string k(ns);
  k += '/';
  k += name;
  return k;
}

}  // namespace

class ModelBuilder {
 public:
  static std::unique_ptr<RoutingModel> build(const model::MeshGraph& g, const ModelOptions& o) {
    std::unique_ptr<RoutingModel> m(new RoutingModel());
    m->graph_ = &g;
    m->registry_ = std::make_unique<Registry>(g);
    m->short_domain_ = o.short_name_domain.value_or(g.domainSuffix());
    m->ingress_ = std::make_unique<IngressConfig>(translateIngresses(g));
    BuildContext ctx(g, *m->registry_, m->short_domain_, m->ingress_.get());
    if (o.sidecar_ports) ctx.sidecar_ports.emplace(o.sidecar_ports->begin(), o.sidecar_ports->end());
    if (o.sidecar_hosts) ctx.setSidecarHosts(*o.sidecar_hosts);
    ctx.sidecar_ingress_tls = o.sidecar_ingress_tls;

    // Gateway workloads: every workload some Gateway selects; Gateways selecting none get a
    // proxy with their selector's labels.
    std::set<const model::Workload*> gateway_workloads;
    std::set<std::string> wanted_gateways;
    if (o.gateways) wanted_gateways.insert(o.gateways->begin(), o.gateways->end());
    for (const model::Gateway* gw : ctx.gateways()) {
      std::string gname = key(gw->ns(), gw->name());
      if (o.gateways && wanted_gateways.count(gname) == 0) {
        // Not compiled, but its workloads are still gateways, not sidecars.
        if (!gw->selector.empty()) {
          for (const model::Workload* w : g.workloads().select(gw->selector)) gateway_workloads.insert(w);
        }
        continue;
      }
      std::vector<const model::Workload*> sel =
          gw->selector.empty() ? std::vector<const model::Workload*>{} : g.workloads().select(gw->selector);
      const Proxy* first = nullptr;
      for (const model::Workload* w : sel) {
        std::string name = key(w->ns(), w->name());
        const Proxy* p = m->proxy(name);
        if (p == nullptr) {
          ProxyIdentity id{ProxyIdentity::Type::Gateway, name, w->ns(), w->ns(), w->pod_labels, w, {}};
          p = add(*m, ctx, std::move(id));
        }
        gateway_workloads.insert(w);
        if (first == nullptr) first = p;
      }
      if (first == nullptr) {
        std::string name = gname;
        ProxyIdentity id{ProxyIdentity::Type::Gateway, name, gw->ns(), gw->ns(), gw->selector, gw, {}};
        first = add(*m, ctx, std::move(id));
      }
      m->by_gateway_.emplace(gname, first);
    }
    for (const ProxyIdentity& id : o.extra) add(*m, ctx, id);
    // Sidecars.
    std::set<std::string> wanted;
    if (o.sidecars) wanted.insert(o.sidecars->begin(), o.sidecars->end());
    for (const model::Workload* w : g.workloads().all()) {
      if (gateway_workloads.count(w) != 0) continue;
      std::string name = key(w->ns(), w->name());
      if (o.sidecars && wanted.count(name) == 0) continue;
      if (m->proxy(name) != nullptr) continue;
      add(*m, ctx, ProxyIdentity{ProxyIdentity::Type::Sidecar, name, w->ns(), w->ns(), w->pod_labels, w, {}});
    }
    link(*m);
    return m;
  }

 private:
  static const Proxy* add(RoutingModel& m, const BuildContext& ctx, ProxyIdentity id) {
    auto p = std::make_unique<Proxy>();
    p->id = std::move(id);
    // The mesh-wide proxy metadata (defaultConfig.proxyMetadata) switches DNS auto-allocation on
    // for every proxy of the inputs.
    const auto& md = ctx.graph.meshConfig().proxy_metadata;
    auto on = [&](const char* k) {
      auto it = md.find(k);
      return it != md.end() && it->second == "true";
    };
    if (p->id.workload != nullptr && on("ISTIO_META_DNS_CAPTURE") && on("ISTIO_META_DNS_AUTO_ALLOCATE")) {
      p->id.dns_auto_allocate = true;
    }
    if (p->id.config_ns.empty()) p->id.config_ns = p->id.ns;
    if (p->id.type == ProxyIdentity::Type::Gateway) {
      buildGatewayProxy(ctx, *p);
    } else {
      buildSidecarProxy(ctx, *p);
    }
    for (Listener& l : p->listeners) l.index();
    const Proxy* raw = p.get();
    m.by_name_.emplace(p->id.name, raw);
    m.proxies_.push_back(std::move(p));
    return raw;
  }

  /// A cluster whose Service selects a gateway proxy continues there (sidecar -> egress gateway).
  static void link(RoutingModel& m) {
    std::vector<Proxy*> gateways;
    for (auto& p : m.proxies_) {
      if (p->id.type == ProxyIdentity::Type::Gateway) gateways.push_back(p.get());
    }
    for (auto& p : m.proxies_) {
      for (auto& [name, c] : p->clusters) {
        if (c->service == nullptr || c->service->kind != model::Kind::Service) continue;
        const auto& svc = static_cast<const model::Service&>(*c->service);
        if (!svc.selector || svc.selector->empty()) continue;
        for (Proxy* gw : gateways) {
          if (gw == p.get() || gw->id.ns != svc.ns() || !labelsSubset(*svc.selector, gw->id.labels)) continue;
          c->next_proxy = gw;
          c->next_port = endpointPort(c->service, c->port, dynamic_cast<const model::Workload*>(gw->id.workload));
          break;
        }
      }
    }
  }
};

std::unique_ptr<RoutingModel> RoutingModel::build(const model::MeshGraph& graph, const ModelOptions& options) {
  return ModelBuilder::build(graph, options);
}

const Proxy* RoutingModel::gatewayProxy(std::string_view ns, std::string_view gateway) const {
  auto it = by_gateway_.find(key(ns, gateway));
  return it == by_gateway_.end() ? nullptr : it->second;
}

const Proxy* RoutingModel::sidecarProxy(std::string_view ns, std::string_view workload) const {
  const Proxy* p = proxy(key(ns, workload));
  return p != nullptr && p->id.type == ProxyIdentity::Type::Sidecar ? p : nullptr;
}

const Proxy* RoutingModel::proxy(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? nullptr : it->second;
}

}  // namespace istio_lint::simulate
