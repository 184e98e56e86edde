// The egress side of the routing model, built once per graph: which gateway workloads are egress
// gateways, which gateway-side rules send which hosts out of the mesh, which hosts are meant to
// leave through an egress gateway, and the sidecar scopes to trace them from.

#include "analyzers/egress_paths.h"

#include <algorithm>
#include <map>
#include <set>

#include "model/host.h"

namespace istio_lint::analyzers::egress {
namespace {

using simulate::Cluster;
using simulate::FilterChain;
using simulate::Proxy;
using simulate::ProxyIdentity;

simulate::Request toRequest(const Probe& p) {
  simulate::Request r;
  r.port = p.port;
  switch (p.scheme) {
    case Scheme::Http:
      r.host = p.host;
      break;
    case Scheme::Https:
      r.host = p.host;
      r.sni = p.host;
      r.tls = simulate::TlsMode::Tls;
      break;
    case Scheme::Tls:
      r.host = p.host;
      r.sni = p.host;
      r.protocol = simulate::Protocol::Tcp;
      r.tls = simulate::TlsMode::Tls;
      break;
    case Scheme::Tcp:
      r.host = p.host;
      r.protocol = simulate::Protocol::Tcp;
      break;
  }
  return r;
}

Scheme schemeOf(simulate::PortProtocol p, uint32_t port) {
  switch (p) {
    case simulate::PortProtocol::Http:
    case simulate::PortProtocol::Http2:
    case simulate::PortProtocol::Grpc:
      return Scheme::Http;
    case simulate::PortProtocol::Https:
    case simulate::PortProtocol::Tls:
      return Scheme::Tls;
    case simulate::PortProtocol::Tcp:
      return Scheme::Tcp;
    case simulate::PortProtocol::Auto:
      break;
  }
  return port == 443 ? Scheme::Tls : Scheme::Http;
}

/// The hosts the egress rules trace from sidecars (ModelOptions::sidecar_hosts): ServiceEntry
/// hosts, the hosts of VirtualServices bound to a candidate egress Gateway or to the name of an
/// egress gateway workload that no Gateway resource has, and the unregistered host IL2003 probes
/// with.
std::vector<std::string> tracedHosts(const model::MeshGraph& g, const EgressCandidates& cand) {
  std::set<std::string> out{std::string(kUnregisteredProbeHost)};
  for (const model::Resource* r : g.ofKind(model::Kind::ServiceEntry)) {
    const auto& se = static_cast<const model::ServiceEntry&>(*r);
    if (se.location.value == "MESH_INTERNAL") continue;
    for (const model::Str& h : se.hosts) out.insert(h.value);
  }
  auto addVs = [&](const model::VirtualService& vs) {
    for (const model::Str& h : vs.hosts) {
      if (isExternalHost(g, h.value)) out.insert(h.value);
    }
    for (const model::L4Route& r : vs.tls) {
      for (const model::L4Match& m : r.match) {
        for (const model::Str& sni : m.sni_hosts) out.insert(sni.value);
      }
    }
  };
  for (const std::string& name : cand.gateways) {
    size_t slash = name.find('/');
    const auto* gw = static_cast<const model::Gateway*>(g.find(model::Kind::Gateway, name.substr(0, slash), name.substr(slash + 1)));
    if (gw == nullptr) continue;
    for (const model::VirtualService* vs : g.virtualServicesOf(*gw)) addVs(*vs);
  }
  // Gateway names that resolve to no Gateway but name an egress gateway workload (the seed's
  // `gateways: ["mesh", "egress-fixed"]`).
  std::set<std::string> workload_names;
  for (const model::GatewayWorkload* w : cand.egress_workloads) {
    for (std::string& n : workloadNames(*w)) workload_names.insert(std::move(n));
  }
  if (!workload_names.empty()) {
    for (const model::Resource* r : g.ofKind(model::Kind::VirtualService)) {
      const auto& vs = static_cast<const model::VirtualService&>(*r);
      for (const model::BoundGateway& b : g.gatewaysOf(vs)) {
        if (!b.ref.mesh && b.gateway == nullptr && workload_names.count(b.ref.name) != 0) {
          addVs(vs);
          break;
        }
      }
    }
  }
  return std::vector<std::string>(out.begin(), out.end());
}

}  // namespace

std::string concreteHost(std::string_view host) {
  if (host == "*") return {};
  if (model::host::isWildcard(host)) return "egress-probe" + std::string(host.substr(1));
  return std::string(host);
}

std::string_view schemeName(Scheme s) {
  switch (s) {
    case Scheme::Http: return "http";
    case Scheme::Https: return "https";
    case Scheme::Tls: return "tls";
    case Scheme::Tcp: return "tcp";
  }
  return "tcp";
}

std::string Probe::describe() const {
  return pattern + ":" + std::to_string(port) + " (" + std::string(schemeName(scheme)) + ")";
}

std::string EgressGateway::label() const {
  if (!gateways.empty()) return "Gateway " + (gateways.front())->qualifiedName();
  return "egress gateway workload " + name;
}

const model::Resource& EgressGateway::owner() const {
  if (!gateways.empty()) return *gateways.front();
  return workload->owner();
}

model::Span EgressGateway::span() const {
  if (!gateways.empty()) {
    const model::Gateway& g = *gateways.front();
    return g.meta.name.span.known() ? g.meta.name.span : g.span;
  }
  return workload->span();
}

std::string Source::describe(size_t max_names) const {
  if (workloads.empty()) return "a sidecar in namespace " + ns + " (the inputs hold no workload)";
  std::string out;
  size_t n = std::min(max_names, workloads.size());
  for (size_t i = 0; i < n; ++i) out += (i ? ", " : "") + workloads[i]->qualifiedName();
  if (workloads.size() > n) out += " and " + std::to_string(workloads.size() - n) + " more";
  return out;
}

std::string describeSources(const std::vector<const Source*>& sources) {
  std::vector<const model::Workload*> workloads;
  std::set<std::string> namespaces;
  for (const Source* s : sources) {
    workloads.insert(workloads.end(), s->workloads.begin(), s->workloads.end());
    namespaces.insert(s->ns);
  }
  if (workloads.empty()) {
    std::string out;
    for (size_t i = 0; i < sources.size(); ++i) out += (i ? "; " : "") + sources[i]->describe();
    return out;
  }
  std::string names;
  for (size_t i = 0; i < workloads.size() && i < 3; ++i) names += (i ? ", " : "") + workloads[i]->qualifiedName();
  if (workloads.size() == 1) return "the sidecar of " + names;
  if (workloads.size() <= 3) return "the sidecars of " + names;
  return "the sidecars of " + std::to_string(workloads.size()) + " workloads in " + std::to_string(namespaces.size()) +
         (namespaces.size() == 1 ? " namespace (" : " namespaces (") + names + ", ...)";
}

EgressPaths::EgressPaths(const model::MeshGraph& g) : graph_(&g) {
  const EgressCandidates& cand = g.derived<EgressCandidates>();
  // Namespaces to trace from when the inputs hold no workload: those of VirtualServices that
  // route an external host for the sidecars.
  std::vector<std::string> fallback;
  for (const model::Resource* r : g.ofKind(model::Kind::VirtualService)) {
    const auto& vs = static_cast<const model::VirtualService&>(*r);
    if (!boundToMesh(g, vs)) continue;
    for (const model::Str& h : vs.hosts) {
      if (isExternalHost(g, h.value)) {
        fallback.push_back(vs.ns());
        break;
      }
    }
  }
  SourcePlan plan = planSources(g, fallback);

  simulate::ModelOptions mo;
  mo.gateways = cand.gateways;
  mo.sidecars = std::vector<std::string>{};
  for (const SourcePlan::Group& grp : plan.groups) {
    if (grp.workloads.empty()) {
      mo.extra.push_back(ProxyIdentity{ProxyIdentity::Type::Sidecar, grp.proxy, grp.ns, grp.ns, {}, nullptr, {}});
    } else {
      mo.sidecars->push_back(grp.proxy);
    }
  }
  // Sidecars only need the ports workloads call external hosts on: those of ServiceEntries, and
  // 80 / 443 for hosts no ServiceEntry declares.
  std::set<uint32_t> ports{80, 443};
  for (const model::Resource* r : g.ofKind(model::Kind::ServiceEntry)) {
    for (const model::ServicePort& p : static_cast<const model::ServiceEntry&>(*r).ports) ports.insert(p.number);
  }
  mo.sidecar_ports = std::vector<uint32_t>(ports.begin(), ports.end());
  mo.sidecar_hosts = tracedHosts(g, cand);
  model_ = simulate::RoutingModel::build(g, mo);

  for (SourcePlan::Group& grp : plan.groups) {
    const Proxy* p = model_->proxy(grp.proxy);
    if (p == nullptr || p->id.type != ProxyIdentity::Type::Sidecar) continue;
    sources_.push_back(Source{p, grp.ns, std::move(grp.workloads)});
  }
  findGateways(cand);
  findIntendedHosts();
}

void EgressPaths::findGateways(const EgressCandidates& cand) {
  const model::MeshGraph& g = *graph_;
  const model::GatewayInventory& inv = g.gatewayInventory();
  std::map<std::string, std::unique_ptr<EgressGateway>> by_name;
  for (const auto& p : model_->proxies()) {
    if (p->id.type != ProxyIdentity::Type::Gateway) continue;
    auto gw = std::make_unique<EgressGateway>();
    gw->name = p->id.name;
    gw->proxy = p.get();
    if (const auto* w = dynamic_cast<const model::Workload*>(p->id.workload)) gw->workload = inv.find(*w);
    for (const model::Resource* r : p->gateways) gw->gateways.push_back(static_cast<const model::Gateway*>(r));
    by_name.emplace(gw->name, std::move(gw));
  }
  for (const model::GatewayWorkload* w : cand.egress_workloads) {
    auto [it, fresh] = by_name.try_emplace(w->name());
    if (!fresh) continue;
    it->second = std::make_unique<EgressGateway>();
    it->second->name = w->name();
    it->second->workload = w;
  }
  for (auto& [name, gw] : by_name) {
    size_t before = routes_.size();
    if (gw->proxy != nullptr) findRoutes(*gw);
    bool routes = routes_.size() > before;
    bool egress = routes || (gw->workload != nullptr && gw->workload->egress && gw->workload->declared());
    if (!egress) {
      routes_.resize(before);
      continue;
    }
    gw->in_use = routes;
    for (const model::Gateway* r : gw->gateways) gw->in_use = gw->in_use || !g.virtualServicesOf(*r).empty();
    gateways_.push_back(std::move(gw));
  }
  // An egress gateway workload no Gateway resource selects is in use when a VirtualService names it
  // as if it were one (the gateway reference then resolves to nothing).
  std::map<std::string, EgressGateway*> by_ref;
  for (const auto& gw : gateways_) {
    if (gw->workload == nullptr || !gw->gateways.empty()) continue;
    for (const std::string& n : workloadNames(*gw->workload)) by_ref.emplace(n, gw.get());
  }
  if (by_ref.empty()) return;
  for (const model::Resource* r : g.ofKind(model::Kind::VirtualService)) {
    for (const model::BoundGateway& b : g.gatewaysOf(static_cast<const model::VirtualService&>(*r))) {
      if (b.ref.mesh || b.gateway != nullptr) continue;
      if (auto it = by_ref.find(b.ref.name); it != by_ref.end()) it->second->in_use = true;
    }
  }
}

void EgressPaths::findRoutes(const EgressGateway& gw) {
  const Proxy& p = *gw.proxy;
  std::set<std::tuple<std::string, uint32_t, uint32_t, uint32_t, std::string>> seen;
  auto consider = [&](std::string served, const Cluster* c, const model::VirtualService* vs, model::Span rule,
                      model::Span dest, Scheme scheme, uint32_t port) {
    if (c == nullptr || vs == nullptr) return;
    bool missing = c->kind == Cluster::Kind::Missing && isExternalHost(*graph_, c->host);
    if (!c->mesh_external && !missing) return;
    if (served.empty()) served = c->host;
    // An egress gateway forwards a host to that same host; a gateway that serves one name and
    // forwards to another external host is an ingress proxying it.
    if (!model::host::matches(served, c->host)) return;
    if (!seen.emplace(served, dest.file, dest.line, dest.col, c->name).second) return;
    EgressRoute r;
    r.gateway = &gw;
    r.host = served;
    r.scheme = scheme;
    r.listener_port = port;
    r.cluster = c;
    r.vs = vs;
    r.rule_span = rule;
    r.destination_span = dest;
    if (c->mesh_external) {
      Probe probe{concreteHost(served), served, port, scheme};
      if (!probe.host.empty()) {
        simulate::Trace t = simulate::traceRequest(*model_, p, toRequest(probe));
        r.leaves = t.exit_kind == "egress-gateway" && t.exit_gateway == gw.name;
      }
    }
    routes_.push_back(std::move(r));
  };
  for (const simulate::Listener& l : p.listeners) {
    for (const FilterChain& c : l.chains) {
      if (c.route_config != nullptr) {
        Scheme scheme = c.termination == FilterChain::Termination::None ? Scheme::Http : Scheme::Https;
        for (const simulate::VirtualHost& v : c.route_config->vhosts) {
          for (const std::string& domain : v.domains) {
            if (domain == "*" || domain.find(':') != std::string::npos) continue;
            for (const simulate::Route& rt : v.routes) {
              for (const simulate::WeightedCluster& t : rt.targets) {
                consider(domain, t.cluster, rt.vs, rt.span, t.source ? t.source->destination.host.span : rt.span, scheme,
                         l.port);
              }
            }
          }
        }
        continue;
      }
      Scheme scheme = c.transport == FilterChain::Transport::Tls && c.termination == FilterChain::Termination::None
                          ? Scheme::Tls
                          : c.termination != FilterChain::Termination::None ? Scheme::Https
                                                                            : Scheme::Tcp;
      std::vector<std::string> names = c.server_names;
      if (names.empty()) names.push_back({});
      for (const std::string& n : names) {
        for (const simulate::WeightedCluster& t : c.tcp) {
          consider(n, t.cluster, c.vs, c.span, t.source ? t.source->destination.host.span : c.span, scheme, l.port);
        }
      }
    }
  }
}

void EgressPaths::findIntendedHosts() {
  const model::MeshGraph& g = *graph_;
  std::set<std::pair<std::string, const EgressGateway*>> seen;
  for (const EgressRoute& r : routes_) {
    if (!seen.emplace(r.host, r.gateway).second) continue;
    IntendedHost h;
    h.host = r.host;
    h.gateway = r.gateway;
    h.vs = r.vs;
    h.span = r.rule_span;
    h.gateway_route = true;
    Probe fallback{concreteHost(r.host), r.host, 443, Scheme::Tls};
    if (r.scheme == Scheme::Http) fallback = {fallback.host, r.host, 80, Scheme::Http};
    if (r.scheme == Scheme::Tcp) fallback = {fallback.host, r.host, r.cluster->port, Scheme::Tcp};
    if (fallback.host.empty()) continue;
    h.probes = probes(r.host, fallback);
    intended_.push_back(std::move(h));
  }
  // VirtualServices bound to `mesh` and to an egress gateway: their external hosts are meant to
  // leave through that gateway, whatever the gateway side does with them.
  std::map<const model::Gateway*, const EgressGateway*> by_gateway;
  std::map<std::string, const EgressGateway*> by_ref;
  for (const auto& gw : gateways_) {
    for (const model::Gateway* r : gw->gateways) by_gateway.emplace(r, gw.get());
    if (gw->workload != nullptr && gw->gateways.empty()) {
      for (const std::string& n : workloadNames(*gw->workload)) by_ref.emplace(n, gw.get());
    }
  }
  for (const model::Resource* res : g.ofKind(model::Kind::VirtualService)) {
    const auto& vs = static_cast<const model::VirtualService&>(*res);
    if (!boundToMesh(g, vs)) continue;
    for (const model::BoundGateway& b : g.gatewaysOf(vs)) {
      if (b.ref.mesh || !b.top_level) continue;
      const EgressGateway* gw = nullptr;
      if (b.gateway != nullptr) {
        if (auto it = by_gateway.find(b.gateway); it != by_gateway.end()) gw = it->second;
      } else if (auto it = by_ref.find(b.ref.name); it != by_ref.end()) {
        gw = it->second;
      }
      if (gw == nullptr) continue;
      for (const model::Str& host : vs.hosts) {
        if (!isExternalHost(g, host.value) || !seen.emplace(host.value, gw).second) continue;
        IntendedHost h;
        h.host = host.value;
        h.gateway = gw;
        h.vs = &vs;
        h.span = b.at != nullptr ? b.at->span : vs.gateways_span;
        Probe fallback{concreteHost(host.value), host.value, 80, Scheme::Http};
        if (!vs.tls.empty()) fallback = {fallback.host, host.value, 443, Scheme::Tls};
        if (fallback.host.empty()) continue;
        h.probes = probes(host.value, fallback);
        intended_.push_back(std::move(h));
      }
    }
  }
}

const EgressGateway* EgressPaths::gatewayNamed(std::string_view proxy_name) const {
  for (const auto& gw : gateways_) {
    if (gw->name == proxy_name) return gw.get();
  }
  return nullptr;
}

std::vector<Probe> EgressPaths::probes(std::string_view host, const Probe& fallback) const {
  std::vector<Probe> out;
  if (const auto* list = model_->registry().byHost(host)) {
    for (const simulate::ServiceInfo* s : *list) {
      if (s->kube) continue;
      for (const simulate::ServicePortInfo& sp : s->ports) {
        if (std::any_of(out.begin(), out.end(), [&](const Probe& p) { return p.port == sp.number; })) continue;
        out.push_back(Probe{concreteHost(host), std::string(host), sp.number, schemeOf(sp.protocol, sp.number)});
      }
    }
  }
  if (out.empty()) out.push_back(fallback);
  std::erase_if(out, [](const Probe& p) { return p.host.empty() || p.port == 0; });
  return out;
}

simulate::Trace EgressPaths::trace(const Source& s, const Probe& p) const {
  return simulate::traceRequest(*model_, *s.proxy, toRequest(p));
}

std::string EgressPaths::describeCluster(const simulate::TraceHop& h) {
  const Cluster* c = h.final_cluster;
  if (c == nullptr) return h.cluster;
  if (c->kind == Cluster::Kind::Passthrough) return "PassthroughCluster (outboundTrafficPolicy ALLOW_ANY)";
  if (c->kind == Cluster::Kind::DynamicDns) return "AllowAnyDynamicDNSCluster (outboundTrafficPolicy ALLOW_ANY_DYNAMIC_DNS)";
  std::string s = c->name;
  if (c->service != nullptr) s += " (" + std::string(model::kindName(c->service->kind)) + " " + c->service->qualifiedName() + ")";
  return s;
}

std::string EgressPaths::describePath(const simulate::Trace& t) {
  if (t.hops.empty()) return "nowhere";
  const simulate::TraceHop& last = t.hops.back();
  if (t.exit_kind == "direct") return "directly from the workload, through " + describeCluster(last);
  if (t.exit_kind == "egress-gateway") return "through egress gateway " + t.exit_gateway;
  if (!last.error.empty()) return "nowhere: " + last.error + " at " + last.proxy_type + " " + last.proxy;
  if (!last.outcome.empty() && last.outcome != "forwarded") return "nowhere: " + last.outcome + " at " + last.proxy_type + " " + last.proxy;
  if (!last.split.empty()) return "into a weighted split at " + last.proxy_type + " " + last.proxy;
  if (last.final_cluster != nullptr) return "to " + describeCluster(last) + ", inside the mesh";
  return "nowhere";
}

}  // namespace istio_lint::analyzers::egress
