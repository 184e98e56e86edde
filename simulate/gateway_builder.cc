// Gateway workloads: which Gateways apply, port translation (Service port -> targetPort), server
// merging per port, and the HTTP route configurations (SIMULATE-SEMANTICS.md §3.1-§3.3, §3.5).
// The listeners' filter chains are built in gateway_chains.cc.

#include "simulate/gateway_builder.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_set>

#include "model/ascii.h"
#include "model/host.h"

namespace istio_lint::simulate {

using model::labelsSubset;

bool GatewayBuilder::httpProtocol(const std::string& p) {
  std::string u = model::asciiUpper(p);
  return u == "HTTP" || u == "HTTP2" || u == "GRPC" || u == "GRPC-WEB";
}

bool GatewayBuilder::isTlsServer(const model::GatewayServer& s) {
  std::string u = model::asciiUpper(s.protocol.value);
  return u == "HTTPS" || u == "TLS";
}

std::string GatewayBuilder::tlsMode(const model::GatewayServer& s) {
  return s.tls && !s.tls->mode.empty() ? model::asciiUpper(s.tls->mode.value) : "SIMPLE";
}

std::pair<std::string, std::string> GatewayBuilder::serverHost(const std::string& h, const std::string& gw_ns) {
  size_t slash = h.find('/');
  if (slash == std::string::npos) return {"*", h};
  std::string ns = h.substr(0, slash);
  if (ns == ".") ns = gw_ns;
  return {ns, h.substr(slash + 1)};
}

void GatewayBuilder::build() {
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
        st.protocol = model::asciiUpper(s.protocol.value);
        order.push_back(bind);
      } else if (st.tls != tls) {
        continue;  // istiod drops a server whose class differs from the port's first server
      } else if (!tls && st.protocol != model::asciiUpper(s.protocol.value) &&
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

void GatewayBuilder::collectServices() {
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

std::vector<std::string> GatewayBuilder::serviceRefs(const model::Gateway& g) {
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

bool GatewayBuilder::applies(const model::Gateway& g) const {
  std::vector<std::string> refs = serviceRefs(g);
  if (refs.empty()) return labelsSubset(g.selector, p_.id.labels);
  if (g.ns() != p_.id.ns) return false;
  for (const ServiceInfo* t : targets_) {
    if (std::find(refs.begin(), refs.end(), t->host) != refs.end()) return true;
  }
  return false;
}

uint32_t GatewayBuilder::bindPort(const model::Gateway& g, uint32_t port) const {
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

std::string GatewayBuilder::tlsHostKey(const model::Str& host, const model::Gateway& g, const model::GatewayServer& s) {
  auto [ns, h] = serverHost(host.value, g.ns());
  return ns + "/" + h + "/" + s.bind.value;
}

bool GatewayBuilder::duplicateHosts(const PortState& st, const model::GatewayServer& s, const model::Gateway& g) {
  for (const model::Str& x : s.hosts) {
    if (st.tls_hosts.count(tlsHostKey(x, g, s)) != 0) return true;
  }
  return false;
}

std::vector<const model::VirtualService*> GatewayBuilder::boundVs(const model::Gateway& g) const {
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

const GatewayBuilder::ServerHosts& GatewayBuilder::serverHosts(const model::GatewayServer& s, const model::Gateway& g) const {
  auto [it, fresh] = server_hosts_.try_emplace(&s);
  ServerHosts& out = it->second;
  if (!fresh) return out;
  for (const model::Str& sh : s.hosts) out.hosts.push_back(serverHost(sh.value, g.ns()));
  for (uint32_t i = 0; i < out.hosts.size(); ++i) out.index.add(out.hosts[i].second, i);
  return out;
}

std::vector<std::string> GatewayBuilder::intersect(const model::GatewayServer& s, const model::Gateway& g,
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

const RouteConfig* GatewayBuilder::buildRds(const std::string& name, const std::vector<BoundServer>& servers) {
  RouteConfig& rc = p_.route_configs.emplace_back();
  rc.name = name;
  std::map<std::string, size_t> by_name;
  // The virtual host `host:port`, added with `span` when it is new.
  auto vhost = [&](const std::string& host, uint32_t port, model::Span span) -> VirtualHost& {
    std::string vname = host + ":" + std::to_string(port);
    auto [it, fresh] = by_name.try_emplace(vname, rc.vhosts.size());
    if (fresh) {
      VirtualHost& v = rc.vhosts.emplace_back();
      v.name = std::move(vname);
      v.domains = {host};
      v.span = span;
    }
    return rc.vhosts[it->second];
  };
  for (const BoundServer& b : servers) {
    const model::GatewayServer& s = *b.server;
    const bool redirect = s.tls && s.tls->https_redirect;
    std::string gw_name = b.gw->ns() + "/" + b.gw->name();
    for (const model::VirtualService* vs : boundVs(*b.gw)) {
      std::vector<std::string> hosts = intersect(s, *b.gw, *vs);
      if (hosts.empty()) continue;
      std::vector<Route> first = ctx_.httpRoutes(p_, *vs, s.port, gw_name);
      if (first.empty()) continue;
      for (size_t k = 0; k < hosts.size(); ++k) {
        const std::string& h = hosts[k];
        // Routes are move-only (a regex matcher owns its RE2): each further host builds its own.
        std::vector<Route> routes = k == 0 ? std::move(first) : ctx_.httpRoutes(p_, *vs, s.port, gw_name);
        VirtualHost& v = vhost(h, s.port, vs->hosts_span.known() ? vs->hosts_span : vs->span);
        for (Route& r : routes) v.routes.push_back(std::move(r));
        if (redirect) {
          v.require_tls = true;
          v.redirect_span = s.tls->span;
        }
      }
    }
    if (redirect) {
      for (const model::Str& sh : s.hosts) {
        VirtualHost& v = vhost(serverHost(sh.value, b.gw->ns()).second, s.port, s.span);
        v.require_tls = true;
        v.redirect_span = s.tls->span;
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

void buildGatewayProxy(const BuildContext& ctx, Proxy& proxy) { GatewayBuilder(ctx, proxy).build(); }

}  // namespace istio_lint::simulate
