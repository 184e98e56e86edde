#include "serve/route_plan.h"

#include <doctest/doctest.h>

#include <string>

#include "simulate/routing_model.h"
#include "tests/simulate/simulate_test_util.h"
#include "tests/test_util.h"

namespace istio_lint::serve {
namespace {

using istio_lint::testing::compile;
using istio_lint::testing::Mesh;

/// fixtures/serve: one route per action.
struct ServeFixture {
  Mesh mesh = compile(testing::readAll(std::string(ISTIO_LINT_SOURCE_DIR) + "/fixtures/serve/gateway.yaml") + "\n---\n" +
                      testing::readAll(std::string(ISTIO_LINT_SOURCE_DIR) + "/fixtures/serve/backends.yaml"));
  const simulate::Proxy* gw = mesh.model->gatewayProxy("istio-system", "public-gw");
  RouteCache routes;

  Plan route(std::string_view host, std::string_view path, uint64_t random = 0,
             std::vector<simulate::Header> headers = {}) {
    simulate::Request r = testing::http(host, 8080, path);
    r.has_random = true;
    r.random = random;
    r.headers = headers.data();
    r.header_count = static_cast<uint32_t>(headers.size());
    REQUIRE(gw != nullptr);
    return plan(simulate::decide(*gw, r), r, 8080, routes);
  }
};

TEST_CASE("routes forward to their cluster; unknown hosts and paths get 404 NR") {
  ServeFixture f;
  Plan api = f.route("shop.example.com", "/api/items");
  CHECK(api.kind == Plan::Kind::Forward);
  REQUIRE(api.cluster != nullptr);
  CHECK(api.cluster->name == "outbound|80||c1.shop.svc.cluster.local");
  CHECK(api.route == "api");
  CHECK(api.target == "/api/items");
  CHECK(api.authority == "shop.example.com");
  // *.corp.internal: the wildcard virtual host.
  Plan corp = f.route("team.corp.internal", "/");
  REQUIRE(corp.cluster != nullptr);
  CHECK(corp.cluster->name == "outbound|80||c2.shop.svc.cluster.local");
  Plan none = f.route("nowhere.example.com", "/");
  CHECK(none.kind == Plan::Kind::Respond);
  CHECK(none.status == 404);
  CHECK(none.flag == "NR");
}

TEST_CASE("redirects, direct responses and fault aborts are answered locally") {
  ServeFixture f;
  Plan red = f.route("shop.example.com", "/old?q=1");
  CHECK(red.kind == Plan::Kind::Respond);
  CHECK(red.status == 308);
  REQUIRE(red.headers.size() == 1);
  CHECK(red.headers[0] == std::pair<std::string, std::string>{"location", "http://shop.example.com/new?q=1"});
  Plan health = f.route("shop.example.com", "/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == "ok\n");
  Plan tea = f.route("shop.example.com", "/teapot");
  CHECK(tea.status == 418);
  CHECK(tea.flag == "FI");
  CHECK(tea.body == "fault filter abort");
}

TEST_CASE("rewrites: a prefix swaps the matched prefix and keeps the query; a regex rewrites the path") {
  ServeFixture f;
  Plan v2 = f.route("shop.example.com", "/v2/a/b?x=1");
  CHECK(v2.kind == Plan::Kind::Forward);
  CHECK(v2.target == "/api/v2/a/b?x=1");
  CHECK(v2.authority == "c2.internal");
  REQUIRE(v2.request_ops.size() == 1);
  REQUIRE(v2.response_ops.size() == 1);
  Plan items = f.route("shop.example.com", "/items/42");
  CHECK(items.target == "/catalog/42");
}

TEST_CASE("weights pick by the random value; delays, timeouts and retries come from the route") {
  ServeFixture f;
  // 50/50: random % 100 below 50 takes the first destination.
  CHECK(f.route("shop.example.com", "/split", 10).cluster->name == "outbound|80||c1.shop.svc.cluster.local");
  CHECK(f.route("shop.example.com", "/split", 60).cluster->name == "outbound|80||c2.shop.svc.cluster.local");
  Plan slow = f.route("shop.example.com", "/slow");
  CHECK(slow.delay_us == 300000);
  CHECK(slow.timeout_us == 5000000);
  Plan flaky = f.route("shop.example.com", "/flaky");
  REQUIRE(flaky.retry != nullptr);
  CHECK(flaky.retry->attempts == 2);
  CHECK(flaky.retry->on == kRetry5xx);
  // Istio's default without `retries`: 2 attempts on connect failures and 503.
  Plan api = f.route("shop.example.com", "/api");
  REQUIRE(api.retry != nullptr);
  CHECK(api.retry->attempts == 2);
  CHECK(api.retry->on == (kRetryConnectFailure | kRetryRetriableStatus));
  CHECK(api.retry->status_codes == std::vector<uint16_t>{503});
  CHECK(api.timeout_us == 0);
}

TEST_CASE("a route's settings are derived once and shared by its requests") {
  ServeFixture f;
  Plan first = f.route("shop.example.com", "/flaky/1");
  Plan second = f.route("shop.example.com", "/flaky/2");
  REQUIRE(first.retry != nullptr);
  CHECK(first.retry == second.retry);
  CHECK(f.route("shop.example.com", "/api").retry != first.retry);
}

TEST_CASE("retryOn: conditions and status codes") {
  CHECK(parseRetryOn("5xx, gateway-error ,connect-failure,reset,retriable-4xx,unknown") ==
        (kRetry5xx | kRetryGatewayError | kRetryConnectFailure | kRetryReset | kRetryRetriable4xx));
  CHECK(parseRetryOn("") == 0);
}

TEST_CASE("header operations: remove, then set (replacing), then add") {
  model::HeaderOps ops;
  ops.remove = {"X-Drop"};
  ops.set = {{"X-Set", "new"}};
  ops.add = {{"x-add", "2"}};
  HeaderList h{{"x-drop", "1"}, {"x-set", "old"}, {"x-add", "1"}, {"x-keep", "k"}};
  applyHeaderOps(ops, h);
  CHECK(h == HeaderList{{"x-add", "1"}, {"x-keep", "k"}, {"x-set", "new"}, {"x-add", "2"}});
}

TEST_CASE("a route to a subset no DestinationRule defines answers 503 NC") {
  Mesh mesh = compile(R"(
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 8080, name: http, protocol: HTTP}, hosts: ["*"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: istio-system}
spec:
  hosts: ["*"]
  gateways: [gw]
  http: [{route: [{destination: {host: missing.example.com, subset: v9}}]}]
)");
  const simulate::Proxy* gw = mesh.model->gatewayProxy("istio-system", "gw");
  REQUIRE(gw != nullptr);
  RouteCache routes;
  simulate::Request r = testing::http("a.example.com", 8080, "/");
  Plan p = plan(simulate::decide(*gw, r), r, 8080, routes);
  CHECK(p.kind == Plan::Kind::Respond);
  CHECK(p.status == 503);
  CHECK(p.flag == "NC");
}

}  // namespace
}  // namespace istio_lint::serve
