#pragma once

// Where `serve` sends a cluster's requests: `--upstream CLUSTER=127.0.0.1:PORT` names real servers;
// every other cluster is answered by a built-in upstream that says who it is and what it received.

#include <netinet/in.h>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "serve/route_plan.h"
#include "simulate/cluster.h"

namespace istio_lint::serve {

class UpstreamMap {
 public:
  /// "CLUSTER=HOST:PORT". CLUSTER: a cluster name (outbound|80|v1|reviews.shop.svc.cluster.local),
  /// a service host (all its ports and subsets), or * (every cluster not named otherwise). HOST
  /// must be a loopback IPv4 address (127.x.x.x) or localhost. False with `error` when malformed.
  bool add(std::string_view spec, std::string& error);
  /// The address for a cluster: by its name, then its host, then *; nullopt: built-in.
  std::optional<sockaddr_in> find(const simulate::Cluster& c) const;
  bool empty() const { return by_cluster_.empty() && by_host_.empty() && !any_; }

 private:
  std::unordered_map<std::string, sockaddr_in> by_cluster_, by_host_;
  std::optional<sockaddr_in> any_;
};

/// The built-in upstream's answer: a JSON object naming the cluster (name, service host, port,
/// subset, the workloads behind it) and the request it received (method, path, authority, headers
/// after the route's rewrites and header operations).
std::string builtinResponseBody(const simulate::Cluster& c, std::string_view method, std::string_view target,
                                const HeaderList& headers);

}  // namespace istio_lint::serve
