#pragma once

// A YAML file of routing tests for `istio-lint replay --traffic tests.yaml`, in Envoy
// router_check_tool's shape (docs/replay.md, "A file of tests"):
//
//   tests:
//   - name: canary-slice
//     input: {gateway: istio-system/public-gw, authority: shop.example.com, port: 8443, ...}
//     expect: {cluster: "outbound|8080|v2|cart.shop.svc.cluster.local", route: cart}
//
// `input` takes a JSON record's fields (parseTrafficRecord), and router_check's `authority` for
// `host`; `expect` also takes router_check's `cluster_name`, `virtual_host_name` (`vhost`) and
// `route_name`; `test_name` and `validate` stand for `name` and `expect`.

#include <string_view>
#include <utility>
#include <vector>

#include "cli/replay_traffic.h"

namespace istio_lint::cli {

/// Each test paired with its line; a syntax error or a file without `tests` is one Error entry.
std::vector<std::pair<size_t, TrafficLine>> parseTrafficTests(std::string_view yaml, const RequestFields& defaults);

}  // namespace istio_lint::cli
