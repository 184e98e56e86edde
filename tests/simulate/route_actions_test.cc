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

}  // namespace
}  // namespace istio_lint::testing
