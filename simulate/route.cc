#include "simulate/route.h"

namespace istio_lint::simulate {
namespace {

/// The value of query parameter `name` in `query` ("a=1&b"), without allocating.
bool queryParam(std::string_view query, std::string_view name, std::string_view& value) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    size_t eq = item.find('=');
    if (item.substr(0, eq) == name) {
      value = eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1);
      return true;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

}  // namespace

bool RouteMatch::matches(const Request& r, std::string_view scheme, std::string_view path,
                         std::string_view query) const {
  if (!this->path.matches(path)) return false;
  for (const HeaderCondition& h : headers) {
    bool present = true;
    std::string_view value;
    if (h.name == ":method") {
      value = r.method;
    } else if (h.name == ":authority") {
      value = r.host;
    } else if (h.name == ":scheme") {
      value = scheme;
    } else if (h.name == ":path") {
      value = r.path;
    } else {
      present = r.hasHeader(h.name);
      value = r.header(h.name);
    }
    if (h.invert) {
      // withoutHeaders: a presence matcher matches when the header is absent; any other matcher
      // treats a missing header as "" and inverts (Envoy treat_missing_header_as_empty).
      if (h.matcher.kind() == StringMatcher::Kind::Present) {
        if (present) return false;
      } else if (h.matcher.matches(present ? value : std::string_view{})) {
        return false;
      }
    } else if (!present || !h.matcher.matches(value)) {
      return false;
    }
  }
  for (const QueryCondition& q : this->query) {
    std::string_view value;
    if (!queryParam(query, q.name, value) || !q.matcher.matches(value)) return false;
  }
  return true;
}

const WeightedCluster* Route::pick(uint64_t random) const {
  if (targets.empty()) return nullptr;
  if (action != Action::Weighted || total_weight == 0) return &targets.front();
  uint64_t r = random % total_weight;
  uint64_t acc = 0;
  for (const WeightedCluster& t : targets) {
    acc += t.weight;
    if (r < acc) return &t;
  }
  return &targets.back();
}

namespace {

bool noOps(const model::Boxed<model::HeaderOps>& ops) {
  return !ops || (ops->set.empty() && ops->add.empty() && ops->remove.empty());
}

}  // namespace

const model::HttpRoute* Route::headerRule() const {
  if (http == nullptr) return nullptr;
  if (noOps(http->request_headers) && noOps(http->response_headers) && delegated_route != nullptr) return delegated_route;
  return http;
}

}  // namespace istio_lint::simulate
