// Sidecar scopes: which services and VirtualServices the proxy imports (exportTo, Sidecar egress
// hosts), outbound listeners per port (HTTP route config named by port, TLS/TCP listeners per
// service), and the outbound traffic policy catch-all (SIMULATE-SEMANTICS.md §4.4, §5.1, §7, §8).

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "model/gateway_ref.h"
#include "model/host.h"
#include "simulate/builders.h"

namespace istio_lint::simulate {
namespace {

using model::labelsSubset;

struct EgressHost {
  std::string ns;  // "*" or a namespace
  std::string host;
};

class SidecarBuilder {
 public:
  SidecarBuilder(const BuildContext& ctx, Proxy& p) : ctx_(ctx), p_(p) {}

  void build() {
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

 private:
  bool egressAllows(std::string_view ns, std::string_view host, bool bidirectional) const {
    if (p_.sidecar == nullptr || egress_.empty()) return true;
    for (const EgressHost& e : egress_) {
      if (e.ns != "*" && e.ns != ns) continue;
      if (e.host == "*" || e.host == host) return true;
      if (bidirectional ? hostMatches(host, e.host) : hostSubsetOf(host, e.host)) return true;
    }
    return false;
  }

  void importServices() {
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

  /// With ModelOptions::sidecar_hosts: the services kept although their host is not one of them,
  /// because a non-TLS, non-HTTP port without a VIP can take any connection on its port.
  void findCatchAllServices() {
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

  /// A service whose listeners and routes can matter (see ModelOptions::sidecar_hosts).
  bool keep(const ServiceInfo& s) const { return ctx_.relevantService(s) || catch_all_.count(&s) != 0; }

  void importVirtualServices() {
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

  /// The Host values a service answers to (istiod's generateVirtualHostDomains): its name, the
  /// short Kubernetes forms relative to the proxy's namespace, the same for each ExternalName
  /// alias the proxy imports, and its VIPs.
  std::vector<std::string> serviceDomains(const ServiceInfo& s) const {
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

  void addVhost(RouteConfig& rc, std::set<std::string>& used, std::string name, std::vector<std::string> domains,
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

  Route defaultRoute(const ServiceInfo& s, uint32_t port) {
    Route r;
    r.name = "default";
    r.action = Route::Action::Cluster;
    r.targets.push_back({ctx_.cluster(p_, s.host, port, ""), 0, nullptr});
    r.span = s.resource->span;
    return r;
  }

  const RouteConfig* httpRouteConfig(uint32_t port) {
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

  /// Some imported VirtualService names `host` exactly (it then wins over wildcards).
  bool explicitVsHost(const std::string& host) const { return explicit_hosts_.count(host) != 0; }

  /// The most specific wildcard VirtualService host (of the imported ones) covering `host`.
  std::string mostSpecificWildcard(const std::string& host) const {
    std::string best;
    for (const std::string& r : wildcard_hosts_) {
      if (hostSubsetOf(host, r) && r.size() > best.size()) best = r;
    }
    return best;
  }

  static bool httpish(const ServicePortInfo& p) { return isHttpFamily(p.protocol) || p.protocol == PortProtocol::Auto; }

  FilterChain catchAllChain() {
    FilterChain c;
    c.name = registry_only_ ? "BlackHoleCluster" : "PassthroughCluster";
    c.tcp.push_back({ctx_.special(p_, registry_only_ ? Cluster::Kind::BlackHole : Cluster::Kind::Passthrough), 0, nullptr});
    c.why = "outboundTrafficPolicy " + p_.outbound_policy + " (" + p_.outbound_policy_source + ")";
    c.span = p_.outbound_policy_span;
    return c;
  }

  Listener& listener(const std::string& address, uint32_t port) {
    auto [found, fresh] = listener_at_.try_emplace({address, port}, static_cast<uint32_t>(p_.listeners.size()));
    if (!fresh) return p_.listeners[found->second];
    p_.listeners_by_port[port].push_back(static_cast<uint32_t>(p_.listeners.size()));
    Listener& l = p_.listeners.emplace_back();
    l.address = address;
    l.port = port;
    l.name = address + "_" + std::to_string(port);
    return l;
  }

  /// What buildListeners asks about the chains a listener has so far, kept beside it instead of
  /// scanned for every service (thousands of services can share 0.0.0.0_443).
  struct ChainSummary {
    bool http = false;                              // an HTTP connection manager chain
    std::set<std::vector<std::string>> name_lists;   // the server names of each chain
    std::unordered_set<std::string> names;           // every server name
    std::set<std::vector<std::string>> cidr_lists;   // the prefix ranges of each chain (cidrKey)
  };

  static std::vector<std::string> cidrKeys(const std::vector<std::string>& ranges) {
    std::vector<std::string> keys;
    keys.reserve(ranges.size());
    for (const std::string& r : ranges) keys.push_back(cidrKey(r));
    return keys;
  }

  void addChain(Listener& l, FilterChain c) {
    ChainSummary& sum = summaries_[l.name];
    sum.http = sum.http || c.route_config != nullptr;
    sum.name_lists.insert(c.server_names);
    sum.names.insert(c.server_names.begin(), c.server_names.end());
    if (!c.prefix_ranges.empty()) sum.cidr_lists.insert(cidrKeys(c.prefix_ranges));
    l.chains.push_back(std::move(c));
  }

  /// The imported VirtualServices with tls or tcp routes, by resolved host: concrete hosts by name
  /// and by each of their ".suffix"es (what a "*.suffix" service host covers), wildcard hosts in a
  /// list. Built on first use.
  struct L4Index {
    bool built = false;
    std::vector<uint32_t> all;  // positions in vs_ with l4 routes
    std::unordered_map<std::string, std::vector<uint32_t>> exact, by_suffix;
    std::vector<std::pair<std::string, uint32_t>> wildcards;
  };

  /// Positions in vs_ of the VirtualServices with tls (tcp) routes one of whose hosts overlaps
  /// `host`, in vs_ order.
  std::vector<uint32_t> l4Candidates(const std::string& host) {
    if (!l4_.built) {
      l4_.built = true;
      for (uint32_t i = 0; i < vs_.size(); ++i) {
        const model::VirtualService& vs = *vs_[i];
        if (vs.tls.empty() && vs.tcp.empty()) continue;
        l4_.all.push_back(i);
        for (const model::Str& h : vs.hosts) {
          std::string r = ctx_.resolve(h.value, vs.ns());
          if (model::host::isWildcard(r)) {
            l4_.wildcards.emplace_back(r, i);
            continue;
          }
          for (size_t dot = r.find('.'); dot != std::string::npos; dot = r.find('.', dot + 1)) {
            l4_.by_suffix[r.substr(dot)].push_back(i);
          }
          l4_.exact[r].push_back(i);
        }
      }
    }
    std::vector<uint32_t> out;
    if (model::host::isWildcard(host) && (host.size() == 1 || host[1] != '.')) {
      return l4_.all;  // "*" or "*foo": checked one by one by the caller
    }
    const auto& concrete = model::host::isWildcard(host) ? l4_.by_suffix : l4_.exact;
    if (auto it = concrete.find(model::host::isWildcard(host) ? host.substr(1) : host); it != concrete.end()) {
      out = it->second;
    }
    for (const auto& [w, i] : l4_.wildcards) {
      if (hostMatches(w, host)) out.push_back(i);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  /// tls/tcp routes of the imported VirtualServices for a service port (matchTLS / matchTCP);
  /// `cidrs` are the service's CIDR addresses, the new chains' prefix ranges.
  void l4Chains(Listener& l, const ServiceInfo& s, const ServicePortInfo& sp, bool tls,
                const std::vector<std::string>& cidrs) {
    for (uint32_t pos : l4Candidates(s.host)) {
      const model::VirtualService* vs = vs_[pos];
      if ((tls ? vs->tls : vs->tcp).empty()) continue;
      bool host_ok = false;
      for (const model::Str& h : vs->hosts) host_ok = host_ok || hostMatches(ctx_.resolve(h.value, vs->ns()), s.host);
      if (!host_ok) continue;
      for (const model::L4Route& r : tls ? vs->tls : vs->tcp) {
        auto passes = [&](const model::L4Match& m) {
          if (m.port && *m.port != sp.number) return false;
          if (!m.gateways.empty()) {
            bool mesh = false;
            for (const model::Str& g : m.gateways) mesh = mesh || g.value == "mesh";
            if (!mesh) return false;
          }
          if (!labelsSubset(m.source_labels, p_.id.labels)) return false;
          return m.source_namespace.empty() || m.source_namespace.value == p_.id.ns;
        };
        std::vector<std::string> names;
        bool ok = r.match.empty() && !tls;
        model::Span span = r.span;
        for (const model::L4Match& m : r.match) {
          if (!passes(m)) continue;
          ok = true;
          span = m.span;
          for (const model::Str& h : m.sni_hosts) names.push_back(h.value);
        }
        if (!ok) continue;
        if (tls && names.empty()) continue;
        if (summaries_[l.name].name_lists.count(names) != 0) continue;
        FilterChain c;
        c.server_names = names;
        c.prefix_ranges = cidrs;
        if (tls) c.transport = FilterChain::Transport::Tls;
        for (const model::RouteDestination& rd : r.route) {
          uint32_t w = rd.weight ? static_cast<uint32_t>(std::max<int64_t>(0, *rd.weight)) : 0;
          if (r.route.size() > 1 && w == 0) continue;
          c.tcp.push_back({ctx_.destinationCluster(p_, rd.destination, vs->ns(), sp.number), w, &rd});
          c.tcp_total_weight += w;
        }
        c.why = "VirtualService " + vs->ns() + "/" + vs->name() + (tls ? " tls route" : " tcp route");
        c.span = span;
        c.vs = vs;
        addChain(l, std::move(c));
        if (!tls) return;  // the first matching tcp route wins
      }
    }
  }

  const RouteConfig* sharedRouteConfig(uint32_t port) {
    auto it = rds_.find(port);
    if (it != rds_.end()) return it->second;
    return rds_[port] = httpRouteConfig(port);
  }

  FilterChain httpChain(uint32_t port) {
    FilterChain c;
    c.route_config = sharedRouteConfig(port);
    c.http_alpn = true;
    c.transport = FilterChain::Transport::Raw;
    c.why = "outbound HTTP on port " + std::to_string(port);
    return c;
  }

  void buildListeners() {
    // HTTP ports share one listener 0.0.0.0_<port> and route config "<port>".
    // Only the requested ports (ModelOptions::sidecar_ports): a port's listener depends on the
    // services and VirtualServices of that port alone, so leaving the others out changes nothing.
    auto wanted = [&](uint32_t port) { return !ctx_.sidecar_ports || ctx_.sidecar_ports->count(port) != 0; };
    std::set<uint32_t> http_ports;
    for (const ServiceInfo* s : services_) {
      for (const ServicePortInfo& sp : s->ports) {
        if (isHttpFamily(sp.protocol) && wanted(sp.number)) http_ports.insert(sp.number);
      }
    }
    for (uint32_t port : http_ports) {
      Listener& l = listener("0.0.0.0", port);
      addChain(l, httpChain(port));
    }
    for (const ServiceInfo* s : services_) {
      if (!keep(*s)) continue;
      std::vector<std::string> vips, cidrs;
      for (const std::string& a : s->addresses) (a.find('/') == std::string::npos ? vips : cidrs).push_back(a);
      if (s->addresses.empty() && p_.id.dns_auto_allocate && !s->auto_address.empty()) vips.push_back(s->auto_address);
      for (const ServicePortInfo& sp : s->ports) {
        if (isHttpFamily(sp.protocol) || !wanted(sp.number)) continue;
        bool tls = sp.protocol == PortProtocol::Tls || sp.protocol == PortProtocol::Https;
        bool sniffed = sp.protocol == PortProtocol::Auto;
        std::vector<std::string> addrs = vips.empty() ? std::vector<std::string>{"0.0.0.0"} : vips;
        for (const std::string& addr : addrs) {
          Listener& l = listener(addr, sp.number);
          if (sniffed && !summaries_[l.name].http) addChain(l, httpChain(sp.number));
          size_t before = l.chains.size();
          l4Chains(l, *s, sp, tls, cidrs);
          bool has_tcp_route = !tls && l.chains.size() > before;
          if (has_tcp_route) continue;
          FilterChain c;
          c.tcp.push_back({ctx_.cluster(p_, s->host, sp.number, ""), 0, nullptr});
          c.why = "service " + s->host + " port " + std::to_string(sp.number);
          c.span = s->resource->span;
          if (!cidrs.empty()) {
            c.prefix_ranges = cidrs;
            // istiod drops a chain whose prefix ranges repeat another's (host bits do not count).
            if (summaries_[l.name].cidr_lists.count(cidrKeys(cidrs)) != 0) continue;
            addChain(l, std::move(c));
          } else if (addr == "0.0.0.0" && tls) {
            if (summaries_[l.name].names.count(s->host) != 0) continue;  // a tls route already claims it
            c.server_names = {s->host};
            c.transport = FilterChain::Transport::Tls;
            addChain(l, std::move(c));
          } else if (l.default_chain < 0) {
            l.default_chain = static_cast<int>(l.chains.size());
            addChain(l, std::move(c));
          }
        }
      }
    }
    for (Listener& l : p_.listeners) {
      if (l.default_chain < 0) {
        l.default_chain = static_cast<int>(l.chains.size());
        l.chains.push_back(catchAllChain());
      }
    }
    // Loop prevention: direct connections to the outbound capture port are dropped (the inbound
    // one, 15006, is the virtualInbound listener with its own blackhole chain).
    {
      Listener& l = listener("0.0.0.0", 15001);
      l.name = "virtualOutbound";
      FilterChain c;
      c.name = "virtualOutbound-blackhole";
      c.tcp.push_back({ctx_.special(p_, Cluster::Kind::BlackHole), 0, nullptr});
      c.why = "direct connection to the proxy's capture port 15001 (loop prevention)";
      l.chains.push_back(std::move(c));
      l.default_chain = 0;
    }
    buildInbound(ctx_, p_);
    Listener& vo = p_.listeners.emplace_back();
    vo.name = "virtualOutbound";
    vo.address = "0.0.0.0";
    vo.port = 15001;
    if (dynamic_dns_) {
      FilterChain c;
      c.http_alpn = true;
      c.tcp.push_back({ctx_.special(p_, Cluster::Kind::DynamicDns), 0, nullptr});
      c.why = "outboundTrafficPolicy ALLOW_ANY_DYNAMIC_DNS: plaintext HTTP resolved by Host";
      c.span = p_.outbound_policy_span;
      vo.chains.push_back(std::move(c));
    }
    vo.default_chain = static_cast<int>(vo.chains.size());
    vo.chains.push_back(catchAllChain());
    p_.virtual_outbound = static_cast<int>(p_.listeners.size() - 1);
  }

  const BuildContext& ctx_;
  Proxy& p_;
  std::vector<EgressHost> egress_;
  bool registry_only_ = false;
  bool dynamic_dns_ = false;
  std::vector<const ServiceInfo*> services_;
  std::set<const ServiceInfo*> catch_all_;
  std::unordered_map<std::string_view, const ServiceInfo*> imported_;  // keys view the registry
  std::vector<const model::VirtualService*> vs_;
  std::map<uint32_t, const RouteConfig*> rds_;
  std::map<std::pair<std::string, uint32_t>, uint32_t> listener_at_;  // (address, port) -> listener
  std::unordered_map<std::string, ChainSummary> summaries_;            // by listener name
  L4Index l4_;
  std::set<std::string> explicit_hosts_;
  std::vector<std::string> wildcard_hosts_;
};

}  // namespace

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
