#pragma once

// What `serve` does with one HTTP request, decided before any byte moves: the routing model's
// Decision turned into an answer (a 404, a redirect, a direct response, a fault abort) or a
// forward (the cluster, the path and authority after rewrites, the header operations, the fault
// delay, the timeout and the retry policy). Pure, so every action is tested without sockets.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/resources/networking.h"
#include "simulate/cluster.h"
#include "simulate/request.h"
#include "simulate/route.h"

namespace re2 {
class RE2;
}

namespace istio_lint::serve {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// Retry conditions of Envoy's retry_on that a loopback proxy can see.
enum RetryOn : uint16_t {
  kRetry5xx = 1,                 // 5xx: any 5xx response, a reset, a connect failure, a timed-out try
  kRetryGatewayError = 2,        // gateway-error: 502, 503, 504 (and the same failures)
  kRetryConnectFailure = 4,      // connect-failure
  kRetryReset = 8,               // reset: the upstream closed before a response
  kRetryRetriableStatus = 16,    // retriable-status-codes: 503 (Istio's default list)
  kRetryRetriable4xx = 32,       // retriable-4xx: 409
};
/// Parses istio's retryOn ("5xx,connect-failure"); unknown conditions are ignored (gRPC ones,
/// refused-stream: nothing on HTTP/1.1 raises them).
uint16_t parseRetryOn(std::string_view list);

struct RetryPolicy {
  uint32_t attempts = 0;  // retries after the first try
  uint16_t on = 0;
  int64_t per_try_timeout_us = 0;  // 0: none
  std::vector<uint16_t> status_codes;  // retriable-status-codes
};

struct Plan {
  enum class Kind : uint8_t {
    Respond,  // answer locally: status, headers, body
    Forward,  // to the cluster's upstream
    Close,    // no listener or filter chain takes the connection: close it
  };
  Kind kind = Kind::Respond;
  unsigned status = 0;
  std::string body;
  HeaderList headers;  // Respond: e.g. location
  /// Forward: the cluster, the request target and authority after rewrites.
  const simulate::Cluster* cluster = nullptr;
  std::string target, authority;
  /// Header operations in the order Envoy applies them: the route's, then the destination's.
  std::vector<const model::HeaderOps*> request_ops, response_ops;
  int64_t delay_us = 0;    // fault delay before forwarding
  int64_t timeout_us = 0;  // the route's timeout; 0: none (Istio's default)
  const RetryPolicy* retry = nullptr;  // Forward: the route's (kept by the RouteCache)
  /// For the x-istio-lint-route header and the access log: the route's name ("" when none).
  std::string_view route;
  /// Envoy's response flag when the answer is an error ("NR", "UH", "FI", ...); empty otherwise.
  std::string_view flag;
};

/// What serve derives from a route's text once: its retry policy, its timeout and fault delay in
/// microseconds, its compiled uriRegexRewrite.
struct RouteSettings {
  RetryPolicy retry;
  int64_t timeout_us = 0;
  int64_t delay_us = 0;  // fault.delay.fixedDelay, before its percentage
  std::unique_ptr<re2::RE2> regex;  // null: no regex rewrite, or one that does not compile
  RouteSettings();
  ~RouteSettings();
  RouteSettings(RouteSettings&&) noexcept;
};

/// The settings of the routes a worker has served, each derived on its first request: the
/// model's routes are shared and immutable, the per-request path only looks them up.
class RouteCache {
 public:
  const RouteSettings& get(const simulate::Route& rt);

 private:
  std::unordered_map<const simulate::Route*, RouteSettings> by_route_;
};

/// The plan for request `r` (which entered the listener of `listener_port`) under decision `d`.
/// `r.random` picks weights and fault aborts (in decide()) and fault delays (here). The plan
/// points into `routes`, which must outlive it.
Plan plan(const simulate::Decision& d, const simulate::Request& r, uint32_t listener_port, RouteCache& routes);

/// Applies header operations: remove, then set (replacing), then add (appending).
void applyHeaderOps(const model::HeaderOps& ops, HeaderList& headers);

}  // namespace istio_lint::serve
