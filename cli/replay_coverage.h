#pragma once

// Route coverage of `istio-lint replay --coverage` (router_check_tool's idea, on the whole routing
// model): of the routes VirtualServices give the proxies the traffic enters, which ones some
// request took. A route is one entry of one virtual host of one route config of one proxy, so a
// VirtualService rule served on two ports is two routes. Routes Istio generates (a service's
// default route, the REGISTRY_ONLY 502) are not counted, nor those of a virtual host that
// redirects every plaintext request to https (no request can take them).

#include <nlohmann/json.hpp>

#include <map>
#include <ostream>
#include <string>

#include "simulate/trace.h"

namespace istio_lint::cli {

class RouteCoverage {
 public:
  /// Counts the routes of `proxy` (the first time a request enters it) as routes to cover.
  void enter(const simulate::Proxy& proxy, const model::FileTable& files);
  /// Marks the route the entry hop took as covered.
  void hit(const simulate::TraceHop& entry_hop);

  size_t total() const { return routes_.size(); }
  size_t covered() const { return covered_; }
  /// Percent of the routes covered; 100 when there are none.
  double percent() const { return routes_.empty() ? 100.0 : 100.0 * static_cast<double>(covered_) / static_cast<double>(routes_.size()); }

  /// "route coverage: 7 of 9 routes (77.8%)", then each route no request took.
  void printText(std::ostream& out) const;
  nlohmann::json toJson() const;

 private:
  struct RouteInfo {
    std::string description;  // "gateway ns/name: route config X, virtual host Y: ns/vs route (file:line)"
    bool hit = false;
  };
  static std::string key(const std::string& proxy, const std::string& route_config, const std::string& vhost, int index);

  std::map<std::string, bool> proxies_;     // proxy names entered
  std::map<std::string, RouteInfo> routes_;  // by key(), in proxy / route config / vhost / index order
  size_t covered_ = 0;
};

}  // namespace istio_lint::cli
