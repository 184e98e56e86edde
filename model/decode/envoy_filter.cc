// Decoder for networking.istio.io EnvoyFilter. Match conditions and patch operations are typed;
// patch values are free-form Envoy configuration and are kept as JSON text (plus their `name`).

#include <map>

#include "model/decode/decode.h"
#include "model/decode/name_checks.h"
#include "model/decode/policy.h"
#include "model/decode/reader.h"
#include "model/resources/extensions.h"

namespace istio_lint::model::decode {
namespace {

using MatchObject = EnvoyConfigPatch::MatchObject;

void readListenerMatch(Reader& r, const Node& l, EnvoyConfigPatch& p) {
  r.known(l, {"portNumber", "portName", "filterChain", "name", "listenerFilter"});
  r.port(l, "portNumber");
  r.str(l, "portName");
  r.str(l, "name");
  r.str(l, "listenerFilter");
  const Node* fc = r.map(l, "filterChain");
  if (fc == nullptr) return;
  auto g = r.field("filterChain");
  r.known(*fc, {"name", "sni", "transportProtocol", "applicationProtocols", "filter", "destinationPort"});
  r.str(*fc, "name");
  r.str(*fc, "sni");
  r.str(*fc, "transportProtocol");
  r.str(*fc, "applicationProtocols");
  r.port(*fc, "destinationPort");
  const Node* f = r.map(*fc, "filter");
  if (f == nullptr) return;
  auto gf = r.field("filter");
  r.known(*f, {"name", "subFilter"});
  p.filter_name = r.strOr(*f, "name");
  if (const Node* sf = r.map(*f, "subFilter")) {
    auto gs = r.field("subFilter");
    r.known(*sf, {"name"});
    p.sub_filter_name = r.strOr(*sf, "name");
  }
}

void readRouteConfigurationMatch(Reader& r, const Node& rc) {
  r.known(rc, {"portNumber", "portName", "gateway", "vhost", "name"});
  r.port(rc, "portNumber");
  r.str(rc, "portName");
  r.str(rc, "gateway");
  r.str(rc, "name");
  const Node* vh = r.map(rc, "vhost");
  if (vh == nullptr) return;
  auto g = r.field("vhost");
  r.known(*vh, {"name", "domainName", "route"});
  r.str(*vh, "name");
  r.str(*vh, "domainName");
  if (const Node* route = r.map(*vh, "route")) {
    auto gr = r.field("route");
    r.known(*route, {"name", "action"});
    r.str(*route, "name");
    r.enumeration(*route, "action", {"ANY", "ROUTE", "REDIRECT", "DIRECT_RESPONSE"});
  }
}

void readClusterMatch(Reader& r, const Node& c) {
  r.known(c, {"portNumber", "service", "subset", "name"});
  r.port(c, "portNumber");
  r.str(c, "service");
  r.str(c, "subset");
  r.str(c, "name");
}

void readMatch(Reader& r, const Node& m, EnvoyConfigPatch& p) {
  r.known(m, {"context", "proxy", "listener", "routeConfiguration", "cluster"});
  p.context = r.enumeration(m, "context", {"ANY", "SIDECAR_INBOUND", "SIDECAR_OUTBOUND", "GATEWAY"}).value_or(Str{});
  if (const Node* proxy = r.map(m, "proxy")) {
    auto g = r.field("proxy");
    r.known(*proxy, {"proxyVersion", "metadata"});
    p.proxy_version = r.strOr(*proxy, "proxyVersion");
    r.labels(*proxy, "metadata");
  }
  int objects = 0;
  if (const Node* l = r.map(m, "listener")) {
    auto g = r.field("listener");
    readListenerMatch(r, *l, p);
    p.match_object = MatchObject::Listener;
    ++objects;
  }
  if (const Node* rc = r.map(m, "routeConfiguration")) {
    auto g = r.field("routeConfiguration");
    readRouteConfigurationMatch(r, *rc);
    p.match_object = MatchObject::RouteConfiguration;
    ++objects;
  }
  if (const Node* c = r.map(m, "cluster")) {
    auto g = r.field("cluster");
    readClusterMatch(r, *c);
    p.match_object = MatchObject::Cluster;
    ++objects;
  }
  if (objects > 1) r.issue(m, "only one of listener, routeConfiguration or cluster can be set");
}

/// Istio rejects a match on one class of Envoy object for a patch that applies to another class.
void checkMatchClass(Reader& r, const Node& n, const EnvoyConfigPatch& p) {
  if (p.match_object == MatchObject::None) return;
  const std::string& a = p.apply_to.value;
  MatchObject want = MatchObject::None;
  const char* cls = "";
  if (a == "LISTENER" || a == "FILTER_CHAIN" || a == "NETWORK_FILTER" || a == "HTTP_FILTER" ||
      a == "LISTENER_FILTER") {
    want = MatchObject::Listener;
    cls = "listener";
  } else if (a == "ROUTE_CONFIGURATION" || a == "VIRTUAL_HOST" || a == "HTTP_ROUTE") {
    want = MatchObject::RouteConfiguration;
    cls = "routeConfiguration";
  } else if (a == "CLUSTER") {
    want = MatchObject::Cluster;
    cls = "cluster";
  }
  if (want != MatchObject::None && p.match_object != want) {
    r.issue(*n.get("match"), "applyTo " + a + " needs a match on " + cls + ", not on another kind of object");
  }
}

/// The current name of a filter written under one of Envoy's deprecated names ("" when `name` is
/// not deprecated). `http` picks the HTTP filter for "envoy.ext_authz", which named both.
std::string currentFilterName(const std::string& name, bool http) {
  static const std::map<std::string, std::string, std::less<>> kNames{
      {"envoy.buffer", "envoy.filters.http.buffer"},
      {"envoy.cors", "envoy.filters.http.cors"},
      {"envoy.csrf", "envoy.filters.http.csrf"},
      {"envoy.http_dynamo_filter", "envoy.filters.http.dynamo"},
      {"envoy.fault", "envoy.filters.http.fault"},
      {"envoy.grpc_http1_bridge", "envoy.filters.http.grpc_http1_bridge"},
      {"envoy.grpc_json_transcoder", "envoy.filters.http.grpc_json_transcoder"},
      {"envoy.grpc_web", "envoy.filters.http.grpc_web"},
      {"envoy.gzip", "envoy.filters.http.gzip"},
      {"envoy.health_check", "envoy.filters.http.health_check"},
      {"envoy.ip_tagging", "envoy.filters.http.ip_tagging"},
      {"envoy.lua", "envoy.filters.http.lua"},
      {"envoy.rate_limit", "envoy.filters.http.ratelimit"},
      {"envoy.router", "envoy.filters.http.router"},
      {"envoy.squash", "envoy.filters.http.squash"},
      {"envoy.listener.http_inspector", "envoy.filters.listener.http_inspector"},
      {"envoy.listener.original_dst", "envoy.filters.listener.original_dst"},
      {"envoy.listener.original_src", "envoy.filters.listener.original_src"},
      {"envoy.listener.proxy_protocol", "envoy.filters.listener.proxy_protocol"},
      {"envoy.listener.tls_inspector", "envoy.filters.listener.tls_inspector"},
      {"envoy.client_ssl_auth", "envoy.filters.network.client_ssl_auth"},
      {"envoy.http_connection_manager", "envoy.filters.network.http_connection_manager"},
      {"envoy.mongo_proxy", "envoy.filters.network.mongo_proxy"},
      {"envoy.ratelimit", "envoy.filters.network.ratelimit"},
      {"envoy.redis_proxy", "envoy.filters.network.redis_proxy"},
      {"envoy.tcp_proxy", "envoy.filters.network.tcp_proxy"},
  };
  if (name == "envoy.ext_authz") return http ? "envoy.filters.http.ext_authz" : "envoy.filters.network.ext_authz";
  auto it = kNames.find(name);
  return it == kNames.end() ? "" : it->second;
}

/// Warns on a filter object of a patch value (an HTTP, network or listener filter, or an extension
/// config) that names the filter without `typed_config`, which Envoy no longer resolves by name.
void warnUntypedFilter(Reader& r, const Node& f) {
  if (!f.isMap()) return;
  for (std::string_view key : {"typed_config", "typedConfig", "config_discovery", "configDiscovery"}) {
    if (const Node* v = f.get(key); v != nullptr && !v->isNull()) return;
  }
  const Node* name = f.get("name");
  std::string n = name != nullptr && name->isScalar() ? name->str() : "";
  r.issue(f, "using deprecated types by name without typed_config" + (n.empty() ? std::string() : "; " + n) +
                 ": Envoy no longer finds filters by name alone; add typed_config with the filter's @type",
          true);
}

/// The filter objects inside a patch value, by what the patch applies to.
void warnUntypedFilters(Reader& r, const Node& value, const std::string& apply_to) {
  auto list = [&](const Node& parent, std::string_view snake, std::string_view camel) {
    const Node* l = parent.get(snake);
    std::string_view key = snake;
    if (l == nullptr) {
      l = parent.get(camel);
      key = camel;
    }
    if (l == nullptr || !l->isSeq()) return;
    auto g = r.field(key);
    for (uint32_t i = 0; i < l->size; ++i) {
      auto gi = r.index(i);
      warnUntypedFilter(r, l->at(i));
    }
  };
  if (apply_to == "HTTP_FILTER" || apply_to == "NETWORK_FILTER" || apply_to == "LISTENER_FILTER" ||
      apply_to == "EXTENSION_CONFIG") {
    warnUntypedFilter(r, value);
  } else if (apply_to == "FILTER_CHAIN") {
    list(value, "filters", "filters");
  } else if (apply_to == "LISTENER") {
    list(value, "listener_filters", "listenerFilters");
    const Node* chains = value.get("filter_chains");
    std::string_view key = "filter_chains";
    if (chains == nullptr) {
      chains = value.get("filterChains");
      key = "filterChains";
    }
    if (chains == nullptr || !chains->isSeq()) return;
    auto g = r.field(key);
    for (uint32_t i = 0; i < chains->size; ++i) {
      if (!chains->at(i).isMap()) continue;
      auto gi = r.index(i);
      list(chains->at(i), "filters", "filters");
    }
  }
}

/// Istio's validation warnings on one config patch: a filter match that LISTENER and FILTER_CHAIN
/// patches ignore, deprecated filter names in the match, filters without typed_config.
void warnPatch(Reader& r, const Node& n, const EnvoyConfigPatch& p) {
  const Node* match = n.get("match");
  const Node* listener = match != nullptr && match->isMap() ? match->get("listener") : nullptr;
  const Node* chain = listener != nullptr && listener->isMap() ? listener->get("filterChain") : nullptr;
  const Node* filter = chain != nullptr && chain->isMap() ? chain->get("filter") : nullptr;
  if (filter != nullptr && filter->isMap()) {
    auto g = r.field("match");
    auto gl = r.field("listener");
    auto gc = r.field("filterChain");
    auto gf = r.field("filter");
    const std::string& a = p.apply_to.value;
    if (a == "LISTENER" || a == "FILTER_CHAIN") {
      r.issue(*filter, "Envoy filter: filter match has no effect when used with " + a +
                           ": the patch applies to every " + (a == "LISTENER" ? "listener" : "filter chain") +
                           " the rest of the match selects; remove the filter match",
              true);
    }
    auto deprecated = [&](const Node& at, const std::string& name, bool http) {
      std::string current = currentFilterName(name, http);
      if (current.empty()) return;
      r.issue(at, "using deprecated filter name \"" + name + "\"; use \"" + current + "\" instead", true);
    };
    if (const Node* name = filter->get("name"); name != nullptr && name->isString()) {
      auto gn = r.field("name");
      deprecated(*name, name->str(), false);
    }
    const Node* sub = filter->get("subFilter");
    if (const Node* name = sub != nullptr && sub->isMap() ? sub->get("name") : nullptr; name && name->isString()) {
      auto gs = r.field("subFilter");
      auto gn = r.field("name");
      deprecated(*name, name->str(), true);
    }
  }
  const Node* patch = n.get("patch");
  const Node* value = patch != nullptr && patch->isMap() ? patch->get("value") : nullptr;
  if (value != nullptr && value->isMap() && p.operation.value != "REMOVE") {
    auto g = r.field("patch");
    auto gv = r.field("value");
    warnUntypedFilters(r, *value, p.apply_to.value);
  }
}

}  // namespace

ResourcePtr decodeEnvoyFilter(Reader& r, const Node& spec) {
  auto ef = std::make_unique<EnvoyFilter>();
  r.known(spec, {"workloadSelector", "targetRefs", "configPatches", "priority"});
  if (const Node* ws = r.map(spec, "workloadSelector")) {
    auto g = r.field("workloadSelector");
    r.known(*ws, {"labels"});
    warnSelectorWithoutLabels(r, *ws, "labels", "EnvoyFilter");
    ef->selector_span = r.span(ws);
    ef->workload_selector = r.labels(*ws, "labels").value_or(Labels{});
  }
  r.each(spec, "targetRefs", [&](const Node& n) {
    PolicyTargetRef t;
    t.span = r.span(n);
    if (!r.requireMap(n)) return;
    r.known(n, {"group", "kind", "name", "namespace"});
    t.group = r.strOr(n, "group");
    t.kind = r.strOr(n, "kind");
    t.name = r.strOr(n, "name");
    t.ns = r.strOr(n, "namespace");
    ef->target_refs.push_back(std::move(t));
  });
  if (ef->workload_selector && !ef->target_refs.empty()) {
    r.issue(*spec.get("workloadSelector"), "only one of workloadSelector or targetRefs can be set");
  }
  ef->priority = r.integer(spec, "priority");
  const Node* patches = spec.get("configPatches");
  if (patches == nullptr || patches->isNull() || (patches->isSeq() && patches->size == 0)) {
    r.issue(spec, "configPatches is required: an EnvoyFilter without patches does nothing");
  }
  r.each(spec, "configPatches", [&](const Node& n) {
    EnvoyConfigPatch p;
    p.span = r.span(n);
    if (!n.isMap()) {
      r.issue(n, "expected a mapping");
      ef->patches.push_back(std::move(p));
      return;
    }
    r.known(n, {"applyTo", "match", "patch"});
    p.apply_to = r.enumeration(n, "applyTo",
                               {"LISTENER", "FILTER_CHAIN", "NETWORK_FILTER", "HTTP_FILTER",
                                "ROUTE_CONFIGURATION", "VIRTUAL_HOST", "HTTP_ROUTE", "CLUSTER",
                                "EXTENSION_CONFIG", "BOOTSTRAP", "LISTENER_FILTER"})
                     .value_or(Str{});
    if (n.get("applyTo") == nullptr || n.get("applyTo")->isNull()) r.issue(n, "applyTo is required");
    if (const Node* m = r.map(n, "match")) {
      auto g = r.field("match");
      p.has_match = true;
      readMatch(r, *m, p);
    }
    if (const Node* patch = r.map(n, "patch")) {
      auto g = r.field("patch");
      p.has_patch = true;
      p.patch_span = r.span(patch);
      r.known(*patch, {"operation", "value", "filterClass"});
      p.operation = r.enumeration(*patch, "operation",
                                  {"MERGE", "ADD", "REMOVE", "INSERT_BEFORE", "INSERT_AFTER",
                                   "INSERT_FIRST", "REPLACE"})
                        .value_or(Str{});
      if (patch->get("operation") == nullptr || patch->get("operation")->isNull()) {
        r.issue(*patch, "operation is required");
      }
      p.filter_class = r.enumeration(*patch, "filterClass", {"UNSPECIFIED", "AUTHN", "AUTHZ", "STATS"}).value_or(Str{});
      if (const Node* v = patch->get("value"); v != nullptr && !v->isNull()) {
        p.has_value = true;
        p.value_span = r.span(v);
        p.value_json = toJson(*v);
        if (!v->isMap()) {
          r.map(*patch, "value");  // reports the wrong type
        } else if (const Node* name = v->get("name"); name != nullptr) {
          p.value_name = Str{toJson(*name), r.span(name)};
        }
      }
      if (!p.has_value && !p.operation.empty() && p.operation.value != "REMOVE") {
        r.issue(*patch, "value is required for operation " + p.operation.value);
      }
    } else if (n.get("patch") == nullptr || n.get("patch")->isNull()) {
      r.issue(n, "patch is required");
    }
    checkMatchClass(r, n, p);
    warnPatch(r, n, p);
    ef->patches.push_back(std::move(p));
  });
  return ef;
}

}  // namespace istio_lint::model::decode
