#include "simulate/build_context.h"

#include <algorithm>

#include "model/ascii.h"
#include "model/gateway_ref.h"
#include "model/host.h"
#include "simulate/delegate.h"

namespace istio_lint::simulate {

bool hostSubsetOf(std::string_view a, std::string_view b) { return model::host::subsetOf(a, b); }
bool hostMatches(std::string_view a, std::string_view b) { return model::host::matches(a, b); }

namespace {

/// Creation time, then name, then namespace (a missing timestamp is the zero time).
template <typename T>
void sortInIstiodOrder(std::vector<const T*>& v) {
  std::stable_sort(v.begin(), v.end(), [&](const T* a, const T* b) {
    const std::string& ta = a->meta.creation_timestamp;
    const std::string& tb = b->meta.creation_timestamp;
    if (ta != tb) return ta < tb;
    if (a->name() != b->name()) return a->name() < b->name();
    return a->ns() < b->ns();
  });
}

}  // namespace

BuildContext::BuildContext(const model::MeshGraph& g, const Registry& r, std::string domain, const IngressConfig* ingress)
    : graph(g), registry(r), short_domain(std::move(domain)), root_ns(g.meshConfig().root_namespace) {
  vs_ = g.typed<model::VirtualService>(model::Kind::VirtualService);
  gw_ = g.typed<model::Gateway>(model::Kind::Gateway);
  if (ingress != nullptr) {
    for (const auto& generated : ingress->virtual_services) vs_.push_back(generated.virtual_service.get());
    for (const auto& generated : ingress->gateways) gw_.push_back(generated.gateway.get());
  }
  sortInIstiodOrder(vs_);
  sortInIstiodOrder(gw_);
  for (const model::DestinationRule* dr : g.typed<model::DestinationRule>(model::Kind::DestinationRule)) {
    drs_by_ns_[dr->ns()].emplace_back(resolve(dr->host.value, dr->ns()), dr);
  }
}

namespace {

/// Calls fn for "" and every suffix of `h` that starts at a dot (".stripe.com", ".com").
template <typename Fn>
void forEachDotSuffix(std::string_view h, Fn&& fn) {
  fn(std::string_view());
  for (size_t i = h.find('.'); i != std::string_view::npos; i = h.find('.', i + 1)) fn(h.substr(i));
}

}  // namespace

void BuildContext::setSidecarHosts(std::vector<std::string> hosts) {
  for (const std::string& h : hosts) {
    if (!model::host::isWildcard(h)) {
      concrete_.insert(h);
      forEachDotSuffix(h, [&](std::string_view sfx) { concrete_suffixes_.emplace(sfx); });
      continue;
    }
    std::string_view y = std::string_view(h).substr(1);
    if (!y.empty() && y[0] != '.') {
      odd_wild_.push_back(h);
      continue;
    }
    wild_.emplace(y);
    forEachDotSuffix(y, [&](std::string_view sfx) { wild_suffixes_.emplace(sfx); });
  }
  sidecar_hosts_ = std::move(hosts);
  for (const model::VirtualService* vs : vs_) {
    bool relevant = false;
    for (const model::Str& h : vs->hosts) relevant = relevant || relevantHost(resolve(h.value, vs->ns()));
    for (const model::L4Route& r : vs->tls) {
      for (const model::L4Match& m : r.match) {
        for (const model::Str& sni : m.sni_hosts) relevant = relevant || relevantHost(sni.value);
      }
    }
    if (relevant) relevant_vs_.insert(vs);
  }
  for (const ServiceInfo& s : registry.all()) {
    if (relevantHost(s.host)) relevant_services_.insert(&s);
  }
}

bool BuildContext::relevantHost(std::string_view host) const {
  if (!sidecar_hosts_) return true;
  for (const std::string& h : odd_wild_) {
    if (hostMatches(host, h)) return true;
  }
  bool found = false;
  if (!model::host::isWildcard(host)) {
    // A concrete name: one of the hosts, or under a wildcard host ("*" included).
    if (concrete_.count(std::string(host)) != 0) return true;
    forEachDotSuffix(host, [&](std::string_view sfx) { found = found || wild_.count(std::string(sfx)) != 0; });
    return found;
  }
  std::string_view x = host.substr(1);
  if (!x.empty() && x[0] != '.') {
    // Not "*.x": compare with every host.
    for (const std::string& h : *sidecar_hosts_) {
      if (hostMatches(host, h)) return true;
    }
    return false;
  }
  // "*.x" (or "*"): a concrete host ending in .x, or a wildcard host whose suffix ends one the
  // other.
  std::string xs(x);
  if (concrete_suffixes_.count(xs) != 0 || wild_suffixes_.count(xs) != 0) return true;
  forEachDotSuffix(x, [&](std::string_view sfx) { found = found || wild_.count(std::string(sfx)) != 0; });
  return found;
}

bool BuildContext::vsVisible(const model::VirtualService& vs, std::string_view ns) {
  if (vs.export_to.empty()) return true;
  for (const model::Str& e : vs.export_to) {
    if (e.value == "*" || e.value == ns || (e.value == "." && vs.ns() == ns)) return true;
  }
  return false;
}

std::vector<std::string> BuildContext::vsGateways(const model::VirtualService& vs) const {
  std::vector<std::string> out;
  for (const model::Str& g : vs.gateways) {
    model::GatewayRef ref = model::resolveGatewayRef(g.value, vs.ns(), graph.domainSuffix());
    out.push_back(ref.mesh ? "mesh" : ref.str());
  }
  if (out.empty()) out.push_back("mesh");
  return out;
}

namespace {

using model::labelsSubset;

bool isCatchAllMatch(const model::HttpMatch& m) {
  using T = model::StringMatch::Type;
  bool uri_all = m.uri.type == T::Any || (m.uri.type == T::Prefix && m.uri.value == "/") ||
                 (m.uri.type == T::Regex && (m.uri.value == "*" || m.uri.value == ".*"));
  return uri_all && m.headers.empty() && m.without_headers.empty() && m.query_params.empty() &&
         m.method.type == T::Any && m.authority.type == T::Any && m.scheme.type == T::Any;
}

}  // namespace

namespace {

/// Copies of `matches` with their gateway names resolved against `ns` ("ns/name" or "mesh"), as
/// istiod resolves short names in each VirtualService before merging delegates.
std::vector<model::HttpMatch> withResolvedGateways(const std::vector<model::HttpMatch>& matches, const std::string& ns,
                                                   std::string_view domain) {
  std::vector<model::HttpMatch> out = matches;
  for (model::HttpMatch& m : out) {
    for (model::Str& g : m.gateways) {
      model::GatewayRef ref = model::resolveGatewayRef(g.value, ns, domain);
      g.value = ref.mesh ? "mesh" : ref.str();
    }
  }
  return out;
}

}  // namespace

const model::VirtualService* BuildContext::delegateOf(const model::VirtualService& root,
                                                      const model::HttpRoute& route) const {
  const std::string& ns = route.delegate_namespace.empty() ? root.ns() : route.delegate_namespace.value;
  const auto* d = static_cast<const model::VirtualService*>(
      graph.find(model::Kind::VirtualService, ns, route.delegate_name.value));
  // Only a VirtualService without hosts is a delegate, and it must be exported to the root's namespace.
  if (d == nullptr || !d->hosts.empty() || !vsVisible(*d, root.ns())) return nullptr;
  return d;
}

std::vector<Route> BuildContext::httpRoutes(Proxy& proxy, const model::VirtualService& vs, uint32_t port,
                                            std::string_view gateway) const {
  std::vector<Route> out;
  // Routes translated from an Ingress or a Gateway API route match prefixes by path segment
  // (istiod's translateRouteMatch: UseIngressSemantics / UseGatewaySemantics).
  const model::Str* semantics = vs.annotation("internal.istio.io/route-semantics");
  const bool path_separated = semantics && (semantics->value == "ingress" || semantics->value == "gateway");
  struct Delegation {
    const model::HttpRoute* root_route;
    const model::VirtualService* delegate;
  };
  // `owner` is the VirtualService the route is written in (a delegate's routes resolve short
  // destination hosts in the delegate's namespace).
  auto translate = [&](const model::HttpRoute& h, const model::HttpMatch* m, const model::VirtualService& owner,
                       const Delegation* via) {
    Route r;
    // A delegated route is named "<root route>-<delegate route>", or whichever of the two has a name.
    r.name = h.name.value;
    if (via != nullptr && !via->root_route->name.empty()) {
      r.name = h.name.empty() ? via->root_route->name.value : via->root_route->name.value + "-" + h.name.value;
    }
    r.http = &h;
    r.http_match = m;
    r.vs = &owner;
    if (via) {
      r.delegated_from = &vs;
      r.delegated_route = via->root_route;
    }
    r.span = m ? m->span : h.span;
    if (m != nullptr) {
      if (!m->name.empty()) r.name = r.name.empty() ? m->name.value : r.name + "." + m->name.value;
      if (path_separated && m->uri.type == model::StringMatch::Type::Prefix && m->uri.value != "/") {
        r.match.path = StringMatcher::pathSeparatedPrefix(m->uri.value, m->ignore_uri_case);
      } else {
        r.match.path = StringMatcher::from(m->uri, m->ignore_uri_case);
      }
      r.match.catch_all = isCatchAllMatch(*m);
      for (const auto& [name, sm] : m->headers) {
        r.match.headers.push_back({model::asciiLower(name), StringMatcher::from(sm), false});
      }
      for (const auto& [name, sm] : m->without_headers) {
        r.match.headers.push_back({model::asciiLower(name), StringMatcher::from(sm), true});
      }
      using T = model::StringMatch::Type;
      if (m->method.type != T::Any) r.match.headers.push_back({":method", StringMatcher::from(m->method), false});
      if (m->authority.type != T::Any) r.match.headers.push_back({":authority", StringMatcher::from(m->authority), false});
      if (m->scheme.type != T::Any) r.match.headers.push_back({":scheme", StringMatcher::from(m->scheme), false});
      for (const auto& [name, sm] : m->query_params) r.match.query.push_back({name, StringMatcher::from(sm)});
    }
    // A delegate route inherits what it leaves unset from the root route (istiod mergeHTTPRoute).
    const model::HttpRoute* root = via ? via->root_route : nullptr;
    const model::DirectResponse* direct = h.direct_response   ? &*h.direct_response
                                          : root && root->direct_response ? &*root->direct_response
                                                                          : nullptr;
    if (h.redirect) {
      r.action = Route::Action::Redirect;
      r.redirect = &*h.redirect;
    } else if (direct) {
      r.action = Route::Action::DirectResponse;
      r.direct_response = direct;
      r.direct_status = direct->status;
    } else if (!h.route.empty()) {
      for (const model::RouteDestination& rd : h.route) {
        uint32_t w = rd.weight ? static_cast<uint32_t>(std::max<int64_t>(0, *rd.weight)) : 0;
        if (h.route.size() > 1 && w == 0) continue;
        r.targets.push_back({destinationCluster(proxy, rd.destination, owner.ns(), port), w, &rd});
        r.total_weight += w;
      }
      r.action = r.targets.size() > 1 ? Route::Action::Weighted : Route::Action::Cluster;
      if (r.targets.empty()) r.action = Route::Action::None;
    } else {
      r.action = Route::Action::None;
    }
    if (h.rewrite) {
      r.rewrite = &*h.rewrite;
    } else if (root && root->rewrite) {
      r.rewrite = &*root->rewrite;
    }
    if (h.fault) {
      r.fault = &*h.fault;
    } else if (root && root->fault) {
      r.fault = &*root->fault;
    }
    // Mirrors written in the root resolve in the root's namespace.
    const bool own_mirrors = h.mirror || !h.mirrors.empty() || root == nullptr;
    const model::HttpRoute& mirror_source = own_mirrors ? h : *root;
    const std::string& mirror_ns = own_mirrors ? owner.ns() : vs.ns();
    if (mirror_source.mirror) r.mirrors.push_back(destinationCluster(proxy, *mirror_source.mirror, mirror_ns, port));
    for (const model::Destination& md : mirror_source.mirrors) {
      r.mirrors.push_back(destinationCluster(proxy, md, mirror_ns, port));
    }
    r.mirror_percent = h.mirror_percent;
    return r;
  };
  const bool is_gateway = gateway != "mesh";
  // The routes of one http route under its match list; true when a catch-all ends the list.
  auto emit = [&](const model::HttpRoute& h, const std::vector<model::HttpMatch>& matches,
                  const model::VirtualService& owner, const Delegation* via) {
    if (matches.empty()) {
      out.push_back(translate(h, nullptr, owner, via));
      return true;
    }
    for (const model::HttpMatch& m : matches) {
      if (m.port && *m.port != port) continue;
      if (!m.gateways.empty()) {
        bool found = false;
        for (const model::Str& g : m.gateways) {
          model::GatewayRef ref = model::resolveGatewayRef(g.value, vs.ns(), graph.domainSuffix());
          if ((ref.mesh && !is_gateway) || (!ref.mesh && ref.str() == gateway)) found = true;
        }
        if (!found) continue;
      } else {
        if (!labelsSubset(m.source_labels, proxy.id.labels)) continue;
        if (!m.source_namespace.empty() && m.source_namespace.value != proxy.id.ns) continue;
      }
      out.push_back(translate(h, &m, owner, via));
      if (out.back().match.catch_all) return true;
    }
    return false;
  };
  for (const model::HttpRoute& h : vs.http) {
    if (h.delegate_name.empty()) {
      if (emit(h, h.match, vs, nullptr)) break;
      continue;
    }
    // A missing or unexported delegate drops only this route.
    const model::VirtualService* d = delegateOf(vs, h);
    if (d == nullptr) continue;
    const Delegation via{&h, d};
    const std::vector<model::HttpMatch> root_matches = withResolvedGateways(h.match, vs.ns(), graph.domainSuffix());
    bool done = false;
    for (const model::HttpRoute& dh : d->http) {
      auto merged = mergeDelegateMatches(root_matches, withResolvedGateways(dh.match, d->ns(), graph.domainSuffix()));
      if (!merged) continue;  // conflicts with every root match: istiod drops it
      const std::vector<model::HttpMatch>& kept = proxy.merged_matches.emplace_back(std::move(*merged));
      if (emit(dh, kept, *d, &via)) {
        done = true;
        break;
      }
    }
    if (done) break;
  }
  return out;
}

const Cluster* BuildContext::destinationCluster(Proxy& proxy, const model::Destination& d, std::string_view vs_ns,
                                                uint32_t port) const {
  std::string host = resolve(d.host.value, vs_ns);
  uint32_t p = port;
  if (d.port.number) {
    p = *d.port.number;
  } else if (const ServiceInfo* s = registry.lookup(host, proxy.id.config_ns); s && s->ports.size() == 1) {
    p = s->ports.front().number;
  }
  return cluster(proxy, host, p, d.subset.value);
}

const Cluster* BuildContext::special(Proxy& proxy, Cluster::Kind kind) const {
  std::string name = kind == Cluster::Kind::Passthrough ? "PassthroughCluster"
                     : kind == Cluster::Kind::DynamicDns ? "AllowAnyDynamicDNSCluster"
                                                         : "BlackHoleCluster";
  auto& slot = proxy.clusters[name];
  if (!slot) {
    slot = std::make_unique<Cluster>();
    slot->kind = kind;
    slot->name = name;
  }
  return slot.get();
}

const Cluster* BuildContext::cluster(Proxy& proxy, const std::string& host, uint32_t port,
                                     const std::string& subset) const {
  std::string name = clusterName(port, subset, host);
  auto& slot = proxy.clusters[name];
  if (slot) return slot.get();
  slot = std::make_unique<Cluster>();
  Cluster& c = *slot;
  c.name = std::move(name);
  c.host = host;
  c.port = port;
  c.subset = subset;
  const ServiceInfo* s = registry.lookup(host, proxy.id.config_ns);
  if (s == nullptr) {
    c.kind = Cluster::Kind::Missing;
    c.missing_reason = "no Service or ServiceEntry for " + host + " is visible from namespace " + proxy.id.config_ns;
    return &c;
  }
  c.service = s->resource;
  c.mesh_external = s->mesh_external;
  const ServicePortInfo* sp = s->port(port);
  if (sp == nullptr) {
    c.kind = Cluster::Kind::Missing;
    c.missing_reason = host + " has no port " + std::to_string(port);
    return &c;
  }
  if (sp->origin != nullptr) c.service = sp->origin;  // merged ServiceEntries: the one declaring the port
  c.destination_rule = destinationRule(proxy, host, s->ns);
  if (!subset.empty()) {
    if (c.destination_rule != nullptr) {
      for (const model::Subset& sub : c.destination_rule->subsets) {
        if (sub.name.value == subset) c.subset_def = &sub;
      }
    }
    if (c.subset_def == nullptr) {
      c.kind = Cluster::Kind::Missing;
      c.missing_reason = c.destination_rule ? "DestinationRule " + c.destination_rule->ns() + "/" +
                                                  c.destination_rule->name() + " defines no subset " + subset
                                            : "no DestinationRule defines subset " + subset + " for " + host;
      return &c;
    }
  }
  if (s->kube) {
    const auto& svc = static_cast<const model::Service&>(*s->resource);
    if (svc.selector && !svc.selector->empty()) {
      model::Labels sel = *svc.selector;
      if (c.subset_def) {
        for (const auto& [k, v] : c.subset_def->labels) sel[k] = v;
      }
      c.endpoints = graph.workloads().select(sel, s->ns, false);
    }
  }
  upstreamTls(proxy, c);
  return &c;
}

const model::DestinationRule* BuildContext::destinationRule(const Proxy& proxy, std::string_view host,
                                                            std::string_view svc_ns) const {
  auto best_in = [&](std::string_view ns) -> const model::DestinationRule* {
    auto it = drs_by_ns_.find(std::string(ns));
    if (it == drs_by_ns_.end()) return nullptr;
    const model::DestinationRule* best = nullptr;
    size_t best_len = 0;
    for (const auto& [h, dr] : it->second) {
      // exportTo: the DR must be visible to the proxy's namespace.
      if (!dr->export_to.empty()) {
        bool vis = false;
        for (const model::Str& e : dr->export_to) {
          vis = vis || e.value == "*" || e.value == proxy.id.config_ns || (e.value == "." && dr->ns() == proxy.id.config_ns);
        }
        if (!vis) continue;
      }
      if (dr->workload_selector && !labelsSubset(*dr->workload_selector, proxy.id.labels)) continue;
      if (h == host) return dr;
      if (model::host::isWildcard(h) && hostSubsetOf(host, h) && (best == nullptr || h.size() > best_len)) {
        best = dr;
        best_len = h.size();
      }
    }
    return best;
  };
  if (auto* dr = best_in(proxy.id.config_ns)) return dr;
  if (auto* dr = best_in(svc_ns)) return dr;
  return best_in(root_ns);
}

void BuildContext::upstreamTls(const Proxy& proxy, Cluster& c) const {
  const model::ClientTls* tls = nullptr;
  auto apply = [&](const model::TrafficPolicy& tp) {
    const model::ClientTls* chosen = tp.tls ? &*tp.tls : nullptr;
    for (const auto& pl : tp.port_level) {
      if (pl.port.number && *pl.port.number == c.port) chosen = pl.tls ? &*pl.tls : nullptr;  // wholesale
    }
    if (chosen) tls = chosen;
  };
  if (c.destination_rule && c.destination_rule->traffic_policy) apply(*c.destination_rule->traffic_policy);
  if (c.subset_def && c.subset_def->traffic_policy) apply(*c.subset_def->traffic_policy);
  if (tls == nullptr) {
    if (!c.mesh_external) {
      c.tls.mode = "ISTIO_MUTUAL";
      c.tls.note = "auto mTLS (to endpoints with an Istio sidecar)";
      c.tls.auto_mtls = true;
      c.tls.sni = "outbound_." + std::to_string(c.port) + "_." + c.subset + "_." + c.host;
    }
    return;
  }
  c.tls.mode = tls->mode.value;
  c.tls.span = tls->span;
  c.tls.sni = tls->sni.value;
  c.tls.credential = tls->credential_name.value;
  if (c.tls.mode == "ISTIO_MUTUAL" && c.tls.sni.empty()) {
    c.tls.sni = "outbound_." + std::to_string(c.port) + "_." + c.subset + "_." + c.host;
  }
  if ((c.tls.mode == "SIMPLE" || c.tls.mode == "MUTUAL") && c.tls.sni.empty()) c.tls.note = "auto SNI (the request Host)";
  if (proxy.id.type == ProxyIdentity::Type::Sidecar && (c.tls.mode == "SIMPLE" || c.tls.mode == "MUTUAL") &&
      !c.tls.credential.empty() && !c.destination_rule->workload_selector) {
    c.tls.note = "credentialName is ignored on sidecars without a workloadSelector: the connection is plaintext";
    c.tls.credential_ignored = true;
  }
}

}  // namespace istio_lint::simulate
