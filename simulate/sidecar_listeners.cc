// The sidecar's outbound listeners: one per HTTP port sharing the port's route config, TLS and
// TCP chains per service port from the imported VirtualServices' tls/tcp routes, the outbound
// traffic policy's catch-all, and the virtualOutbound listener (SIMULATE-SEMANTICS.md §7, §8).

#include <algorithm>

#include "model/host.h"
#include "simulate/sidecar_builder.h"

namespace istio_lint::simulate {

using model::labelsSubset;

FilterChain SidecarBuilder::catchAllChain() {
  FilterChain c;
  c.name = registry_only_ ? "BlackHoleCluster" : "PassthroughCluster";
  c.tcp.push_back({ctx_.special(p_, registry_only_ ? Cluster::Kind::BlackHole : Cluster::Kind::Passthrough), 0, nullptr});
  c.why = "outboundTrafficPolicy " + p_.outbound_policy + " (" + p_.outbound_policy_source + ")";
  c.span = p_.outbound_policy_span;
  return c;
}

Listener& SidecarBuilder::listener(const std::string& address, uint32_t port) {
  auto [found, fresh] = listener_at_.try_emplace({address, port}, static_cast<uint32_t>(p_.listeners.size()));
  if (!fresh) return p_.listeners[found->second];
  p_.listeners_by_port[port].push_back(static_cast<uint32_t>(p_.listeners.size()));
  Listener& l = p_.listeners.emplace_back();
  l.address = address;
  l.port = port;
  l.name = address + "_" + std::to_string(port);
  return l;
}

std::vector<std::string> SidecarBuilder::cidrKeys(const std::vector<std::string>& ranges) {
  std::vector<std::string> keys;
  keys.reserve(ranges.size());
  for (const std::string& r : ranges) keys.push_back(cidrKey(r));
  return keys;
}

void SidecarBuilder::addChain(Listener& l, FilterChain c) {
  ChainSummary& sum = summaries_[l.name];
  sum.http = sum.http || c.route_config != nullptr;
  sum.name_lists.insert(c.server_names);
  sum.names.insert(c.server_names.begin(), c.server_names.end());
  if (!c.prefix_ranges.empty()) sum.cidr_lists.insert(cidrKeys(c.prefix_ranges));
  l.chains.push_back(std::move(c));
}

std::vector<uint32_t> SidecarBuilder::l4Candidates(const std::string& host) {
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

void SidecarBuilder::l4Chains(Listener& l, const ServiceInfo& s, const ServicePortInfo& sp, bool tls,
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

const RouteConfig* SidecarBuilder::sharedRouteConfig(uint32_t port) {
  auto it = rds_.find(port);
  if (it != rds_.end()) return it->second;
  return rds_[port] = httpRouteConfig(port);
}

FilterChain SidecarBuilder::httpChain(uint32_t port) {
  FilterChain c;
  c.route_config = sharedRouteConfig(port);
  c.http_alpn = true;
  c.transport = FilterChain::Transport::Raw;
  c.why = "outbound HTTP on port " + std::to_string(port);
  return c;
}

void SidecarBuilder::buildListeners() {
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

}  // namespace istio_lint::simulate
