#include <doctest/doctest.h>

#include "simulate/trace.h"
#include "tests/simulate/simulate_test_util.h"

namespace istio_lint::testing {
namespace {

const std::string kActions = std::string(kShopWeb) + R"(
apiVersion: v1
kind: Service
metadata: {name: front, namespace: shop}
spec:
  selector: {app: front}
  ports: [{name: http, port: 8080}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: front, namespace: shop}
spec:
  hosts: [front]
  http:
  - match: [{uri: {prefix: /old}}]
    redirect: {uri: /new, derivePort: FROM_REQUEST_PORT, redirectCode: 308}
  - match: [{uri: {prefix: /moved}}]
    redirect: {authority: www.example.com, scheme: https, port: 443}
  - match: [{uri: {prefix: /other-port}}]
    redirect: {port: 9443, scheme: https}
  - match: [{uri: {prefix: /bad}}]
    redirect: {uri: /x, redirectCode: 399}
  - headers:
      request: {set: {x-env: prod}, remove: [x-debug]}
    route:
    - destination: {host: front}
      headers:
        response: {add: {x-served-by: front}}
)";

simulate::TraceHop first(const Mesh& m, std::string_view path) {
  const simulate::Proxy* web = m.model->sidecarProxy("shop", "web");
  REQUIRE(web != nullptr);
  simulate::Trace t = simulate::traceRequest(*m.model, *web, http("front:8080", 8080, path));
  REQUIRE_FALSE(t.hops.empty());
  return t.hops.front();
}

std::string step(const simulate::TraceHop& hop, std::string_view what) {
  std::string out;
  for (const simulate::TraceStep& s : hop.steps) {
    if (s.what == what) out += (out.empty() ? "" : " | ") + s.detail;
  }
  return out;
}

TEST_CASE("redirects: code, derived or explicit port, default ports left out, query kept") {
  Mesh m = compile(kActions);
  CHECK(first(m, "/old/page?a=1").outcome == "redirect 308 http://front:8080/new?a=1");
  CHECK(first(m, "/moved").outcome == "redirect 301 https://www.example.com/moved");
  CHECK(first(m, "/other-port").outcome == "redirect 301 https://front:9443/other-port");
  simulate::TraceHop bad = first(m, "/bad");
  CHECK(bad.error == "invalid route");
  CHECK(step(bad, "error").find("redirectCode 399") != std::string::npos);
}

TEST_CASE("header operations of the route and of the chosen destination are shown") {
  Mesh m = compile(kActions);
  simulate::TraceHop hop = first(m, "/api");
  CHECK(step(hop, "request headers") == "set x-env: prod, remove x-debug");
  CHECK(step(hop, "response headers") == "add x-served-by: front (destination front)");
  CHECK(hop.cluster == "outbound|8080||front.shop.svc.cluster.local");
}

TEST_CASE("a trace with TraceDetail::Outcome decides as a full one, without explaining") {
  Mesh m = compile(kActions);
  const simulate::Proxy* web = m.model->sidecarProxy("shop", "web");
  REQUIRE(web != nullptr);
  for (const char* path : {"/old/page?a=1", "/moved", "/bad", "/api", "/"}) {
    for (const char* host : {"front:8080", "nowhere.example.com"}) {
      INFO(host, path);
      const simulate::Request r = http(host, 8080, path);
      const simulate::Trace full = simulate::traceRequest(*m.model, *web, r);
      const simulate::Trace lean = simulate::traceRequest(*m.model, *web, r, 4, nullptr, simulate::TraceDetail::Outcome);
      REQUIRE(full.hops.size() == lean.hops.size());
      CHECK(full.exit_kind == lean.exit_kind);
      CHECK(full.exit_gateway == lean.exit_gateway);
      for (size_t i = 0; i < full.hops.size(); ++i) {
        const simulate::TraceHop& a = full.hops[i];
        const simulate::TraceHop& b = lean.hops[i];
        CHECK(a.proxy == b.proxy);
        CHECK(a.listener == b.listener);
        CHECK(a.route_config == b.route_config);
        CHECK(a.virtual_host == b.virtual_host);
        CHECK(a.route == b.route);
        CHECK(a.route_index == b.route_index);
        CHECK(a.cluster == b.cluster);
        CHECK(a.split == b.split);
        CHECK(a.tls == b.tls);
        CHECK(a.error == b.error);
        CHECK(a.outcome == b.outcome);
        CHECK(a.vs == b.vs);
        CHECK_FALSE(a.steps.empty());
        CHECK(b.steps.empty());
        CHECK(b.endpoints.empty());
      }
    }
  }
}

}  // namespace
}  // namespace istio_lint::testing
