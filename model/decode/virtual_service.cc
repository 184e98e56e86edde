#include "model/decode/decode.h"
#include "model/decode/name_checks.h"
#include "model/decode/reader.h"
#include "model/resources/networking.h"

namespace istio_lint::model::decode {
namespace {

/// Warns on gateway references in the legacy `name.namespace[.svc.cluster.local]` form.
void warnLegacyGatewayNames(Reader& r, const Node& parent) {
  const Node* list = parent.get("gateways");
  if (list == nullptr || !list->isSeq()) return;
  auto g = r.field("gateways");
  for (uint32_t i = 0; i < list->size; ++i) {
    if (!list->at(i).isString()) continue;
    std::string name = list->at(i).str();
    size_t dot = name.find('.');
    if (name.find('/') != std::string::npos || dot == std::string::npos) continue;
    size_t end = name.find('.', dot + 1);
    std::string ns = name.substr(dot + 1, end == std::string::npos ? std::string::npos : end - dot - 1);
    if (dot == 0 || ns.empty()) continue;  // not a gateway name at all
    auto gi = r.index(i);
    r.issue(list->at(i), "using legacy gatewayName format \"" + name + "\"; prefer the <namespace>/<name> format: \"" +
                             ns + "/" + name.substr(0, dot) + "\"",
            true);
  }
}

/// The size in bytes of a directResponse body: `string` as written, `bytes` base64-decoded.
size_t bodySize(const Node& body) {
  if (const Node* s = body.get("string"); s != nullptr && s->isScalar()) return s->str().size();
  if (const Node* b = body.get("bytes"); b != nullptr && b->isScalar()) {
    std::string v = b->str();
    size_t pad = 0;
    while (!v.empty() && v.back() == '=') {
      v.pop_back();
      ++pad;
    }
    return v.size() * 3 / 4;
  }
  return 0;
}

/// Istio's validation warnings on an HTTP route: the deprecated mirrorPercent, an abort fault
/// without error type, a direct response body over 100 KiB.
void warnHttpRoute(Reader& r, const Node& n) {
  if (const Node* mp = n.get("mirrorPercent"); mp != nullptr && !mp->isNull()) {
    auto g = r.field("mirrorPercent");
    r.issue(*mp, "using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead "
                 "(mirrorPercentage: {value: N})",
            true);
  }
  const Node* fault = n.get("fault");
  const Node* abort = fault != nullptr && fault->isMap() ? fault->get("abort") : nullptr;
  if (abort != nullptr && abort->isMap() && abort->get("httpStatus") == nullptr &&
      abort->get("grpcStatus") == nullptr && abort->get("http2Error") == nullptr) {
    auto g = r.field("fault");
    auto ga = r.field("abort");
    r.issue(*abort, "abort configured, but error type not set: istiod drops this abort; set httpStatus or "
                    "grpcStatus",
            true);
  }
  const Node* dr = n.get("directResponse");
  const Node* body = dr != nullptr && dr->isMap() ? dr->get("body") : nullptr;
  if (body != nullptr && body->isMap()) {
    size_t size = bodySize(*body);
    if (size > 100 * 1024 && size <= 1024 * 1024) {
      auto g = r.field("directResponse");
      auto gb = r.field("body");
      r.issue(*body, "large direct_responses may impact control plane performance: the body is " +
                         std::to_string(size / 1024) + " KiB and is pushed to every proxy in every route "
                         "update; serve large content from a backend",
              true);
    }
  }
}

StringMatch readStringMatch(Reader& r, const Node& n) {
  StringMatch m;
  m.span = r.span(n);
  if (!n.isMap()) {
    r.issue(n, "expected a mapping with exact, prefix or regex");
    return m;
  }
  r.known(n, {"exact", "prefix", "regex"});
  int set = 0;
  if (auto v = r.str(n, "exact")) { m.type = StringMatch::Type::Exact; m.value = v->value; ++set; }
  if (auto v = r.str(n, "prefix")) { m.type = StringMatch::Type::Prefix; m.value = v->value; ++set; }
  if (auto v = r.str(n, "regex")) { m.type = StringMatch::Type::Regex; m.value = v->value; ++set; }
  if (set > 1) r.issue(n, "only one of exact, prefix or regex may be set");
  return m;
}

void readStringMatchMap(Reader& r, const Node& parent, std::string_view key,
                        std::map<std::string, StringMatch>& out) {
  r.entries(parent, key, [&](std::string_view k, const Node& v) {
    out.emplace(std::string(k), readStringMatch(r, v));
  });
}

Destination readDestination(Reader& r, const Node& n) {
  Destination d;
  d.span = r.span(n);
  if (!r.requireMap(n)) return d;
  r.known(n, {"host", "subset", "port"});
  d.host = r.strOr(n, "host");
  if (!d.host.span.known()) d.host.span = d.span;
  d.subset = r.strOr(n, "subset");
  if (const Node* port = r.map(n, "port")) {
    auto g = r.field("port");
    r.known(*port, {"number"});
    d.port.number = r.port(*port, "number");
    d.port.span = r.span(port);
  }
  return d;
}

/// The operations under `request` or `response`; none (nothing allocated) when it is not given.
Boxed<HeaderOps> readHeaderOps(Reader& r, const Node* n) {
  Boxed<HeaderOps> out;
  if (n == nullptr) return out;
  HeaderOps& ops = out.emplace();
  r.known(*n, {"set", "add", "remove"});
  auto kv = [&](std::string_view key, std::map<std::string, std::string>& into) {
    r.entries(*n, key, [&](std::string_view k, const Node& v) { into.emplace(std::string(k), v.str()); });
  };
  kv("set", ops.set);
  kv("add", ops.add);
  for (Str& s : r.strList(*n, "remove")) ops.remove.push_back(std::move(s.value));
  return out;
}

std::vector<RouteDestination> readRoutes(Reader& r, const Node& parent) {
  std::vector<RouteDestination> out;
  r.each(parent, "route", out, [&](const Node& n) {
    RouteDestination rd;
    rd.span = r.span(n);
    if (!r.requireMap(n)) return;
    r.known(n, {"destination", "weight", "headers"});
    if (const Node* d = n.get("destination")) {
      auto g = r.field("destination");
      rd.destination = readDestination(r, *d);
    } else {
      rd.destination.span = rd.span;
      rd.destination.host.span = rd.span;
    }
    rd.weight = r.integer(n, "weight");
    if (const Node* headers = r.map(n, "headers")) {
      auto g = r.field("headers");
      r.known(*headers, {"request", "response"});
      rd.request_headers = readHeaderOps(r, r.map(*headers, "request"));
      rd.response_headers = readHeaderOps(r, r.map(*headers, "response"));
    }
    out.push_back(std::move(rd));
  });
  return out;
}

HttpMatch readHttpMatch(Reader& r, const Node& n) {
  HttpMatch m;
  m.span = r.span(n);
  if (!r.requireMap(n)) return m;
  r.known(n, {"name", "uri", "scheme", "method", "authority", "headers", "port", "sourceLabels",
              "gateways", "queryParams", "ignoreUriCase", "withoutHeaders", "sourceNamespace",
              "statPrefix"});
  m.name = r.strOr(n, "name");
  auto sm = [&](std::string_view key, StringMatch& out) {
    if (const Node* v = n.get(key)) {
      auto g = r.field(key);
      out = readStringMatch(r, *v);
    }
  };
  sm("uri", m.uri);
  sm("scheme", m.scheme);
  sm("method", m.method);
  sm("authority", m.authority);
  readStringMatchMap(r, n, "headers", m.headers);
  readStringMatchMap(r, n, "withoutHeaders", m.without_headers);
  readStringMatchMap(r, n, "queryParams", m.query_params);
  m.port = r.port(n, "port");
  if (auto l = r.labels(n, "sourceLabels")) m.source_labels = std::move(*l);
  m.gateways = r.strList(n, "gateways");
  warnLegacyGatewayNames(r, n);
  m.source_namespace = r.strOr(n, "sourceNamespace");
  m.ignore_uri_case = r.boolean(n, "ignoreUriCase").value_or(false);
  m.stat_prefix = r.strOr(n, "statPrefix").value;
  return m;
}

HttpRoute readHttpRoute(Reader& r, const Node& n) {
  HttpRoute h;
  h.span = r.span(n);
  if (!r.requireMap(n)) return h;
  r.known(n, {"name", "match", "route", "redirect", "directResponse", "delegate", "rewrite",
              "timeout", "retries", "fault", "mirror", "mirrors", "mirrorPercent", "mirrorPercentage",
              "corsPolicy", "headers"});
  h.name = r.strOr(n, "name");
  r.list(n, "match", h.match, [&](const Node& m) { return readHttpMatch(r, m); });
  h.route = readRoutes(r, n);
  if (const Node* red = r.map(n, "redirect")) {
    auto g = r.field("redirect");
    HttpRedirect x;
    x.span = r.span(red);
    r.known(*red, {"uri", "authority", "port", "derivePort", "scheme", "redirectCode"});
    x.uri = r.strOr(*red, "uri").value;
    x.authority = r.strOr(*red, "authority").value;
    x.scheme = r.strOr(*red, "scheme").value;
    x.port = r.port(*red, "port");
    x.derive_port = r.strOr(*red, "derivePort").value;
    if (auto c = r.integer(*red, "redirectCode")) x.code = static_cast<uint32_t>(*c);
    h.redirect = std::move(x);
  }
  if (const Node* rw = r.map(n, "rewrite")) {
    auto g = r.field("rewrite");
    HttpRewrite x;
    x.span = r.span(rw);
    r.known(*rw, {"uri", "authority", "uriRegexRewrite"});
    x.uri = r.strOr(*rw, "uri").value;
    x.authority = r.strOr(*rw, "authority").value;
    if (const Node* re = r.map(*rw, "uriRegexRewrite")) {
      Str match = r.strOr(*re, "match");
      x.regex_match = match.value;
      x.regex_match_span = match.span;
      x.regex_rewrite = r.strOr(*re, "rewrite").value;
    }
    h.rewrite = std::move(x);
  }
  if (n.get("timeout") != nullptr || n.get("retries") != nullptr) {
    HttpTiming t;
    t.timeout = r.strOr(n, "timeout");
    if (const Node* re = r.map(n, "retries")) {
      auto g = r.field("retries");
      r.known(*re, {"attempts", "perTryTimeout", "retryOn", "retryRemoteLocalities", "retryIgnorePreviousHosts",
                    "backoff"});
      t.has_retries = true;
      t.retries_span = r.span(re);
      t.retry_attempts = r.integer(*re, "attempts");
      t.per_try_timeout = r.strOr(*re, "perTryTimeout");
      t.retry_on = r.strOr(*re, "retryOn");
    }
    h.timing = std::move(t);
  }
  if (const Node* dr = r.map(n, "directResponse")) {
    auto g = r.field("directResponse");
    DirectResponse x;
    x.span = r.span(dr);
    r.known(*dr, {"status", "body"});
    if (auto s = r.integer(*dr, "status")) x.status = static_cast<uint32_t>(*s);
    if (const Node* body = r.map(*dr, "body")) x.body = r.strOr(*body, "string").value;
    h.direct_response = std::move(x);
  }
  if (const Node* mirror = r.map(n, "mirror")) {
    auto g = r.field("mirror");
    h.mirror = readDestination(r, *mirror);
  }
  r.each(n, "mirrors", [&](const Node& m) {
    if (const Node* d = r.map(m, "destination")) {
      auto g = r.field("destination");
      h.mirrors.push_back(readDestination(r, *d));
    }
  });
  if (const Node* mp = n.get("mirrorPercentage"); mp != nullptr && mp->isMap()) {
    if (const Node* v = mp->get("value")) h.mirror_percent = v->asDouble().value_or(100);
  } else if (const Node* mpc = n.get("mirrorPercent"); mpc != nullptr) {
    h.mirror_percent = mpc->asDouble().value_or(100);
  }
  if (const Node* del = r.map(n, "delegate")) {
    h.delegate_name = r.strOr(*del, "name");
    h.delegate_namespace = r.strOr(*del, "namespace");
  }
  if (const Node* headers = r.map(n, "headers")) {
    auto g = r.field("headers");
    r.known(*headers, {"request", "response"});
    h.request_headers = readHeaderOps(r, r.map(*headers, "request"));
    h.response_headers = readHeaderOps(r, r.map(*headers, "response"));
  }
  if (h.route.empty() && !h.redirect && !h.direct_response && n.get("delegate") == nullptr) {
    r.issue(n, "HTTP route needs a route, redirect, directResponse or delegate");
  }
  warnHttpRoute(r, n);
  if (const Node* fault = r.map(n, "fault")) {
    h.has_fault = true;
    HttpFault f;
    f.span = r.span(*fault);
    auto percent = [](const Node& n, double& out) {
      if (const Node* p = n.get("percentage"); p != nullptr && p->isMap()) {
        if (const Node* v = p->get("value")) out = v->asDouble().value_or(out);
      } else if (const Node* d = n.get("percent")) {
        out = d->asDouble().value_or(out);
      }
    };
    if (const Node* abort = fault->get("abort"); abort && abort->isMap()) {
      if (const Node* st = abort->get("httpStatus")) {
        if (auto v = st->asDouble()) f.abort_http_status = static_cast<uint32_t>(*v);
      }
      if (const Node* st = abort->get("grpcStatus"); st && st->isScalar()) f.abort_grpc_status = st->str();
      percent(*abort, f.abort_percent);
    }
    if (const Node* delay = fault->get("delay"); delay && delay->isMap()) {
      if (const Node* fd = delay->get("fixedDelay"); fd && fd->isScalar()) f.delay = fd->str();
      percent(*delay, f.delay_percent);
    }
    h.fault = std::move(f);
    if (const Node* delay = fault->get("delay"); delay && delay->isMap()) {
      h.fault_delay_percent = delay->get("percent") ? delay->get("percent")->asDouble() : std::nullopt;
      if (const Node* p = delay->get("percent")) h.fault_delay_percent_span = r.span(*p);
    }
  }
  return h;
}

L4Route readL4Route(Reader& r, const Node& n, bool tls) {
  L4Route l;
  l.span = r.span(n);
  if (!r.requireMap(n)) return l;
  r.known(n, {"match", "route"});
  r.each(n, "match", [&](const Node& m) {
    L4Match x;
    x.span = r.span(m);
    if (!r.requireMap(m)) return;
    if (tls) {
      r.known(m, {"sniHosts", "destinationSubnets", "port", "sourceLabels", "gateways", "sourceNamespace"});
    } else {
      r.known(m, {"destinationSubnets", "port", "sourceSubnet", "sourceLabels", "gateways", "sourceNamespace"});
    }
    if (tls) x.sni_hosts = r.strList(m, "sniHosts");
    const Node* sni = tls ? m.get("sniHosts") : nullptr;
    for (uint32_t i = 0; sni != nullptr && sni->isSeq() && i < sni->size; ++i) {
      if (!sni->at(i).isString() || !isIpAddress(sni->at(i).str())) continue;
      auto g = r.field("sniHosts");
      auto gi = r.index(i);
      r.issue(sni->at(i), "using an IP address (\"" + sni->at(i).str() + "\") goes against SNI spec and most "
                          "clients do not support this: clients send no SNI for an IP, so match on "
                          "destinationSubnets instead",
              true);
    }
    for (Str& s : r.strList(m, "destinationSubnets")) x.destination_subnets.push_back(s.value);
    if (!tls) x.source_subnet = r.strOr(m, "sourceSubnet").value;
    x.port = r.port(m, "port");
    if (auto lb = r.labels(m, "sourceLabels")) x.source_labels = std::move(*lb);
    x.gateways = r.strList(m, "gateways");
    warnLegacyGatewayNames(r, m);
    x.source_namespace = r.strOr(m, "sourceNamespace");
    l.match.push_back(std::move(x));
  });
  l.route = readRoutes(r, n);
  if (l.route.empty()) r.issue(n, std::string(tls ? "TLS" : "TCP") + " route must have at least one destination");
  return l;
}

}  // namespace

ResourcePtr decodeVirtualService(Reader& r, const Node& spec) {
  auto vs = std::make_unique<VirtualService>();
  r.known(spec, {"hosts", "gateways", "http", "tls", "tcp", "exportTo"});
  vs->hosts = r.strList(spec, "hosts");
  vs->hosts_span = r.span(spec.get("hosts"));
  vs->gateways = r.strList(spec, "gateways");
  warnLegacyGatewayNames(r, spec);
  vs->gateways_span = r.span(spec.get("gateways"));
  vs->export_to = r.strList(spec, "exportTo");
  r.list(spec, "http", vs->http, [&](const Node& n) { return readHttpRoute(r, n); });
  r.list(spec, "tls", vs->tls, [&](const Node& n) { return readL4Route(r, n, true); });
  r.list(spec, "tcp", vs->tcp, [&](const Node& n) { return readL4Route(r, n, false); });
  return vs;
}

}  // namespace istio_lint::model::decode
