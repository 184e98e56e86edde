// A sidecar's inbound side: the virtualInbound listener (15006) that iptables hands every
// connection for the workload to. One set of filter chains per workload port, from the Services
// (and ServiceEntries) selecting the workload or, when the Sidecar resource declares ingress
// listeners, from those alone; passthrough chains for every other port; each shaped by the
// PeerAuthentication mode of its port. docs/simulate-inbound.md (istiod's listener_inbound.go,
// filterchain_options.go, security/authn).

#include <algorithm>
#include <cstdint>
#include <optional>

#include "simulate/builders.h"
#include "simulate/peer_authentication.h"

namespace istio_lint::simulate {
namespace {

enum class ListenerProtocol : uint8_t { Http, Tcp, Auto };

ListenerProtocol listenerProtocol(PortProtocol p) {
  if (isHttpFamily(p)) return ListenerProtocol::Http;
  return p == PortProtocol::Auto ? ListenerProtocol::Auto : ListenerProtocol::Tcp;
}

PortProtocol afterTlsTermination(PortProtocol p) {
  if (p == PortProtocol::Https) return PortProtocol::Http;
  if (p == PortProtocol::Tls) return PortProtocol::Tcp;
  return p;
}

std::string_view protocolWord(PortProtocol p) {
  switch (p) {
    case PortProtocol::Http: return "HTTP";
    case PortProtocol::Http2: return "HTTP2";
    case PortProtocol::Grpc: return "GRPC";
    case PortProtocol::Https: return "HTTPS";
    case PortProtocol::Tls: return "TLS";
    case PortProtocol::Tcp: return "TCP";
    case PortProtocol::Auto: return "auto-detected";
  }
  return "";
}

// The ALPN lists istiod matches on (without PILOT_HTTP10).
constexpr uint16_t kPlaintextHttp = alpnBit(Alpn::Http11) | alpnBit(Alpn::H2c);
constexpr uint16_t kMtlsHttp = alpnBit(Alpn::IstioHttp10) | alpnBit(Alpn::IstioHttp11) | alpnBit(Alpn::IstioH2);
constexpr uint16_t kMtlsTcp = alpnBit(Alpn::IstioPeerExchange) | alpnBit(Alpn::Istio);
constexpr uint16_t kAllIstio = kMtlsHttp | kMtlsTcp;

/// One filter chain of a port: HTTP connection manager or tcp_proxy, its match, and whether it
/// terminates (m)TLS (istiod's FilterChainMatchOptions).
struct ChainOption {
  bool http;
  uint16_t alpn;
  bool tls_transport;
  bool terminate;
  const char* what;
};

/// istiod's getFilterChainMatchOptions: the chains of a port for its mTLS mode and protocol.
std::vector<ChainOption> chainOptions(MtlsMode mode, ListenerProtocol lp) {
  switch (lp) {
    case ListenerProtocol::Http:
      if (mode == MtlsMode::Strict) return {{true, 0, true, true, "HTTP over Istio mTLS"}};
      if (mode == MtlsMode::Permissive) {
        return {{true, kAllIstio, true, true, "HTTP over Istio mTLS"}, {true, 0, false, false, "plaintext HTTP"}};
      }
      return {{true, 0, false, false, "plaintext HTTP"}};
    case ListenerProtocol::Auto:
      if (mode == MtlsMode::Strict) {
        return {{true, kMtlsHttp, true, true, "HTTP over Istio mTLS"}, {false, 0, true, true, "TCP over Istio mTLS"}};
      }
      if (mode == MtlsMode::Permissive) {
        return {{true, kMtlsHttp, true, true, "HTTP over Istio mTLS"},
                {true, kPlaintextHttp, false, false, "plaintext HTTP"},
                {false, kMtlsTcp, true, true, "TCP over Istio mTLS"},
                {false, 0, false, false, "plaintext TCP"},
                {false, 0, true, false, "TLS not terminated (the client's own)"}};
      }
      return {{true, kPlaintextHttp, false, false, "plaintext HTTP"}, {false, 0, false, false, "plaintext TCP"}};
    case ListenerProtocol::Tcp:
      if (mode == MtlsMode::Strict) return {{false, 0, true, true, "TCP over Istio mTLS"}};
      if (mode == MtlsMode::Permissive) {
        return {{false, kAllIstio, true, true, "TCP over Istio mTLS"},
                {false, 0, false, false, "plaintext TCP"},
                {false, 0, true, false, "TLS not terminated (the client's own)"}};
      }
      return {{false, 0, false, false, "plaintext TCP"}};
  }
  return {};
}

using model::labelsSubset;

/// A global unicast IPv4 address (istiod binds Sidecar ingress listeners to it).
bool globalUnicast(std::string_view ip) {
  uint32_t parts[4] = {0, 0, 0, 0};
  int n = 0, digits = 0;
  for (char c : ip) {
    if (c == '.') {
      if (digits == 0 || ++n > 3) return false;
      digits = 0;
    } else if (c >= '0' && c <= '9' && digits < 3) {
      parts[n] = parts[n] * 10 + static_cast<uint32_t>(c - '0');
      ++digits;
    } else {
      return false;
    }
  }
  if (n != 3 || digits == 0 || parts[0] > 255 || parts[1] > 255 || parts[2] > 255 || parts[3] > 255) return false;
  return parts[0] != 0 && parts[0] != 127 && parts[0] < 224 && !(parts[0] == 169 && parts[1] == 254);
}

/// istiod's inboundChainConfig: one workload port and what declares it.
struct InboundPort {
  uint32_t port = 0;          // the target port: where the application listens
  uint32_t service_port = 0;  // names the virtual host (inbound|http|<service port>)
  PortProtocol protocol = PortProtocol::Auto;
  std::string bind;
  std::string what;  // "Service ns/name port 80 (http)", "Sidecar ns/name ingress port 8080"
  model::Span span;
  const model::Resource* service = nullptr;
  const model::ServerTls* tls = nullptr;  // Sidecar ingress tls, when it takes effect
  std::string endpoint;                   // Sidecar ingress defaultEndpoint
};

class InboundBuilder {
 public:
  InboundBuilder(const BuildContext& ctx, Proxy& p) : ctx_(ctx), p_(p) {}

  void build() {
    policy_ = composePeerAuthentication(ctx_.graph, ctx_.root_ns, p_.id.ns, p_.id.labels);
    sc_ = static_cast<const model::Sidecar*>(p_.sidecar);
    has_ingress_ = sc_ != nullptr && !sc_->ingress.empty();
    ports_ = has_ingress_ ? sidecarPorts(*sc_) : servicePorts();
    std::stable_sort(ports_.begin(), ports_.end(), [](const auto& a, const auto& b) { return a.port < b.port; });

    Listener l;
    l.name = "virtualInbound";
    l.address = "0.0.0.0";
    l.port = 15006;
    l.per_port_inspectors = true;
    FilterChain bh;
    bh.name = "virtualInbound-blackhole";
    bh.destination_port = 15006;
    bh.tcp.push_back({ctx_.special(p_, Cluster::Kind::BlackHole), 0, nullptr});
    bh.why = "direct connection to the proxy's capture port 15006 (loop prevention)";
    l.chains.push_back(std::move(bh));
    passthroughChains(l, policy_.workload, 0);
    for (const PeerAuthPolicy::Setting& s : policy_.per_port) {
      if (declared(s.port)) continue;  // the port's own chains carry its mode
      passthroughChains(l, s, s.port);
    }
    for (const InboundPort& ip : ports_) portChains(l, ip);
    uint32_t idx = static_cast<uint32_t>(p_.listeners.size());
    p_.listeners_by_port[15006].push_back(idx);
    p_.listeners.push_back(std::move(l));
    p_.virtual_inbound = static_cast<int>(idx);
  }

 private:
  bool declared(uint32_t port) const {
    if (has_ingress_) {
      for (const auto& in : sc_->ingress) {
        if (in.port == port) return true;
      }
      return false;
    }
    return std::any_of(ports_.begin(), ports_.end(), [&](const InboundPort& ip) { return ip.port == port; });
  }

  /// The ports of the Services and ServiceEntries that select this workload (istiod's service
  /// targets): Services by selector, ServiceEntries by workloadSelector or by an endpoint at the
  /// pod IP, all in the workload's namespace. The first declaration of a target port wins.
  std::vector<InboundPort> servicePorts() const {
    std::vector<InboundPort> out;
    const auto* workload = dynamic_cast<const model::Workload*>(p_.id.workload);
    for (const ServiceInfo& s : ctx_.registry.all()) {
      if (s.kube) {
        const auto& svc = static_cast<const model::Service&>(*s.resource);
        if (svc.ns() != p_.id.ns || !svc.selector || svc.selector->empty() || !labelsSubset(*svc.selector, p_.id.labels)) {
          continue;
        }
        for (size_t i = 0; i < s.ports.size() && i < svc.ports.size(); ++i) {
          uint32_t target = targetPort(svc.ports[i], workload);
          if (target == 0) continue;
          add(out, s, s.ports[i], target, svc.ports[i].span);
        }
      } else {
        // Ports of ServiceEntries merged into one host keep the entry that declares them.
        for (const ServicePortInfo& sp : s.ports) {
          const auto& se = static_cast<const model::ServiceEntry&>(sp.origin ? *sp.origin : *s.resource);
          bool selects = se.ns() == p_.id.ns && se.workload_selector && !se.workload_selector->empty() &&
                         labelsSubset(*se.workload_selector, p_.id.labels);
          selects = selects || (se.ns() == p_.id.ns && !p_.id.ip.empty() &&
                                std::find(se.endpoint_addresses.begin(), se.endpoint_addresses.end(), p_.id.ip) !=
                                    se.endpoint_addresses.end());
          if (selects) add(out, s, sp, sp.target_port != 0 ? sp.target_port : sp.number, sp.span);
        }
      }
    }
    return out;
  }

  void add(std::vector<InboundPort>& out, const ServiceInfo& s, const ServicePortInfo& sp, uint32_t target,
           model::Span span) const {
    if (std::any_of(out.begin(), out.end(), [&](const InboundPort& x) { return x.port == target; })) return;
    InboundPort ip;
    ip.port = target;
    ip.service_port = sp.number;
    ip.protocol = sp.protocol;
    ip.bind = "0.0.0.0";
    const model::Resource* origin = sp.origin != nullptr ? sp.origin : s.resource;
    ip.what = std::string(s.kube ? "Service " : "ServiceEntry ") + origin->ns() + "/" + origin->name() +
              (s.kube ? "" : " (" + s.host + ")") + " port " + std::to_string(sp.number);
    if (target != sp.number) ip.what += " -> " + std::to_string(target);
    ip.span = span.known() ? span : origin->span;
    ip.service = origin;
    out.push_back(std::move(ip));
  }

  /// The Sidecar's ingress listeners replace the Services' ports (PILOT_ALLOW_SIDECAR_SERVICE_
  /// INBOUND_LISTENER_MERGE off). Without `bind` they bind to the pod IP when known.
  std::vector<InboundPort> sidecarPorts(const model::Sidecar& sc) const {
    std::vector<InboundPort> out;
    for (const model::Sidecar::Ingress& in : sc.ingress) {
      if (in.port == 0) continue;
      if (std::any_of(out.begin(), out.end(), [&](const InboundPort& x) { return x.port == in.port; })) continue;
      InboundPort ip;
      ip.port = in.port;
      ip.service_port = in.port;
      ip.protocol = parseIstioProtocol(in.protocol.value);
      ip.bind = !in.bind.empty() ? in.bind.value : globalUnicast(p_.id.ip) ? p_.id.ip : "0.0.0.0";
      ip.what = "Sidecar " + sc.ns() + "/" + sc.name() + " ingress port " + std::to_string(in.port);
      ip.span = in.span;
      ip.endpoint = in.default_endpoint.value;
      if (in.tls && ctx_.sidecar_ingress_tls) {
        ip.tls = &*in.tls;
        ip.protocol = afterTlsTermination(ip.protocol);
      }
      out.push_back(std::move(ip));
    }
    return out;
  }

  const Cluster* inboundCluster(const InboundPort& ip) {
    std::string name = "inbound|" + std::to_string(ip.port) + "||";
    auto& slot = p_.clusters[name];
    if (!slot) {
      slot = std::make_unique<Cluster>();
      slot->kind = Cluster::Kind::Inbound;
      slot->name = name;
      slot->port = ip.port;
      slot->service = ip.service;
      slot->local_endpoint = ip.endpoint;
      if (const auto* w = dynamic_cast<const model::Workload*>(p_.id.workload)) slot->endpoints.push_back(w);
    }
    return slot.get();
  }

  const Cluster* passthroughCluster() {
    auto& slot = p_.clusters["InboundPassthroughCluster"];
    if (!slot) {
      slot = std::make_unique<Cluster>();
      slot->kind = Cluster::Kind::InboundPassthrough;
      slot->name = "InboundPassthroughCluster";
      if (const auto* w = dynamic_cast<const model::Workload*>(p_.id.workload)) slot->endpoints.push_back(w);
    }
    return slot.get();
  }

  /// istiod's buildSidecarInboundHTTPRouteConfig: inline, one `*` virtual host, route "default".
  const RouteConfig* routeConfig(const Cluster* c, uint32_t service_port, model::Span span) {
    RouteConfig& rc = p_.route_configs.emplace_back();
    rc.name = c->name;
    rc.rds = false;
    VirtualHost& v = rc.vhosts.emplace_back();
    v.name = "inbound|http|" + std::to_string(service_port);
    v.domains = {"*"};
    v.span = span;
    Route r;
    r.name = "default";
    r.action = Route::Action::Cluster;
    r.targets.push_back({c, 0, nullptr});
    r.span = span;
    v.routes.push_back(std::move(r));
    rc.index();
    return &rc;
  }

  static void terminate(FilterChain& c, const model::ServerTls* tls) {
    if (tls == nullptr || tls->mode.value == "ISTIO_MUTUAL") {
      c.termination = FilterChain::Termination::IstioMutual;
      c.tls_secret = "default";
      c.require_client_cert = true;
      return;
    }
    const std::string& mode = tls->mode.value;
    c.termination = mode == "MUTUAL" || mode == "OPTIONAL_MUTUAL" ? FilterChain::Termination::Mutual
                                                                   : FilterChain::Termination::Simple;
    c.require_client_cert = mode == "MUTUAL";
    c.tls_secret = !tls->credential_name.empty()
                       ? "kubernetes://" + tls->credential_name.value
                       : "file-cert:" + tls->server_certificate.value + "~" + tls->private_key.value;
  }

  void portChains(Listener& l, const InboundPort& ip) {
    const PeerAuthPolicy::Setting& mtls = policy_.forPort(ip.port);
    // The Sidecar's own TLS applies only where PeerAuthentication disables mTLS.
    const bool user_tls = ip.tls != nullptr && mtls.mode == MtlsMode::Disable;
    ListenerProtocol lp = listenerProtocol(ip.protocol);
    std::vector<ChainOption> opts;
    if (user_tls) {
      opts.push_back({lp == ListenerProtocol::Http, 0, true, true, nullptr});
    } else {
      opts = chainOptions(mtls.mode, lp);
    }
    const Cluster* cluster = inboundCluster(ip);
    const RouteConfig* rc = nullptr;
    std::string head = ip.what + " (" + std::string(protocolWord(ip.protocol)) + ")";
    for (const ChainOption& o : opts) {
      FilterChain c;
      c.name = ip.bind + "_" + std::to_string(ip.port);
      c.destination_port = ip.port;
      c.alpn = o.alpn;
      c.transport = o.tls_transport ? FilterChain::Transport::Tls : FilterChain::Transport::Raw;
      if (o.terminate) terminate(c, user_tls ? ip.tls : nullptr);
      if (o.http) {
        if (rc == nullptr) rc = routeConfig(cluster, ip.service_port, ip.span);
        c.route_config = rc;
      } else {
        c.tcp.push_back({cluster, 0, nullptr});
      }
      if (user_tls) {
        c.why = head + ": " + (o.http ? "HTTP" : "TCP") + " over TLS " + ip.tls->mode.value + " (Sidecar ingress tls)";
      } else {
        c.why = head + ": " + o.what;
      }
      c.span = user_tls ? ip.tls->span : ip.span;
      c.mtls = std::string(mtlsModeName(mtls.mode)) + " from " + mtls.describe();
      c.mtls_span = mtls.span;
      l.chains.push_back(std::move(c));
    }
  }

  void passthroughChains(Listener& l, const PeerAuthPolicy::Setting& mtls, uint32_t port) {
    const Cluster* cluster = passthroughCluster();
    for (const ChainOption& o : chainOptions(mtls.mode, ListenerProtocol::Auto)) {
      FilterChain c;
      c.name = o.http ? "virtualInbound-catchall-http" : "virtualInbound";
      c.destination_port = port;
      c.alpn = o.alpn;
      c.transport = o.tls_transport ? FilterChain::Transport::Tls : FilterChain::Transport::Raw;
      if (o.terminate) terminate(c, nullptr);
      if (o.http) {
        if (passthrough_rc_ == nullptr) passthrough_rc_ = routeConfig(cluster, 0, {});
        c.route_config = passthrough_rc_;
      } else {
        c.tcp.push_back({cluster, 0, nullptr});
      }
      std::string who = has_ingress_ ? "the Sidecar's ingress listeners" : "a Service selecting the workload";
      c.why = (port == 0 ? "passthrough: a port not declared by " + who
                         : "passthrough: port " + std::to_string(port) + " is not declared by " + who) +
              ": " + o.what;
      c.span = has_ingress_ ? sc_->span : model::Span{};
      c.mtls = std::string(mtlsModeName(mtls.mode)) + " from " + mtls.describe();
      c.mtls_span = mtls.span;
      l.chains.push_back(std::move(c));
    }
  }

  const BuildContext& ctx_;
  Proxy& p_;
  PeerAuthPolicy policy_;
  const model::Sidecar* sc_ = nullptr;
  bool has_ingress_ = false;
  std::vector<InboundPort> ports_;
  const RouteConfig* passthrough_rc_ = nullptr;
};

}  // namespace

void buildInbound(const BuildContext& ctx, Proxy& proxy) { InboundBuilder(ctx, proxy).build(); }

}  // namespace istio_lint::simulate
