// Gateway workloads: which Gateways apply, port translation (Service port -> targetPort), server
// merging per port, filter chains per server (HTTPS termination, TLS passthrough by SNI,
// AUTO_PASSTHROUGH) and the HTTP route configurations (SIMULATE-SEMANTICS.md §3).

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "model/gateway_ref.h"
#include "model/host.h"
#include "model/host_index.h"
#include "simulate/builders.h"

namespace istio_lint::simulate {
namespace {

struct BoundServer {
  const model::Gateway* gw;
  const model::GatewayServer* server;
};

struct PortState {
  uint32_t bind = 0;
  bool tls = false;
  std::string protocol;  // plaintext: the first server's protocol
  std::vector<BoundServer> servers;
  std::set<std::string> tls_hosts;  // "namespace/host/bind" of the TLS servers kept so far
};

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool httpProtocol(const std::string& p) {
  std::string u = upper(p);
  return u == "HTTP" || u == "HTTP2" || u == "GRPC" || u == "GRPC-WEB";
}

bool isTlsServer(const model::GatewayServer& s) {
  std::string u = upper(s.protocol.value);
  return u == "HTTPS" || u == "TLS";
}

std::string tlsMode(const model::GatewayServer& s) {
  return s.tls && !s.tls->mode.empty() ? upper(s.tls->mode.value) : "SIMPLE";
}

using model::labelsSubset;

/// A server host normalised: {namespace restriction ("*" for any), host}.
std::pair<std::string, std::string> serverHost(const std::string& h, const std::string& gw_ns) {
  size_t slash = h.find('/');
  if (slash == std::string::npos) return {"*", h};
  std::string ns = h.substr(0, slash);
  if (ns == ".") ns = gw_ns;
  return {ns, h.substr(slash + 1)};
}

class GatewayBuilder {
 public:
  GatewayBuilder(const BuildContext& ctx, Proxy& p) : ctx_(ctx), p_(p) {}

  void build() {
    collectServices();
    for (const model::Gateway* g : ctx_.gateways()) {
      if (applies(*g)) p_.gateways.push_back(g);
    }
    std::map<uint32_t, PortState> ports;
    std::vector<uint32_t> order;
    for (const model::Resource* r : p_.gateways) {
      const auto* g = static_cast<const model::Gateway*>(r);
      for (const model::GatewayServer& s : g->servers) {
        uint32_t bind = bindPort(*g, s.port);
        if (bind == 0) continue;  // a Service-reference gateway without that Service port
        auto [it, fresh] = ports.try_emplace(bind);
        PortState& st = it->second;
        bool tls = isTlsServer(s);
        if (fresh) {
          st.bind = bind;
          st.tls = tls;
          st.protocol = upper(s.protocol.value);
          order.push_back(bind);
        } else if (st.tls != tls) {
          continue;  // istiod drops a server whose class differs from the port's first server
        } else if (!tls && st.protocol != upper(s.protocol.value) &&
                   !(httpProtocol(st.protocol) && httpProtocol(s.protocol.value))) {
          continue;  // cannot merge protocols on one plaintext port
        } else if (tls && duplicateHosts(st, s, *g)) {
          continue;
        }
        st.servers.push_back({g, &s});
        if (tls) {
          for (const model::Str& x : s.hosts) st.tls_hosts.insert(tlsHostKey(x, *g, s));
        }
      }
    }
    for (uint32_t bind : order) buildListener(ports[bind]);
  }

 private:
  /// The proxy's services: Kubernetes Services of its namespace selecting it, and ServiceEntries
  /// whose endpoints name its IP.
  void collectServices() {
    for (const ServiceInfo& s : ctx_.registry.all()) {
      if (s.ns != p_.id.ns) continue;
      if (s.kube) {
        const auto& svc = static_cast<const model::Service&>(*s.resource);
        if (svc.selector && !svc.selector->empty() && labelsSubset(*svc.selector, p_.id.labels)) targets_.push_back(&s);
      } else {
        const auto& se = static_cast<const model::ServiceEntry&>(*s.resource);
        bool ip = !p_.id.ip.empty() &&
                  std::find(se.endpoint_addresses.begin(), se.endpoint_addresses.end(), p_.id.ip) != se.endpoint_addresses.end();
        bool sel = se.workload_selector && !se.workload_selector->empty() && labelsSubset(*se.workload_selector, p_.id.labels);
        if (ip || sel) targets_.push_back(&s);
      }
    }
  }

  /// Hostnames of the Services a Gateway is bound to by `internal.istio.io/gateway-service`.
  static std::vector<std::string> serviceRefs(const model::Gateway& g) {
    std::vector<std::string> out;
    const model::Str* a = g.annotation("internal.istio.io/gateway-service");
    if (a == nullptr) return out;
    size_t start = 0;
    while (start <= a->value.size()) {
      size_t comma = a->value.find(',', start);
      std::string item = a->value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!item.empty()) out.push_back(item);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return out;
  }

  bool applies(const model::Gateway& g) const {
    std::vector<std::string> refs = serviceRefs(g);
    if (refs.empty()) return labelsSubset(g.selector, p_.id.labels);
    if (g.ns() != p_.id.ns) return false;
    for (const ServiceInfo* t : targets_) {
      if (std::find(refs.begin(), refs.end(), t->host) != refs.end()) return true;
    }
    return false;
  }

  /// The port a server binds: a matching Service port's targetPort (selector gateways fall back to
  /// the number as written; Service-reference gateways bind nothing: 0).
  uint32_t bindPort(const model::Gateway& g, uint32_t port) const {
    std::vector<std::string> refs = serviceRefs(g);
    for (const ServiceInfo* t : targets_) {
      if (!refs.empty() && std::find(refs.begin(), refs.end(), t->host) == refs.end()) continue;
      const bool translate = t->resource->meta.labels.count("experimental.istio.io/disable-gateway-port-translation") == 0;
      if (!translate && refs.empty()) continue;
      const ServicePortInfo* sp = t->port(port);
      if (sp == nullptr) continue;
      return translate && sp->target_port != 0 ? sp->target_port : port;
    }
    return refs.empty() ? port : 0;
  }

  static std::string tlsHostKey(const model::Str& host, const model::Gateway& g, const model::GatewayServer& s) {
    auto [ns, h] = serverHost(host.value, g.ns());
    return ns + "/" + h + "/" + s.bind.value;
  }

  /// A TLS server repeating a (namespace, host, bind) of a server already on the port is dropped.
  static bool duplicateHosts(const PortState& st, const model::GatewayServer& s, const model::Gateway& g) {
    for (const model::Str& x : s.hosts) {
      if (st.tls_hosts.count(tlsHostKey(x, g, s)) != 0) return true;
    }
    return false;
  }

  /// VirtualServices bound to the gateway and visible to the proxy's config namespace.
  std::vector<const model::VirtualService*> boundVs(const model::Gateway& g) const {
    std::string name = g.ns() + "/" + g.name();
    std::vector<const model::VirtualService*> out;
    for (const model::VirtualService* vs : ctx_.virtualServices()) {
      if (!BuildContext::vsVisible(*vs, p_.id.config_ns)) continue;
      for (const std::string& ref : ctx_.vsGateways(*vs)) {
        if (ref == name) {
          out.push_back(vs);
          break;
        }
      }
    }
    return out;
  }

  /// A server's hosts, indexed (model::HostIndex) so that a VirtualService host finds the server
  /// hosts it overlaps without a scan.
  struct ServerHosts {
    std::vector<std::pair<std::string, std::string>> hosts;  // {namespace or "*", host}, in order
    model::HostIndex<uint32_t> index;                         // host -> positions in `hosts`
  };

  const ServerHosts& serverHosts(const model::GatewayServer& s, const model::Gateway& g) const {
    auto [it, fresh] = server_hosts_.try_emplace(&s);
    ServerHosts& out = it->second;
    if (!fresh) return out;
    for (const model::Str& sh : s.hosts) out.hosts.push_back(serverHost(sh.value, g.ns()));
    for (uint32_t i = 0; i < out.hosts.size(); ++i) out.index.add(out.hosts[i].second, i);
    return out;
  }

  /// Server hosts x VirtualService hosts, keeping the more specific side of each overlapping pair
  /// (in server host order, then VirtualService host order, without repeats).
  std::vector<std::string> intersect(const model::GatewayServer& s, const model::Gateway& g,
                                     const model::VirtualService& vs) const {
    const ServerHosts& idx = serverHosts(s, g);
    struct Hit {
      uint32_t server, vs;
      std::string keep;
    };
    std::vector<Hit> hits;
    auto consider = [&](uint32_t i, uint32_t j, const std::string& v) {
      const auto& [ns, h] = idx.hosts[i];
      if (ns != "*" && ns != vs.ns()) return;
      if (hostSubsetOf(v, h)) {
        hits.push_back({i, j, v});
      } else if (hostSubsetOf(h, v)) {
        hits.push_back({i, j, h});
      }
    };
    for (uint32_t j = 0; j < vs.hosts.size(); ++j) {
      std::string v = ctx_.resolve(vs.hosts[j].value, vs.ns());
      if (!v.empty() && v.front() == '*') {
        // A wildcard can contain any server host: look at all of them.
        for (uint32_t i = 0; i < idx.hosts.size(); ++i) consider(i, j, v);
        continue;
      }
      // A plain host overlaps the same host and the wildcards covering it.
      if (const std::vector<uint32_t>* same = idx.index.exact(v)) {
        for (uint32_t i : *same) consider(i, j, v);
      }
      idx.index.forEachWildcardCovering(v, [&](const std::vector<uint32_t>& covering) {
        for (uint32_t i : covering) consider(i, j, v);
        return true;
      });
    }
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      return a.server != b.server ? a.server < b.server : a.vs < b.vs;
    });
    std::vector<std::string> out;
    std::unordered_set<std::string_view> seen;
    for (const Hit& h : hits) {
      if (seen.insert(h.keep).second) out.push_back(h.keep);
    }
    return out;
  }

  const RouteConfig* buildRds(const std::string& name, const std::vector<BoundServer>& servers) {
    RouteConfig& rc = p_.route_configs.emplace_back();
    rc.name = name;
    std::map<std::string, size_t> by_name;
    for (const BoundServer& b : servers) {
      const model::GatewayServer& s = *b.server;
      const bool redirect = s.tls && s.tls->https_redirect;
      std::string gw_name = b.gw->ns() + "/" + b.gw->name();
      for (const model::VirtualService* vs : boundVs(*b.gw)) {
        std::vector<std::string> hosts = intersect(s, *b.gw, *vs);
        if (hosts.empty()) continue;
        if (ctx_.httpRoutes(p_, *vs, s.port, gw_name).empty()) continue;
        for (const std::string& h : hosts) {
          std::vector<Route> routes = ctx_.httpRoutes(p_, *vs, s.port, gw_name);
          std::string vname = h + ":" + std::to_string(s.port);
          auto [it, fresh] = by_name.try_emplace(vname, rc.vhosts.size());
          if (fresh) {
            VirtualHost& v = rc.vhosts.emplace_back();
            v.name = vname;
            v.domains = {h};
            v.span = vs->hosts_span.known() ? vs->hosts_span : vs->span;
          }
          VirtualHost& v = rc.vhosts[it->second];
          for (Route& r : routes) v.routes.push_back(std::move(r));
          if (redirect) {
            v.require_tls = true;
            v.redirect_span = s.tls->span;
          }
        }
      }
      if (redirect) {
        for (const model::Str& sh : s.hosts) {
          std::string h = serverHost(sh.value, b.gw->ns()).second;
          std::string vname = h + ":" + std::to_string(s.port);
          auto [it, fresh] = by_name.try_emplace(vname, rc.vhosts.size());
          if (fresh) {
            VirtualHost& v = rc.vhosts.emplace_back();
            v.name = vname;
            v.domains = {h};
            v.span = s.span;
          }
          rc.vhosts[it->second].require_tls = true;
          rc.vhosts[it->second].redirect_span = s.tls->span;
        }
      }
    }
    if (rc.vhosts.empty()) {
      VirtualHost& v = rc.vhosts.emplace_back();
      v.name = "blackhole:" + std::to_string(servers.front().server->port);
      v.domains = {"*"};
      v.span = servers.front().server->span;
    }
    for (VirtualHost& v : rc.vhosts) {
      std::stable_partition(v.routes.begin(), v.routes.end(), [](const Route& r) { return !r.match.catch_all; });
    }
    std::sort(rc.vhosts.begin(), rc.vhosts.end(), [](const VirtualHost& a, const VirtualHost& b) { return a.name < b.name; });
    rc.index();
    return &rc;
  }

  /// L4 match of a VirtualService tcp/tls route on this gateway.
  static bool l4Matches(const model::L4Match& m, uint32_t port, const std::string& gw_name, const BuildContext& ctx,
                        const model::VirtualService& vs) {
    if (m.port && *m.port != port) return false;
    if (!m.gateways.empty()) {
      for (const model::Str& g : m.gateways) {
        model::GatewayRef ref = model::resolveGatewayRef(g.value, vs.ns(), ctx.graph.domainSuffix());
        if (!ref.mesh && ref.str() == gw_name) return true;
      }
      return false;
    }
    return true;
  }

  void tcpTargets(FilterChain& c, const model::L4Route& route, const model::VirtualService& vs, uint32_t port) {
    for (const model::RouteDestination& rd : route.route) {
      uint32_t w = rd.weight ? static_cast<uint32_t>(std::max<int64_t>(0, *rd.weight)) : 0;
      if (route.route.size() > 1 && w == 0) continue;
      c.tcp.push_back({ctx_.destinationCluster(p_, rd.destination, vs.ns(), port), w, &rd});
      c.tcp_total_weight += w;
    }
  }

  /// tcp_proxy from the first bound VirtualService with a matching tcp route (TCP servers and
  /// terminated TLS servers).
  bool tcpChain(FilterChain& c, const BoundServer& b) {
    std::string gw_name = b.gw->ns() + "/" + b.gw->name();
    for (const model::VirtualService* vs : boundVs(*b.gw)) {
      if (intersect(*b.server, *b.gw, *vs).empty()) continue;
      for (const model::L4Route& r : vs->tcp) {
        bool ok = r.match.empty();
        for (const model::L4Match& m : r.match) ok = ok || l4Matches(m, b.server->port, gw_name, ctx_, *vs);
        if (!ok) continue;
        tcpTargets(c, r, *vs, b.server->port);
        c.why = "VirtualService " + vs->ns() + "/" + vs->name() + " tcp route";
        c.span = r.span;
        c.vs = vs;
        return true;
      }
    }
    return false;
  }

  /// A VirtualService translated from a Gateway API TLSRoute (istio marks these with the
  /// `internal.istio.io/parents: TLSRoute/<name>.<ns>` annotation).
  static bool fromTlsRoute(const model::VirtualService& vs) {
    const model::Str* parents = vs.annotation("internal.istio.io/parents");
    return parents && (parents->value.starts_with("TLSRoute/") || parents->value.find(",TLSRoute/") != std::string::npos);
  }

  /// A terminated TLS server without a matching tcp route: a TLSRoute's `tls` routes apply there
  /// too (a TLSRoute attached to a Terminate listener); a plain VirtualService's `tls` routes do not.
  bool tlsRouteChain(FilterChain& c, const BoundServer& b) {
    std::string gw_name = b.gw->ns() + "/" + b.gw->name();
    for (const model::VirtualService* vs : boundVs(*b.gw)) {
      if (!fromTlsRoute(*vs) || intersect(*b.server, *b.gw, *vs).empty()) continue;
      for (const model::L4Route& r : vs->tls) {
        bool ok = r.match.empty();
        for (const model::L4Match& m : r.match) ok = ok || l4Matches(m, b.server->port, gw_name, ctx_, *vs);
        if (!ok) continue;
        tcpTargets(c, r, *vs, b.server->port);
        c.why = "VirtualService " + vs->ns() + "/" + vs->name() + " tls route (TLSRoute)";
        c.span = r.span;
        c.vs = vs;
        return true;
      }
    }
    return false;
  }

  void buildListener(PortState& st) {
    Listener l;
    l.name = "0.0.0.0_" + std::to_string(st.bind);
    l.address = "0.0.0.0";
    l.port = st.bind;
    l.span = st.servers.front().server->span;
    if (!st.tls) {
      const BoundServer& first = st.servers.front();
      FilterChain c;
      c.span = first.server->span;
      if (httpProtocol(st.protocol)) {
        c.route_config = buildRds("http." + std::to_string(st.bind), st.servers);
        c.why = "Gateway " + first.gw->ns() + "/" + first.gw->name() + " server " + st.protocol + " " +
                std::to_string(first.server->port);
        l.chains.push_back(std::move(c));
      } else if (tcpChain(c, first)) {
        l.chains.push_back(std::move(c));
      }
    } else {
      std::set<std::string> sni_seen;
      for (const BoundServer& b : st.servers) serverChains(l, b, sni_seen);
    }
    if (l.chains.empty()) return;
    p_.listeners_by_port[l.port].push_back(static_cast<uint32_t>(p_.listeners.size()));
    p_.listeners.push_back(std::move(l));
  }

  void serverChains(Listener& l, const BoundServer& b, std::set<std::string>& sni_seen) {
    const model::GatewayServer& s = *b.server;
    const std::string mode = tlsMode(s);
    const std::string gw_name = b.gw->ns() + "/" + b.gw->name();
    const std::string where = "Gateway " + gw_name + " server " + upper(s.protocol.value) + " " +
                              std::to_string(s.port) + " (" + mode + ")";
    if (mode == "PASSTHROUGH") {
      for (const model::VirtualService* vs : boundVs(*b.gw)) {
        if (intersect(s, *b.gw, *vs).empty()) continue;
        for (const model::L4Route& r : vs->tls) {
          for (const model::L4Match& m : r.match) {
            if (!l4Matches(m, s.port, gw_name, ctx_, *vs)) continue;
            std::vector<std::string> names;
            for (const model::Str& h : m.sni_hosts) {
              if (sni_seen.insert(h.value).second) names.push_back(h.value);
            }
            if (names.empty()) continue;
            FilterChain c;
            c.server_names = names;
            c.transport = FilterChain::Transport::Tls;
            tcpTargets(c, r, *vs, s.port);
            c.why = where + ", VirtualService " + vs->ns() + "/" + vs->name() + " tls route";
            c.span = m.span;
            c.vs = vs;
            l.chains.push_back(std::move(c));
          }
        }
      }
      return;
    }
    if (mode == "AUTO_PASSTHROUGH") {
      for (const ServiceInfo& svc : ctx_.registry.all()) {
        if (svc.mesh_external || svc.isAlias()) continue;
        bool covered = false;
        for (const model::Str& sh : s.hosts) covered = covered || hostSubsetOf(svc.host, serverHost(sh.value, b.gw->ns()).second);
        if (!covered) continue;
        for (const ServicePortInfo& sp : svc.ports) {
          FilterChain c;
          c.server_names = {"outbound_." + std::to_string(sp.number) + "_._." + svc.host};
          c.transport = FilterChain::Transport::Tls;
          c.istio_alpn = true;
          c.tcp.push_back({ctx_.cluster(p_, svc.host, sp.number, ""), 0, nullptr});
          c.why = where;
          c.span = s.span;
          l.chains.push_back(std::move(c));
        }
      }
      return;
    }
    FilterChain c;
    c.span = s.span;
    c.why = where;
    c.transport = FilterChain::Transport::Tls;
    c.termination = mode == "MUTUAL" || mode == "OPTIONAL_MUTUAL" ? FilterChain::Termination::Mutual
                    : mode == "ISTIO_MUTUAL"                      ? FilterChain::Termination::IstioMutual
                                                                  : FilterChain::Termination::Simple;
    c.require_client_cert = mode == "MUTUAL" || mode == "ISTIO_MUTUAL";
    if (mode == "ISTIO_MUTUAL") {
      c.tls_secret = "default";
    } else if (s.tls && !s.tls->credential_name.empty()) {
      c.tls_secret = "kubernetes://" + s.tls->credential_name.value;
    } else if (s.tls) {
      c.tls_secret = "file-cert:" + s.tls->server_certificate.value + "~" + s.tls->private_key.value;
    }
    bool any = false;
    for (const model::Str& h : s.hosts) {
      std::string host = serverHost(h.value, b.gw->ns()).second;
      if (host == "*") any = true;
      c.server_names.push_back(host);
    }
    if (any) c.server_names.clear();
    if (upper(s.protocol.value) == "HTTPS") {
      std::string rds = "https." + std::to_string(s.port) + "." + s.port_name.value + "." + b.gw->name() + "." + b.gw->ns();
      c.route_config = buildRds(rds, {b});
    } else if (!tcpChain(c, b) && !tlsRouteChain(c, b)) {
      return;
    }
    c.why = where;
    c.span = s.span;
    l.chains.push_back(std::move(c));
  }

  const BuildContext& ctx_;
  Proxy& p_;
  mutable std::unordered_map<const model::GatewayServer*, ServerHosts> server_hosts_;
  std::vector<const ServiceInfo*> targets_;
};

}  // namespace

void buildGatewayProxy(const BuildContext& ctx, Proxy& proxy) { GatewayBuilder(ctx, proxy).build(); }

}  // namespace istio_lint::simulate
