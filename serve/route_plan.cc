#include "serve/route_plan.h"

#include <re2/re2.h>

#include <algorithm>

#include "model/ascii.h"
#include "model/duration.h"
#include "simulate/redirect.h"
#include "simulate/route_config.h"

namespace istio_lint::serve {
namespace {

std::vector<std::string_view> splitList(std::string_view list) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i <= list.size()) {
    size_t j = list.find(',', i);
    if (j == std::string_view::npos) j = list.size();
    std::string_view t = model::trimBlanks(list.substr(i, j - i));
    if (!t.empty()) out.push_back(t);
    i = j + 1;
  }
  return out;
}

/// istiod's retry policy for a route (pilot/pkg/networking/core/route/retry ConvertPolicy):
/// without `retries`, 2 attempts on connect failures and 503; `attempts: 0` (or less) turns
/// retries off; numbers in retryOn are retriable status codes.
RetryPolicy retryPolicy(const model::HttpRoute* http) {
  RetryPolicy p;
  p.attempts = 2;
  p.on = kRetryConnectFailure | kRetryRetriableStatus;
  p.status_codes = {503};
  if (http == nullptr || !http->timing || !http->timing->has_retries) return p;
  const model::HttpTiming& t = *http->timing;
  if (!t.retry_attempts || *t.retry_attempts <= 0) return RetryPolicy{};
  p.attempts = static_cast<uint32_t>(std::min<int64_t>(*t.retry_attempts, 100));
  if (!t.retry_on.value.empty()) {
    p.on = parseRetryOn(t.retry_on.value);
    p.status_codes.clear();
    for (std::string_view c : splitList(t.retry_on.value)) {
      if (c.size() == 3 && std::all_of(c.begin(), c.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
        p.status_codes.push_back(static_cast<uint16_t>((c[0] - '0') * 100 + (c[1] - '0') * 10 + (c[2] - '0')));
        p.on |= kRetryRetriableStatus;
      }
    }
    if (p.status_codes.empty()) p.status_codes = {503};
  }
  if (auto us = model::parseDurationMicros(t.per_try_timeout.value)) p.per_try_timeout_us = *us;
  return p;
}

/// The path after the route's uri rewrite: prefix_rewrite swaps the matched prefix (the whole
/// path for an exact match, "/" when the route has no uri match); the query stays.
std::string prefixRewrite(const simulate::Route& rt, std::string_view path, std::string_view query,
                          std::string_view with) {
  size_t matched = 1;  // "/"
  const simulate::StringMatcher& m = rt.match.path;
  switch (m.kind()) {
    case simulate::StringMatcher::Kind::Exact: matched = path.size(); break;
    case simulate::StringMatcher::Kind::Prefix:
    case simulate::StringMatcher::Kind::PathSeparatedPrefix: matched = std::min(m.value().size(), path.size()); break;
    case simulate::StringMatcher::Kind::Present: matched = path.empty() ? 0 : 1; break;
    case simulate::StringMatcher::Kind::Regex: matched = path.size(); break;
  }
  std::string out(with);
  out += path.substr(matched);
  if (!query.empty()) {
    out += '?';
    out += query;
  }
  return out;
}

void respond(Plan& p, unsigned status, std::string_view flag, std::string body = {}) {
  p.kind = Plan::Kind::Respond;
  p.status = status;
  p.flag = flag;
  p.body = std::move(body);
  if (!p.body.empty()) p.headers.emplace_back("content-type", "text/plain");
}

}  // namespace

uint16_t parseRetryOn(std::string_view list) {
  uint16_t on = 0;
  for (std::string_view c : splitList(list)) {
    if (c == "5xx") on |= kRetry5xx;
    else if (c == "gateway-error") on |= kRetryGatewayError;
    else if (c == "connect-failure") on |= kRetryConnectFailure;
    else if (c == "reset") on |= kRetryReset;
    else if (c == "retriable-status-codes") on |= kRetryRetriableStatus;
    else if (c == "retriable-4xx") on |= kRetryRetriable4xx;
  }
  return on;
}

RouteSettings::RouteSettings() = default;
RouteSettings::~RouteSettings() = default;
RouteSettings::RouteSettings(RouteSettings&&) noexcept = default;

const RouteSettings& RouteCache::get(const simulate::Route& rt) {
  auto [it, fresh] = by_route_.try_emplace(&rt);
  if (!fresh) return it->second;
  RouteSettings& s = it->second;
  s.retry = retryPolicy(rt.http);
  if (rt.http != nullptr && rt.http->timing) {
    s.timeout_us = model::parseDurationMicros(rt.http->timing->timeout.value).value_or(0);
  }
  if (rt.fault != nullptr && !rt.fault->delay.empty()) {
    s.delay_us = model::parseDurationMicros(rt.fault->delay).value_or(0);
  }
  if (rt.rewrite != nullptr && rt.rewrite->uri.empty() && !rt.rewrite->regex_match.empty()) {
    re2::RE2::Options o;
    o.set_log_errors(false);
    auto re = std::make_unique<re2::RE2>(rt.rewrite->regex_match, o);
    if (re->ok()) s.regex = std::move(re);
  }
  return s;
}

void applyHeaderOps(const model::HeaderOps& ops, HeaderList& headers) {
  auto erase = [&](std::string_view name) {
    std::string lower = model::asciiLower(name);
    std::erase_if(headers, [&](const auto& h) { return h.first == lower; });
    return lower;
  };
  for (const std::string& k : ops.remove) erase(k);
  for (const auto& [k, v] : ops.set) headers.emplace_back(erase(k), v);
  for (const auto& [k, v] : ops.add) headers.emplace_back(model::asciiLower(k), v);
}

Plan plan(const simulate::Decision& d, const simulate::Request& r, uint32_t listener_port, RouteCache& routes) {
  using simulate::Error;
  Plan p;
  if (d.route != nullptr) p.route = d.route->name;
  switch (d.error) {
    case Error::None: break;
    case Error::NoVirtualHost:
    case Error::NoRoute: respond(p, 404, "NR"); return p;
    case Error::TlsRedirect:
      respond(p, 301, "");
      p.headers.emplace_back("location", simulate::httpsRedirectLocation(r));
      return p;
    case Error::NoListener:
    case Error::NoFilterChain:
    case Error::MultipleFilterChain:
    case Error::TlsError:
    case Error::MtlsError:
    case Error::ProtocolError: p.kind = Plan::Kind::Close; return p;
  }
  if (d.route == nullptr) {
    // A tcp_proxy chain on an HTTP connection: not for serve's HTTP path.
    p.kind = Plan::Kind::Close;
    return p;
  }
  const simulate::Route& rt = *d.route;
  if (d.fault_abort && rt.fault != nullptr) {
    respond(p, *rt.fault->abort_http_status, "FI", "fault filter abort");
    return p;
  }
  switch (rt.action) {
    case simulate::Route::Action::Redirect: {
      const uint32_t code = rt.redirect->code == 0 ? 301 : rt.redirect->code;
      if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) {
        respond(p, 500, "", "route configuration rejected: redirectCode " + std::to_string(code) +
                                " is not one Envoy accepts (301, 302, 303, 307, 308)\n");
        return p;
      }
      respond(p, code, "");
      p.headers.emplace_back("location", simulate::redirectLocation(*rt.redirect, r, listener_port));
      return p;
    }
    case simulate::Route::Action::DirectResponse:
      respond(p, rt.direct_status, "", rt.direct_response != nullptr ? rt.direct_response->body : std::string());
      return p;
    case simulate::Route::Action::None: respond(p, 404, "NR"); return p;
    case simulate::Route::Action::Cluster:
    case simulate::Route::Action::Weighted: break;
  }
  if (d.cluster == nullptr) {
    respond(p, 503, "NC");
    return p;
  }
  switch (d.cluster->kind) {
    case simulate::Cluster::Kind::Missing: respond(p, 503, "NC"); return p;
    case simulate::Cluster::Kind::BlackHole: respond(p, 503, "UH", "no healthy upstream"); return p;
    default: break;
  }
  p.kind = Plan::Kind::Forward;
  p.cluster = d.cluster;
  const RouteSettings& settings = routes.get(rt);

  // Rewrites: the path (prefix or regex), the authority.
  std::string_view path = r.path, query;
  if (size_t q = path.find('?'); q != std::string_view::npos) {
    query = path.substr(q + 1);
    path = path.substr(0, q);
  }
  p.target = std::string(r.path);
  p.authority = std::string(r.host);
  if (const model::HttpRewrite* rw = rt.rewrite) {
    if (!rw->uri.empty()) {
      p.target = prefixRewrite(rt, path, query, rw->uri);
    } else if (settings.regex != nullptr) {
      std::string rewritten(path);
      re2::RE2::GlobalReplace(&rewritten, *settings.regex, rw->regex_rewrite);
      p.target = query.empty() ? rewritten : rewritten + "?" + std::string(query);
    }
    if (!rw->authority.empty()) p.authority = rw->authority;
  }

  // Header operations: the route's (a delegate route without any takes its root's), then the
  // chosen destination's.
  if (const model::HttpRoute* from = rt.headerRule()) {
    if (from->request_headers) p.request_ops.push_back(&*from->request_headers);
    if (from->response_headers) p.response_ops.push_back(&*from->response_headers);
  }
  if (d.target != nullptr && d.target->source != nullptr) {
    if (d.target->source->request_headers) p.request_ops.push_back(&*d.target->source->request_headers);
    if (d.target->source->response_headers) p.response_ops.push_back(&*d.target->source->response_headers);
  }

  // Fault delay (its own draw from the request's random value), timeout, retries.
  if (settings.delay_us > 0) {
    const double pct = rt.fault->delay_percent;
    const bool hit = pct >= 100 || (r.has_random && static_cast<double>((r.random >> 24) % 10000) < pct * 100);
    if (hit) p.delay_us = settings.delay_us;
  }
  p.timeout_us = settings.timeout_us;
  p.retry = &settings.retry;
  return p;
}

}  // namespace istio_lint::serve
