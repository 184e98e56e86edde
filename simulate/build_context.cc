#include "simulate/build_context.h"

#include <algorithm>
#include <unordered_map>

#include "model/gateway_ref.h"
#include "model/host.h"

namespace istio_lint::simulate {

bool hostSubsetOf(std::string_view a, std::string_view b) { return model::host::subsetOf(a, b); }
bool hostMatches(std::string_view a, std::string_view b) { return model::host::matches(a, b); }

namespace {

template <typename T>
std::vector<const T*> inIstiodOrder(const model::MeshGraph& g, model::Kind kind,
                                    const std::unordered_map<const model::Resource*, size_t>& input_pos) {
  std::vector<const T*> out = g.typed<T>(kind);
  // Creation time, then name, then namespace (a missing timestamp is the zero time).
  std::stable_sort(out.begin(), out.end(), [&](const T* a, const T* b) {
    const std::string& ta = a->meta.creation_timestamp;
    const std::string& tb = b->meta.creation_timestamp;
    (void)input_pos;
    if (ta != tb) return ta < tb;
    if (a->name() != b->name()) return a->name() < b->name();
    return a->ns() < b->ns();
  });
  return out;
}

}  // namespace

BuildContext::BuildContext(const model::MeshGraph& g, const Registry& r, std::string domain)
    : graph(g), registry(r), short_domain(std::move(domain)), root_ns(g.meshConfig().root_namespace) {
  std::unordered_map<const model::Resource*, size_t> pos;
  for (size_t i = 0; i < g.all().size(); ++i) pos.emplace(g.all()[i], i);
  vs_ = inIstiodOrder<model::VirtualService>(g, model::Kind::VirtualService, pos);
  gw_ = inIstiodOrder<model::Gateway>(g, model::Kind::Gateway, pos);
  for (const model::DestinationRule* dr : g.typed<model::DestinationRule>(model::Kind::DestinationRule)) {
    drs_by_ns_[dr->ns()].emplace_back(resolve(dr->host.value, dr->ns()), dr);
  }
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

bool labelsSubset(const model::Labels& sel, const model::Labels& labels) {
  for (const auto& [k, v] : sel) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

bool isCatchAllMatch(const model::HttpMatch& m) {
  using T = model::StringMatch::Type;
  bool uri_all = m.uri.type == T::Any || (m.uri.type == T::Prefix && m.uri.value == "/") ||
                 (m.uri.type == T::Regex && (m.uri.value == "*" || m.uri.value == ".*"));
  return uri_all && m.headers.empty() && m.without_headers.empty() && m.query_params.empty() &&
         m.method.type == T::Any && m.authority.type == T::Any && m.scheme.type == T::Any;
}

}  // namespace

std::vector<Route> BuildContext::httpRoutes(Proxy& proxy, const model::VirtualService& vs, uint32_t port,
                                            std::string_view gateway) const {
  std::vector<Route> out;
  auto translate = [&](const model::HttpRoute& h, const model::HttpMatch* m) {
    Route r;
    r.name = h.name.value;
    r.http = &h;
    r.http_match = m;
    r.vs = &vs;
    r.span = m ? m->span : h.span;
    if (m != nullptr) {
      if (!m->name.empty()) r.name = r.name.empty() ? m->name.value : r.name + "." + m->name.value;
      r.match.path = StringMatcher::from(m->uri, m->ignore_uri_case);
      r.match.catch_all = isCatchAllMatch(*m);
      for (const auto& [name, sm] : m->headers) {
        std::string lname = name;
        for (char& c : lname) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.match.headers.push_back({lname, StringMatcher::from(sm), false});
      }
      for (const auto& [name, sm] : m->without_headers) {
        std::string lname = name;
        for (char& c : lname) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.match.headers.push_back({lname, StringMatcher::from(sm), true});
      }
      using T = model::StringMatch::Type;
      if (m->method.type != T::Any) r.match.headers.push_back({":method", StringMatcher::from(m->method), false});
      if (m->authority.type != T::Any) r.match.headers.push_back({":authority", StringMatcher::from(m->authority), false});
      if (m->scheme.type != T::Any) r.match.headers.push_back({":scheme", StringMatcher::from(m->scheme), false});
      for (const auto& [name, sm] : m->query_params) r.match.query.push_back({name, StringMatcher::from(sm)});
    }
    if (h.redirect) {
      r.action = Route::Action::Redirect;
      r.redirect = &*h.redirect;
    } else if (h.direct_response) {
      r.action = Route::Action::DirectResponse;
      r.direct_response = &*h.direct_response;
      r.direct_status = h.direct_response->status;
    } else if (!h.route.empty()) {
      for (const model::RouteDestination& rd : h.route) {
        uint32_t w = rd.weight ? static_cast<uint32_t>(std::max<int64_t>(0, *rd.weight)) : 0;
        if (h.route.size() > 1 && w == 0) continue;
        r.targets.push_back({destinationCluster(proxy, rd.destination, vs.ns(), port), w, &rd});
        r.total_weight += w;
      }
      r.action = r.targets.size() > 1 ? Route::Action::Weighted : Route::Action::Cluster;
      if (r.targets.empty()) r.action = Route::Action::None;
    } else {
      r.action = Route::Action::None;
    }
    if (h.rewrite) r.rewrite = &*h.rewrite;
    if (h.fault) r.fault = &*h.fault;
    if (h.mirror) r.mirrors.push_back(destinationCluster(proxy, *h.mirror, vs.ns(), port));
    for (const model::Destination& md : h.mirrors) r.mirrors.push_back(destinationCluster(proxy, md, vs.ns(), port));
    r.mirror_percent = h.mirror_percent;
    return r;
  };
  const bool is_gateway = gateway != "mesh";
  for (const model::HttpRoute& h : vs.http) {
    bool catch_all = false;
    if (h.match.empty()) {
      out.push_back(translate(h, nullptr));
      catch_all = true;
    } else {
      for (const model::HttpMatch& m : h.match) {
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
        out.push_back(translate(h, &m));
        if (out.back().match.catch_all) {
          catch_all = true;
          break;
        }
      }
    }
    if (catch_all) break;
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
  }
}

}  // namespace istio_lint::simulate
