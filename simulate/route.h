#pragma once

// One Envoy route compiled from one VirtualService http rule and one of its match entries: the
// request conditions (path, headers, query parameters) and the action.

#include <optional>
#include <string>
#include <vector>

#include "model/resources/networking.h"
#include "simulate/request.h"
#include "simulate/string_matcher.h"

namespace istio_lint::simulate {

struct Cluster;

struct HeaderCondition {
  std::string name;  // lower-case; ":method", ":authority", ":scheme" for the pseudo headers
  StringMatcher matcher;
  bool invert = false;  // withoutHeaders
};

struct QueryCondition {
  std::string name;
  StringMatcher matcher;
};

struct RouteMatch {
  StringMatcher path{};  // Present = prefix "/"
  std::vector<HeaderCondition> headers;
  std::vector<QueryCondition> query;
  bool catch_all = true;  // no condition other than prefix "/"
  /// `path` and `query` are the request's path split at the first '?' (done once per request).
  bool matches(const Request& r, std::string_view scheme, std::string_view path, std::string_view query) const;
};

struct WeightedCluster {
  const Cluster* cluster = nullptr;
  uint32_t weight = 0;
  const model::RouteDestination* source = nullptr;
};

struct Route {
  enum class Action : uint8_t { Cluster, Weighted, Redirect, DirectResponse, None };
  std::string name;  // http[].name [. match.name]; "default" for a service without VirtualService
  RouteMatch match;
  Action action = Action::Cluster;
  std::vector<WeightedCluster> targets;  // one for Action::Cluster
  uint32_t total_weight = 0;
  const model::HttpRedirect* redirect = nullptr;
  const model::DirectResponse* direct_response = nullptr;
  uint32_t direct_status = 0;  // direct responses (incl. the REGISTRY_ONLY 502)
  const model::HttpRewrite* rewrite = nullptr;
  const model::HttpFault* fault = nullptr;
  std::vector<const Cluster*> mirrors;
  double mirror_percent = 100;
  const model::HttpRoute* http = nullptr;  // null for generated routes
  const model::HttpMatch* http_match = nullptr;
  const model::VirtualService* vs = nullptr;  // where `http` is written (a delegate's routes: the delegate)
  const model::VirtualService* delegated_from = nullptr;  // the root VirtualService of a delegate route
  const model::HttpRoute* delegated_route = nullptr;      // its http route that names the delegate
  model::Span span;  // the rule (or match) that produced it

  /// Pick a target: Action::Cluster -> the one; Weighted -> by random % total (Envoy).
  const WeightedCluster* pick(uint64_t random) const;
  /// The http rule whose `headers` (request and response operations) apply: this route's own, or,
  /// for a delegate's route that sets none, the root's rule that names the delegate. Null for
  /// generated routes.
  const model::HttpRoute* headerRule() const;
};

}  // namespace istio_lint::simulate
