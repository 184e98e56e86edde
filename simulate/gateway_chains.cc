// Gateway listeners: one per bound port, its filter chains per server: one HCM for plaintext
// HTTP, SNI chains for HTTPS/TLS termination, one chain per tls route match for PASSTHROUGH, per
// mesh service port for AUTO_PASSTHROUGH, tcp_proxy for TCP and terminated TLS
// (SIMULATE-SEMANTICS.md §3.3-§3.4).

#include <algorithm>
#include <set>

#include "model/gateway_ref.h"
#include "model/ascii.h"
#include "model/host.h"
#include "simulate/gateway_builder.h"

namespace istio_lint::simulate {

bool GatewayBuilder::l4Matches(const model::L4Match& m, uint32_t port, const std::string& gw_name, const BuildContext& ctx,
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

void GatewayBuilder::tcpTargets(FilterChain& c, const model::L4Route& route, const model::VirtualService& vs, uint32_t port) {
  for (const model::RouteDestination& rd : route.route) {
    uint32_t w = rd.weight ? static_cast<uint32_t>(std::max<int64_t>(0, *rd.weight)) : 0;
    if (route.route.size() > 1 && w == 0) continue;
    c.tcp.push_back({ctx_.destinationCluster(p_, rd.destination, vs.ns(), port), w, &rd});
    c.tcp_total_weight += w;
  }
}

bool GatewayBuilder::fromTlsRoute(const model::VirtualService& vs) {
  const model::Str* parents = vs.annotation("internal.istio.io/parents");
  return parents && (parents->value.starts_with("TLSRoute/") || parents->value.find(",TLSRoute/") != std::string::npos);
}

bool GatewayBuilder::tcpProxyChain(FilterChain& c, const BoundServer& b, L4Routes which) {
  std::string gw_name = b.gw->ns() + "/" + b.gw->name();
  for (const model::VirtualService* vs : boundVs(*b.gw)) {
    if (which == L4Routes::TlsRouteTls && !fromTlsRoute(*vs)) continue;
    if (intersect(*b.server, *b.gw, *vs).empty()) continue;
    for (const model::L4Route& r : which == L4Routes::Tcp ? vs->tcp : vs->tls) {
      bool ok = r.match.empty();
      for (const model::L4Match& m : r.match) ok = ok || l4Matches(m, b.server->port, gw_name, ctx_, *vs);
      if (!ok) continue;
      tcpTargets(c, r, *vs, b.server->port);
      c.why = "VirtualService " + vs->ns() + "/" + vs->name() +
              (which == L4Routes::Tcp ? " tcp route" : " tls route (TLSRoute)");
      c.span = r.span;
      c.vs = vs;
      return true;
    }
  }
  return false;
}

void GatewayBuilder::buildListener(PortState& st) {
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
    } else if (tcpProxyChain(c, first, L4Routes::Tcp)) {
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

void GatewayBuilder::serverChains(Listener& l, const BoundServer& b, std::set<std::string>& sni_seen) {
  const model::GatewayServer& s = *b.server;
  const std::string mode = tlsMode(s);
  const std::string gw_name = b.gw->ns() + "/" + b.gw->name();
  const std::string where = "Gateway " + gw_name + " server " + model::asciiUpper(s.protocol.value) + " " +
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
    auto [ns, host] = serverHost(h.value, b.gw->ns());
    if (host == "*") any = true;
    c.server_names.push_back(std::move(host));
  }
  if (any) c.server_names.clear();
  if (model::asciiUpper(s.protocol.value) == "HTTPS") {
    c.route_config = buildRds(httpsRouteConfigName(*b.gw, s), {b});
  } else if (!tcpProxyChain(c, b, L4Routes::Tcp) && !tcpProxyChain(c, b, L4Routes::TlsRouteTls)) {
    return;
  }
  c.why = where;
  c.span = s.span;
  l.chains.push_back(std::move(c));
}

}  // namespace istio_lint::simulate
