#include "simulate/trace.h"

#include <cstdio>
#include <optional>

#include "simulate/redirect.h"
#include "simulate/registry.h"

namespace istio_lint::simulate {
namespace {

std::string proxyName(const Proxy& p) { return p.id.name; }

std::string httpRuleWhere(const Route& r) {
  if (r.vs == nullptr) return {};
  std::string s = "VirtualService " + r.vs->ns() + "/" + r.vs->name();
  if (r.http != nullptr) {
    size_t idx = static_cast<size_t>(r.http - r.vs->http.data());
    s += " http[" + std::to_string(idx) + "]";
    if (!r.http->name.empty()) s += " \"" + r.http->name.value + "\"";
  }
  if (r.delegated_from != nullptr && r.delegated_route != nullptr) {
    size_t idx = static_cast<size_t>(r.delegated_route - r.delegated_from->http.data());
    s += " (delegated from VirtualService " + r.delegated_from->ns() + "/" + r.delegated_from->name() + " http[" +
         std::to_string(idx) + "])";
  }
  return s;
}

/// "set a=1, add b=2, remove c"; empty when there is nothing.
std::string headerOpWords(const model::Boxed<model::HeaderOps>& given) {
  std::string s;
  if (!given) return s;
  const model::HeaderOps& ops = *given;
  auto add = [&](const std::string& x) { s += (s.empty() ? "" : ", ") + x; };
  for (const auto& [k, v] : ops.set) add("set " + k + ": " + v);
  for (const auto& [k, v] : ops.add) add("add " + k + ": " + v);
  for (const std::string& k : ops.remove) add("remove " + k);
  return s;
}

bool emptyOps(const model::Boxed<model::HeaderOps>& ops) {
  return !ops || (ops->set.empty() && ops->add.empty() && ops->remove.empty());
}

std::string matchWords(const Route& r) {
  if (r.http_match == nullptr) return "no match conditions (catch-all)";
  std::string s;
  auto add = [&](const std::string& x) { s += (s.empty() ? "" : ", ") + x; };
  if (r.match.path.kind() != StringMatcher::Kind::Present) add("uri " + r.match.path.describe());
  for (const auto& h : r.match.headers) add(std::string(h.invert ? "without header " : "header ") + h.name + " " + h.matcher.describe());
  for (const auto& q : r.match.query) add("query " + q.name + " " + q.matcher.describe());
  return s.empty() ? "match prefix /" : s;
}

/// The hop's cluster, its upstream TLS and the error a special cluster means; with `full`, also
/// the endpoints and the steps that explain them.
void describeCluster(const Cluster& c, bool app_tls, bool full, TraceHop& hop) {
  hop.cluster = c.name;
  hop.subset = c.subset;
  hop.tls = c.tls.mode;
  hop.tls_sni = c.tls.sni;
  switch (c.kind) {
    case Cluster::Kind::Passthrough:
    case Cluster::Kind::DynamicDns: hop.error = "PassthroughCluster"; break;
    case Cluster::Kind::BlackHole: hop.error = "BlackHoleCluster"; break;
    case Cluster::Kind::Missing: hop.error = "503 NC"; break;
    case Cluster::Kind::Inbound:
    case Cluster::Kind::InboundPassthrough:
    case Cluster::Kind::Service: break;
  }
  // Auto mTLS only applies to endpoints labelled security.istio.io/tlsMode=istio (injected
  // sidecars); gateway workloads are not.
  const bool no_auto_mtls = c.kind == Cluster::Kind::Service && c.next_proxy != nullptr && c.tls.auto_mtls;
  if (no_auto_mtls) {
    hop.tls.clear();
    hop.tls_sni.clear();
  }
  if (!full) return;
  for (const model::Workload* w : c.endpoints) hop.endpoints.push_back(w->ns() + "/" + w->name());
  if (c.endpoints.empty() && c.mesh_external) hop.endpoints.push_back(c.host + " (" + (c.service ? static_cast<const model::ServiceEntry*>(c.service)->resolution.value : std::string()) + ")");
  std::string d;
  switch (c.kind) {
    case Cluster::Kind::Passthrough: d = "PassthroughCluster: forwarded to the original destination"; break;
    case Cluster::Kind::DynamicDns:
      d = "AllowAnyDynamicDNSCluster: resolved by DNS and forwarded (ALLOW_ANY_DYNAMIC_DNS)";
      break;
    case Cluster::Kind::BlackHole: d = "BlackHoleCluster: connection dropped"; break;
    case Cluster::Kind::Missing: d = c.name + " does not exist (" + c.missing_reason + ")"; break;
    case Cluster::Kind::Inbound:
      d = c.name + ": the application on port " + std::to_string(c.port);
      if (!c.local_endpoint.empty()) d += " at " + c.local_endpoint;
      break;
    case Cluster::Kind::InboundPassthrough:
      d = "InboundPassthroughCluster: to the port the connection was addressed to (no port-specific chain)";
      break;
    case Cluster::Kind::Service:
      d = c.name;
      if (c.destination_rule) d += " with DestinationRule " + c.destination_rule->ns() + "/" + c.destination_rule->name();
      break;
  }
  hop.steps.push_back({"cluster", d, c.destination_rule ? c.destination_rule->span : (c.service ? c.service->span : model::Span{})});
  if (c.kind == Cluster::Kind::Service) {
    std::string t = c.tls.mode.empty() ? "none" : c.tls.mode;
    if (!c.tls.sni.empty()) t += " sni " + c.tls.sni;
    if (!c.tls.note.empty()) t += " — " + c.tls.note;
    if (no_auto_mtls) t = "none — auto mTLS does not apply to gateway endpoints";
    if (app_tls && (hop.tls.empty())) t += " (the application's own TLS passes through)";
    hop.steps.push_back({"upstream tls", t, c.tls.span});
    std::string e;
    for (const std::string& x : hop.endpoints) e += (e.empty() ? "" : ", ") + x;
    hop.steps.push_back({"endpoints", e.empty() ? "none selected in the inputs" : e, c.service ? c.service->span : model::Span{}});
  }
}

std::string_view connectionWords(const Request& r) {
  if (r.tls == TlsMode::Mtls) return r.isHttp() ? "HTTP over Istio mTLS" : "TCP over Istio mTLS";
  if (r.tls == TlsMode::Tls) return r.isHttp() ? "HTTP over the client's own TLS" : "the client's own TLS";
  return r.isHttp() ? "plaintext HTTP" : "plaintext TCP";
}

/// No inbound chain took the connection: say what the port accepts and which mTLS mode made it so.
void explainInbound(const Listener& l, const Request& r, TraceHop& hop) {
  bool own = false;
  for (const FilterChain& c : l.chains) own = own || c.destination_port == r.port;
  std::string accepts;
  const FilterChain* any = nullptr;
  for (const FilterChain& c : l.chains) {
    if (c.destination_port != (own ? r.port : 0) || c.mtls.empty()) continue;
    any = &c;
    std::string_view w = c.why;
    size_t colon = w.rfind(": ");
    std::string kind(colon == std::string_view::npos ? w : w.substr(colon + 2));
    if (accepts.find(kind) == std::string::npos) accepts += (accepts.empty() ? "" : ", ") + kind;
  }
  if (any == nullptr) return;
  hop.steps.push_back({"filter chain", "none for " + std::string(connectionWords(r)) + " on port " + std::to_string(r.port) +
                                           "; the port accepts: " + accepts,
                       any->span});
  hop.peer_authentication = any->mtls.substr(0, any->mtls.find(' '));
  hop.steps.push_back({"peer authentication", any->mtls, any->mtls_span});
}

}  // namespace

namespace {

/// The request as the proxy at an endpoint of `c` receives it (on `port`): Istio mTLS for
/// ISTIO_MUTUAL (auto mTLS only when the endpoint has a sidecar), the client's TLS for SIMPLE and
/// MUTUAL (unless a sidecar ignores the credential and sends plaintext), otherwise the
/// application's bytes as they left it (plaintext or its own TLS).
Request upstreamRequest(const Request& r, const Cluster& c, uint32_t port, bool endpoint_has_sidecar,
                        std::string& sni_store) {
  Request next = r;
  next.port = port;
  next.address = {};
  if (c.tls.mode == "ISTIO_MUTUAL" && (endpoint_has_sidecar || !c.tls.auto_mtls)) {
    next.tls = TlsMode::Mtls;
    sni_store = c.tls.sni;
    next.sni = sni_store;
  } else if ((c.tls.mode == "SIMPLE" || c.tls.mode == "MUTUAL") && !c.tls.credential_ignored) {
    next.tls = TlsMode::Tls;
    sni_store = c.tls.sni.empty() ? std::string(r.host) : c.tls.sni;
    next.sni = sni_store;
  }
  return next;
}

const model::Workload* deliveryEndpoint(const Cluster& c, const Proxy* deliver_to) {
  if (deliver_to == nullptr) return nullptr;
  for (const model::Workload* w : c.endpoints) {
    if (w == deliver_to->id.workload) return w;
  }
  return nullptr;
}

}  // namespace

Trace traceRequest(const RoutingModel& m, const Proxy& start, const Request& first, int max_hops,
                   const Proxy* deliver_to, TraceDetail detail) {
  const bool full = detail == TraceDetail::Full;
  Trace t;
  const Proxy* proxy = &start;
  Request r = first;
  std::string sni_store;
  for (int i = 0; i < max_hops && proxy != nullptr; ++i) {
    TraceHop& hop = t.hops.emplace_back();
    hop.proxy = proxyName(*proxy);
    hop.proxy_type = proxy->id.type == ProxyIdentity::Type::Gateway ? "gateway" : "sidecar";
    // Sidecars see the destination IP: the VIP of a known host (outbound).
    std::string address(r.address);
    if (address.empty() && proxy->id.type == ProxyIdentity::Type::Sidecar && !r.inbound) {
      if (const ServiceInfo* s = m.registry().lookup(r.host.empty() ? r.sni : r.host, proxy->id.ns)) {
        for (const std::string& a : s->addresses) {
          if (a.find('/') == std::string::npos) address = a;
        }
        if (s->addresses.empty() && proxy->id.dns_auto_allocate) address = s->auto_address;
      }
    }
    Request rr = r;
    rr.address = address;
    Decision d = decide(*proxy, rr);
    if (d.listener) {
      hop.listener = d.listener->name;
      if (full) hop.steps.push_back({"listener", d.listener->name, d.listener->span});
    }
    if (d.chain) {
      hop.filter_chain = d.chain->why;
      if (d.chain->vs != nullptr) {
        hop.vs = d.chain->vs;
        hop.rule_span = d.chain->span;
      }
      hop.filter_chain_name = d.chain->name;
      if (full) {
        std::string sn;
        for (const std::string& s : d.chain->server_names) sn += (sn.empty() ? "" : ",") + s;
        std::string named = r.inbound && !d.chain->name.empty() ? " [" + d.chain->name + "]" : "";
        hop.steps.push_back({"filter chain", d.chain->why + (sn.empty() ? "" : " [sni " + sn + "]") + named, d.chain->span});
      }
      if (!d.chain->mtls.empty()) {
        hop.peer_authentication = d.chain->mtls.substr(0, d.chain->mtls.find(' '));
        if (full) hop.steps.push_back({"peer authentication", d.chain->mtls, d.chain->mtls_span});
      }
    }
    if (d.route_config) {
      hop.route_config = d.route_config->name;
      if (full) hop.steps.push_back({"route config", d.route_config->name + (d.route_config->rds ? "" : " (inline)"), {}});
    }
    if (d.virtual_host) {
      hop.virtual_host = d.virtual_host->name;
      if (full) hop.steps.push_back({"virtual host", d.virtual_host->name, d.virtual_host->span});
    }
    if (d.error != Error::None) {
      hop.error_code = std::string(errorName(d.error));
      hop.error = std::string(errorEnvoyName(d.error));
      if (d.error == Error::TlsRedirect) {
        hop.outcome = "redirect 301 " + httpsRedirectLocation(r);
        if (full) hop.steps.push_back({"https redirect", "tls.httpsRedirect: plaintext requests get 301 to https", d.virtual_host->redirect_span});
      } else {
        if (r.inbound && d.listener != nullptr && d.chain == nullptr) explainInbound(*d.listener, r, hop);
        if (d.error == Error::MtlsError) {
          if (full) hop.steps.push_back({"tls", r.tls == TlsMode::Mtls
                                          ? "the chain does not take Istio mTLS: it terminates TLS with its own certificate "
                                            "(the caller's sidecar expects a mesh identity)"
                                          : "the chain requires Istio mTLS: a client certificate from the mesh",
                               d.chain->span});
        }
        if (full) hop.steps.push_back({"error", hop.error + " (" + hop.error_code + ")", {}});
      }
      break;
    }
    if (d.route) {
      const Route& rt = *d.route;
      hop.route = rt.name.empty() ? "#" : rt.name;
      if (d.virtual_host != nullptr) hop.route_index = static_cast<int>(d.route - d.virtual_host->routes.data());
      if (rt.vs != nullptr) {
        hop.vs = rt.vs;
        hop.rule_span = rt.span;
      }
      if (full) {
        std::string where = httpRuleWhere(rt);
        hop.steps.push_back({"route", (where.empty() ? rt.name : where) + ": " + matchWords(rt), rt.span});
      }
      if (d.fault_abort && rt.fault) {
        hop.outcome = "fault abort " + std::to_string(*rt.fault->abort_http_status);
        if (full) hop.steps.push_back({"fault", hop.outcome, rt.fault->span});
        break;
      }
      if (full && rt.fault && !rt.fault->delay.empty()) hop.steps.push_back({"fault", "delay " + rt.fault->delay, rt.fault->span});
      if (rt.action == Route::Action::Redirect) {
        const auto& red = *rt.redirect;
        const uint32_t code = red.code == 0 ? 301 : red.code;
        if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) {
          hop.error = "invalid route";
          if (full) hop.steps.push_back({"error",
                               "redirectCode " + std::to_string(code) +
                                   " is not one Envoy accepts (301, 302, 303, 307, 308): istiod gives the route no "
                                   "action, and Envoy rejects such a route configuration",
                               red.span});
          break;
        }
        hop.outcome = "redirect " + std::to_string(code) + " " +
                      redirectLocation(red, r, d.listener ? d.listener->port : r.port);
        if (full) hop.steps.push_back({"redirect", hop.outcome, red.span});
        break;
      }
      if (rt.action == Route::Action::DirectResponse) {
        hop.outcome = "direct response " + std::to_string(rt.direct_status);
        if (rt.name == "block_all") {
          hop.error = "502 BlackHole (REGISTRY_ONLY)";
          if (full) hop.steps.push_back({"direct response", "502: host unknown under outboundTrafficPolicy REGISTRY_ONLY (" + proxy->outbound_policy_source + ")", proxy->outbound_policy_span});
        } else {
          if (full) hop.steps.push_back({"direct response", std::to_string(rt.direct_status), rt.direct_response ? rt.direct_response->span : rt.span});
        }
        break;
      }
      if (full && rt.rewrite) {
        std::string w;
        if (!rt.rewrite->uri.empty()) w += "uri " + rt.rewrite->uri;
        if (!rt.rewrite->authority.empty()) w += std::string(w.empty() ? "" : ", ") + "authority " + rt.rewrite->authority;
        if (!rt.rewrite->regex_match.empty()) w += std::string(w.empty() ? "" : ", ") + "regex " + rt.rewrite->regex_match + " -> " + rt.rewrite->regex_rewrite;
        if (full) hop.steps.push_back({"rewrite", w, rt.rewrite->span});
      }
      if (full) {
        for (const Cluster* mc : rt.mirrors) hop.steps.push_back({"mirror", mc->name, rt.span});
      }
      // Header operations: the route's own (a delegate route without any inherits the root's),
      // then the chosen destination's.
      if (const model::HttpRoute* from = full ? rt.headerRule() : nullptr) {
        if (!emptyOps(from->request_headers)) hop.steps.push_back({"request headers", headerOpWords(from->request_headers), from->span});
        if (!emptyOps(from->response_headers)) hop.steps.push_back({"response headers", headerOpWords(from->response_headers), from->span});
      }
      if (full && d.target != nullptr && d.target->source != nullptr) {
        const model::RouteDestination& rd = *d.target->source;
        if (!emptyOps(rd.request_headers)) {
          if (full) hop.steps.push_back({"request headers", headerOpWords(rd.request_headers) + " (destination " + rd.destination.host.value + ")", rd.span});
        }
        if (!emptyOps(rd.response_headers)) {
          if (full) hop.steps.push_back({"response headers", headerOpWords(rd.response_headers) + " (destination " + rd.destination.host.value + ")", rd.span});
        }
      }
      if (rt.action == Route::Action::None) {
        hop.error = "503 NC";
        const bool nested = rt.http != nullptr && !rt.http->delegate_name.empty();
        if (full) hop.steps.push_back({"error",
                             nested ? "route has no destination: it delegates again, and istiod follows only one level of "
                                      "delegation"
                                    : "route has no destination",
                             rt.span});
        break;
      }
    }
    if (d.split != nullptr) {
      std::string s;
      for (uint32_t k = 0; k < d.split_count; ++k) {
        hop.split.emplace_back(d.split[k].cluster->name, d.split[k].weight);
        if (full) s += (s.empty() ? "" : ", ") + d.split[k].cluster->name + " " + std::to_string(d.split[k].weight);
      }
      if (full) hop.steps.push_back({"weighted split", s + " (give --random-value to pick one)", d.route ? d.route->span : model::Span{}});
      t.exit_detail = "weighted split: each cluster is followed separately with --random-value";
      break;
    }
    if (d.cluster == nullptr) break;
    const Cluster& c = *d.cluster;
    hop.final_cluster = &c;
    describeCluster(c, r.tls != TlsMode::Plaintext, full, hop);
    if (c.kind == Cluster::Kind::Passthrough || c.kind == Cluster::Kind::DynamicDns) {
      t.exit_kind = proxy->id.type == ProxyIdentity::Type::Gateway ? "egress-gateway" : "direct";
      if (t.exit_kind == "egress-gateway") t.exit_gateway = proxy->id.name;
      t.exit_detail = "PassthroughCluster to the original destination from " + proxy->id.name;
      hop.outcome = "forwarded";
      break;
    }
    if (c.kind == Cluster::Kind::Inbound || c.kind == Cluster::Kind::InboundPassthrough) {
      hop.outcome = "forwarded";
      std::string who = c.endpoints.empty() ? "the workload" : proxy->id.name;
      t.exit_detail = "delivered to " + who + " on port " + std::to_string(r.port) +
                      (c.kind == Cluster::Kind::InboundPassthrough ? " (passthrough)" : "");
      break;
    }
    if (c.kind != Cluster::Kind::Service) break;
    hop.outcome = "forwarded";
    if (c.next_proxy != nullptr) {
      // Continue at the gateway the Service selects, with the TLS the cluster originates.
      r = upstreamRequest(r, c, c.next_port, false, sni_store);
      proxy = c.next_proxy;
      continue;
    }
    if (const model::Workload* w = deliveryEndpoint(c, deliver_to); w != nullptr && deliver_to != proxy) {
      // Into the sidecar's inbound side (iptables -> virtualInbound), on the workload's port.
      r = upstreamRequest(r, c, endpointPort(c.service, c.port, w), true, sni_store);
      r.inbound = true;
      r.alpn = Alpn::Default;
      proxy = deliver_to;
      continue;
    }
    if (c.mesh_external) {
      if (proxy->id.type == ProxyIdentity::Type::Gateway) {
        t.exit_kind = "egress-gateway";
        t.exit_gateway = proxy->id.name;
        t.exit_detail = c.host + " leaves the mesh through egress gateway " + proxy->id.name;
      } else {
        t.exit_kind = "direct";
        t.exit_detail = c.host + " leaves the mesh directly from the workload " + proxy->id.name;
      }
    } else {
      t.exit_detail = "stays in the mesh";
      if (deliver_to != nullptr) {
        t.exit_detail += "; its endpoints do not include " + proxyName(*deliver_to) + ", so it is not followed there";
      }
    }
    break;
  }
  return t;
}

}  // namespace istio_lint::simulate
