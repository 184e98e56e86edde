// decide(): one request through one proxy, in the order Envoy (and pilot's simulation harness)
// evaluates it: listener, filter chain, TLS checks, then HTTP (virtual host, route) or tcp_proxy.

#include "simulate/routing_model.h"

namespace istio_lint::simulate {
namespace {

void pickTarget(const std::vector<WeightedCluster>& targets, uint32_t total, bool weighted, const Request& r,
                Decision& d) {
  if (targets.empty()) return;
  if (targets.size() == 1 || !weighted) {
    d.target = &targets.front();
    d.cluster = d.target->cluster;
    return;
  }
  if (r.has_random) {
    uint64_t x = total == 0 ? 0 : r.random % total;
    uint64_t acc = 0;
    for (const WeightedCluster& t : targets) {
      acc += t.weight;
      if (x < acc) {
        d.target = &t;
        d.cluster = t.cluster;
        return;
      }
    }
    d.target = &targets.back();
    d.cluster = d.target->cluster;
    return;
  }
  d.split = targets.data();
  d.split_count = static_cast<uint32_t>(targets.size());
}

/// The chain requires the client's mutual TLS: it asks for a client certificate and serves the
/// certificate set the client's mTLS is made with (Istio's "default" unless the request names one).
bool requiresClientMtls(const FilterChain& c, const Request& r) {
  if (!c.require_client_cert) return false;
  return c.tls_secret == (r.mtls_secret.empty() ? std::string_view("default") : r.mtls_secret);
}

}  // namespace

Decision decide(const Proxy& proxy, const Request& r) {
  Decision d;
  const bool tls = r.tls != TlsMode::Plaintext;
  bool ambiguous = false;
  if (r.inbound) {
    // iptables hands every inbound connection to virtualInbound; its listener filters decide
    // what the chain match sees: without the TLS inspector on the port no SNI, no ALPN and raw
    // bytes; the HTTP inspector names plaintext HTTP (http/1.1, h2c).
    d.listener = proxy.virtual_inbound >= 0 ? &proxy.listeners[static_cast<size_t>(proxy.virtual_inbound)] : nullptr;
    if (d.listener == nullptr) {
      d.error = Error::NoListener;
      return d;
    }
    const bool seen_tls = tls && d.listener->tlsInspector(r.port);
    Alpn alpn = seen_tls ? r.offeredAlpn() : Alpn::None;
    if (!tls && d.listener->httpInspector(r.port)) {
      alpn = r.protocol == Protocol::Http ? Alpn::Http11 : r.protocol == Protocol::Http2 ? Alpn::H2c : Alpn::None;
    }
    d.chain = d.listener->match(r.address, seen_tls ? r.sni : std::string_view{}, seen_tls, false, ambiguous, r.port,
                                alpn);
  } else {
    d.listener = proxy.listenerFor(r.address, r.port);
    if (d.listener == nullptr) {
      d.error = Error::NoListener;
      return d;
    }
    d.chain = d.listener->match(r.address, r.sni, tls, !tls && r.isHttp(), ambiguous, r.port,
                                d.listener->matchesAlpnLists() ? r.offeredAlpn() : Alpn::None);
  }
  if (d.chain == nullptr) {
    d.error = Error::NoFilterChain;
    return d;
  }
  if (ambiguous) {
    d.error = Error::MultipleFilterChain;
    return d;
  }
  const FilterChain& c = *d.chain;
  if (c.termination != FilterChain::Termination::None) {
    // A transport socket: plaintext cannot be read, and Istio mTLS must meet a chain that
    // requires it (the client verifies the server's mesh identity), and the other way round.
    if (!tls) {
      d.error = Error::TlsError;
      return d;
    }
    if (requiresClientMtls(c, r) != (r.tls == TlsMode::Mtls)) {
      d.error = Error::MtlsError;
      return d;
    }
  } else if (c.istio_alpn && r.tls != TlsMode::Mtls) {
    d.error = Error::MtlsError;
    return d;
  }
  if (c.route_config == nullptr) {
    pickTarget(c.tcp, c.tcp_total_weight, c.tcp.size() > 1, r, d);
    return d;
  }
  if ((tls && c.termination == FilterChain::Termination::None) || !r.isHttp()) {
    d.error = Error::ProtocolError;
    return d;
  }
  d.route_config = c.route_config;
  d.virtual_host = c.route_config->find(r.host);
  if (d.virtual_host == nullptr) {
    d.error = Error::NoVirtualHost;
    return d;
  }
  if (d.virtual_host->require_tls && !tls) {
    d.error = Error::TlsRedirect;
    return d;
  }
  const std::string_view scheme = tls ? "https" : "http";
  std::string_view path = r.path, query;
  if (size_t q = path.find('?'); q != std::string_view::npos) {
    query = path.substr(q + 1);
    path = path.substr(0, q);
  }
  for (const Route& route : d.virtual_host->routes) {
    if (route.match.matches(r, scheme, path, query)) {
      d.route = &route;
      break;
    }
  }
  if (d.route == nullptr) {
    d.error = Error::NoRoute;
    return d;
  }
  const Route& route = *d.route;
  if (route.fault != nullptr && route.fault->abort_http_status) {
    double pct = route.fault->abort_percent;
    d.fault_abort = pct >= 100 || (r.has_random && static_cast<double>(r.random % 10000) < pct * 100);
  }
  if (route.action == Route::Action::Cluster || route.action == Route::Action::Weighted) {
    pickTarget(route.targets, route.total_weight, route.action == Route::Action::Weighted, r, d);
  }
  return d;
}

}  // namespace istio_lint::simulate
