// The sidecar's scope: which services and VirtualServices the proxy imports (exportTo, Sidecar
// egress hosts), the outbound traffic policy, and the HTTP route config of each port
// (SIMULATE-SEMANTICS.md §4.4, §5.1, §7, §8). Listeners: sidecar_listeners.cc.

#include "simulate/sidecar_builder.h"

#include <algorithm>

#include "model/gateway_ref.h"
#include "model/host.h"

namespace istio_lint::simulate {

using model::labelsSubset;

void SidecarBuilder::build() {
  const model::Sidecar* sc = sidecarFor(ctx_, p_.id.ns, p_.id.labels);
  p_.sidecar = sc;
  if (sc != nullptr) {
    for (const auto& e : sc->egress) {
      for (const model::Str& h : e.hosts) {
        size_t slash = h.value.find('/');
        std::string ns = slash == std::string::npos ? "*" : h.value.substr(0, slash);
        if (ns == ".") ns = p_.id.ns;
        egress_.push_back({ns, slash == std::string::npos ? h.value : h.value.substr(slash + 1)});
      }
    }
  }
  p_.outbound_policy = ctx_.graph.meshConfig().outbound_traffic_policy;
  p_.outbound_policy_source = "mesh config (" + ctx_.graph.meshConfig().source + ")";
  p_.outbound_policy_span = ctx_.graph.meshConfig().span;
  if (sc != nullptr && !sc->outbound_traffic_policy.empty()) {
    p_.outbound_policy = sc->outbound_traffic_policy.value;
    p_.outbound_policy_source = "Sidecar " + sc->ns() + "/" + sc->name();
    p_.outbound_policy_span = sc->outbound_traffic_policy.span;
  }
  registry_only_ = p_.outbound_policy == "REGISTRY_ONLY";
  dynamic_dns_ = p_.outbound_policy == "ALLOW_ANY_DYNAMIC_DNS";
  importServices();
  findCatchAllServices();
  importVirtualServices();
  buildListeners();
}

bool SidecarBuilder::egressAllows(std::string_view ns, std::string_view host, bool bidirectional) const {
  if (p_.sidecar == nullptr || egress_.empty()) return true;
  for (const EgressHost& e : egress_) {
    if (e.ns != "*" && e.ns != ns) continue;
    if (e.host == "*" || e.host == host) return true;
    if (bidirectional ? hostMatches(host, e.host) : hostSubsetOf(host, e.host)) return true;
  }
  return false;
}

void SidecarBuilder::importServices() {
  std::unordered_set<std::string_view> seen;  // views of the registry's host strings
  seen.reserve(ctx_.registry.all().size());
  services_.reserve(ctx_.registry.all().size());
  for (const ServiceInfo& s : ctx_.registry.all()) {
    // ExternalName aliases get no listeners or clusters: their names join the concrete
    // service's virtual hosts (serviceDomains).
    if (s.isAlias()) continue;
    if (!s.visibleTo(p_.id.ns) || !egressAllows(s.ns, s.host, false)) continue;
    if (!seen.insert(s.host).second) continue;
    // One namespace per host: the proxy's own first, then a Service over a ServiceEntry.
    const ServiceInfo* chosen = &s;
    for (const ServiceInfo* o : *ctx_.registry.byHost(s.host)) {
      if (!o->visibleTo(p_.id.ns) || !egressAllows(o->ns, o->host, false)) continue;
      if (o->ns == p_.id.ns) {
        chosen = o;
        break;
      }
      if (o->kube && !chosen->kube) chosen = o;
    }
    services_.push_back(chosen);
  }
  imported_.reserve(services_.size());
  for (const ServiceInfo* s : services_) imported_[s->host] = s;
}

void SidecarBuilder::findCatchAllServices() {
  if (!ctx_.filtersHosts()) return;
  for (const ServiceInfo* s : services_) {
    if (ctx_.relevantService(*s)) continue;
    bool vip = std::any_of(s->addresses.begin(), s->addresses.end(),
                           [](const std::string& a) { return a.find('/') == std::string::npos; });
    if (vip) continue;
    for (const ServicePortInfo& sp : s->ports) {
      bool tls = sp.protocol == PortProtocol::Tls || sp.protocol == PortProtocol::Https;
      if (!isHttpFamily(sp.protocol) && !tls && (!ctx_.sidecar_ports || ctx_.sidecar_ports->count(sp.number) != 0)) {
        catch_all_.insert(s);
        break;
      }
    }
  }
}

void SidecarBuilder::importVirtualServices() {
  for (const model::VirtualService* vs : ctx_.virtualServices()) {
    if (!BuildContext::vsVisible(*vs, p_.id.ns)) continue;
    if (!ctx_.relevantVs(*vs)) {
      // Only tcp routes of a catch-all service still matter.
      bool needed = false;
      if (!vs->tcp.empty()) {
        for (const ServiceInfo* s : catch_all_) {
          for (const model::Str& h : vs->hosts) needed = needed || hostMatches(ctx_.resolve(h.value, vs->ns()), s->host);
        }
      }
      if (!needed) continue;
    }
    std::vector<std::string> gws = ctx_.vsGateways(*vs);
    if (std::find(gws.begin(), gws.end(), "mesh") == gws.end()) continue;
    bool ok = false;
    for (const model::Str& h : vs->hosts) ok = ok || egressAllows(vs->ns(), ctx_.resolve(h.value, vs->ns()), true);
    if (ok) vs_.push_back(vs);
  }
  for (const model::VirtualService* vs : vs_) {
    for (const model::Str& h : vs->hosts) {
      std::string r = ctx_.resolve(h.value, vs->ns());
      if (model::host::isWildcard(r)) wildcard_hosts_.push_back(r);
      else explicit_hosts_.insert(std::move(r));
    }
  }
}

std::vector<std::string> SidecarBuilder::serviceDomains(const ServiceInfo& s) const {
  std::vector<std::string> d;
  auto names = [&](const std::string& host, const std::string& ns, bool kube) {
    d.push_back(host);
    if (!kube) return;
    std::string name = host.substr(0, host.find('.'));
    if (ns == p_.id.ns) d.push_back(name);
    d.push_back(name + "." + ns);
    d.push_back(name + "." + ns + ".svc");
  };
  names(s.host, s.ns, s.kube);
  for (const ServiceInfo::Alias& a : s.aliases) {
    if (egressAllows(a.ns, a.host, false)) names(a.host, a.ns, true);
  }
  for (const std::string& a : s.addresses) {
    if (a.find('/') == std::string::npos) d.push_back(a);
  }
  if (s.addresses.empty() && p_.id.dns_auto_allocate && !s.auto_address.empty()) d.push_back(s.auto_address);
  return d;
}

void SidecarBuilder::addVhost(RouteConfig& rc, std::set<std::string>& used, std::string name, std::vector<std::string> domains,
                              std::vector<Route> routes, model::Span span) {
  std::erase_if(domains, [&](const std::string& d) { return used.count(d) != 0; });
  if (domains.empty()) return;
  for (const std::string& d : domains) used.insert(d);
  VirtualHost& v = rc.vhosts.emplace_back();
  v.name = std::move(name);
  v.domains = std::move(domains);
  v.routes = std::move(routes);
  v.span = span;
}

Route SidecarBuilder::defaultRoute(const ServiceInfo& s, uint32_t port) {
  Route r;
  r.name = "default";
  r.action = Route::Action::Cluster;
  r.targets.push_back({ctx_.cluster(p_, s.host, port, ""), 0, nullptr});
  r.span = s.resource->span;
  return r;
}

const RouteConfig* SidecarBuilder::httpRouteConfig(uint32_t port) {
  RouteConfig& rc = p_.route_configs.emplace_back();
  rc.name = std::to_string(port);
  std::set<std::string> used;
  std::set<const ServiceInfo*> claimed;
  for (const model::VirtualService* vs : vs_) {
    std::vector<std::string> hosts;
    bool matches_service = false;
    for (const model::Str& h : vs->hosts) {
      hosts.push_back(ctx_.resolve(h.value, vs->ns()));
      if (imported_.count(hosts.back()) != 0) {
        matches_service = true;
      } else if (model::host::isWildcard(hosts.back())) {
        for (const ServiceInfo* s : services_) matches_service = matches_service || hostMatches(hosts.back(), s->host);
      }
    }
    if (port != 80 && !matches_service) continue;
    if (ctx_.httpRoutes(p_, *vs, port, "mesh").empty()) continue;
    for (const std::string& h : hosts) {
      std::vector<const ServiceInfo*> targets;
      if (auto it = imported_.find(h); it != imported_.end()) {
        targets.push_back(it->second);
      } else if (model::host::isWildcard(h)) {
        for (const ServiceInfo* s : services_) {
          if (hostSubsetOf(s->host, h) && mostSpecificWildcard(s->host) == h && !explicitVsHost(s->host)) {
            targets.push_back(s);
          }
        }
      }
      if (targets.empty()) {
        if (imported_.count(h) == 0 && (port == 80 || model::host::isWildcard(h))) {
          addVhost(rc, used, h + ":" + std::to_string(port), {h}, ctx_.httpRoutes(p_, *vs, port, "mesh"),
                   vs->hosts_span.known() ? vs->hosts_span : vs->span);
        }
        continue;
      }
      for (const ServiceInfo* s : targets) {
        if (s->port(port) == nullptr || !httpish(*s->port(port))) continue;
        claimed.insert(s);
        addVhost(rc, used, s->host + ":" + std::to_string(port), serviceDomains(*s),
                 ctx_.httpRoutes(p_, *vs, port, "mesh"), vs->hosts_span.known() ? vs->hosts_span : vs->span);
      }
    }
  }
  for (const ServiceInfo* s : services_) {
    const ServicePortInfo* sp = s->port(port);
    if (sp == nullptr || !httpish(*sp) || claimed.count(s) != 0 || !ctx_.relevantService(*s)) continue;
    std::vector<Route> routes;
    routes.push_back(defaultRoute(*s, port));
    addVhost(rc, used, s->host + ":" + std::to_string(port), serviceDomains(*s), std::move(routes), s->resource->span);
  }
  VirtualHost& v = rc.vhosts.emplace_back();
  v.domains = {"*"};
  v.span = p_.outbound_policy_span;
  Route r;
  r.name = registry_only_ ? "block_all" : "allow_any";
  r.span = p_.outbound_policy_span;
  if (registry_only_) {
    v.name = "block_all";
    r.action = Route::Action::DirectResponse;
    r.direct_status = 502;
  } else if (dynamic_dns_) {
    v.name = "allow_any_dynamic_dns";
    r.name = "allow_any_dynamic_dns";
    r.action = Route::Action::Cluster;
    r.targets.push_back({ctx_.special(p_, Cluster::Kind::DynamicDns), 0, nullptr});
  } else {
    v.name = "allow_any";
    r.action = Route::Action::Cluster;
    r.targets.push_back({ctx_.special(p_, Cluster::Kind::Passthrough), 0, nullptr});
  }
  v.routes.push_back(std::move(r));
  for (VirtualHost& vh : rc.vhosts) {
    std::stable_partition(vh.routes.begin(), vh.routes.end(), [](const Route& x) { return !x.match.catch_all; });
  }
  rc.index();
  return &rc;
}

std::string SidecarBuilder::mostSpecificWildcard(const std::string& host) const {
  std::string best;
  for (const std::string& r : wildcard_hosts_) {
    if (hostSubsetOf(host, r) && r.size() > best.size()) best = r;
  }
  return best;
}

const model::Sidecar* sidecarFor(const BuildContext& ctx, std::string_view ns, const model::Labels& labels) {
  const model::Sidecar* ns_wide = nullptr;
  const model::Sidecar* root = nullptr;
  for (const model::Sidecar* sc : ctx.graph.typed<model::Sidecar>(model::Kind::Sidecar)) {
    if (sc->ns() == ns) {
      if (sc->workload_selector && !sc->workload_selector->empty()) {
        if (labelsSubset(*sc->workload_selector, labels)) return sc;
      } else if (ns_wide == nullptr) {
        ns_wide = sc;
      }
    } else if (sc->ns() == ctx.root_ns && (!sc->workload_selector || sc->workload_selector->empty()) && !root) {
      root = sc;
    }
  }
  return ns_wide ? ns_wide : root;
}

void buildSidecarProxy(const BuildContext& ctx, Proxy& proxy) { SidecarBuilder(ctx, proxy).build(); }

}  // namespace istio_lint::simulate
