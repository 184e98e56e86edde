#include <doctest/doctest.h>

#include "tests/simulate/simulate_test_util.h"

namespace istio_lint::testing {
namespace {

using simulate::Error;

/// The ingress gateway workload every test here enters at.
const std::string kIngressWorkload = R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: ingress, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingress}}
  template:
    metadata: {labels: {istio: ingress}}
    spec: {containers: [{name: istio-proxy, image: proxyv2}]}
---
)";

const std::string kGateway = kIngressWorkload + R"(
apiVersion: v1
kind: Service
metadata: {name: ingress, namespace: istio-system}
spec:
  selector: {istio: ingress}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: https, port: 443, targetPort: 8443}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public, namespace: istio-system}
spec:
  selector: {istio: ingress}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["shop.example.com"]
    tls: {httpsRedirect: true}
  - port: {number: 80, name: http2, protocol: HTTP}
    hosts: ["api.example.com"]
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["shop.example.com"]
    tls: {mode: SIMPLE, credentialName: shop-cert}
  - port: {number: 443, name: tls, protocol: TLS}
    hosts: ["db.example.com"]
    tls: {mode: PASSTHROUGH}
---
apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec:
  selector: {app: cart}
  ports: [{name: http, port: 8080}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: shop}
spec:
  hosts: ["shop.example.com", "api.example.com"]
  gateways: ["istio-system/public"]
  http:
  - name: cart
    match: [{uri: {prefix: /api/cart}, headers: {x-canary: {exact: "yes"}}}]
    route:
    - destination: {host: cart, subset: v2}
  - name: split
    match: [{uri: {prefix: /api}}]
    route:
    - destination: {host: cart}
      weight: 90
    - destination: {host: cart, subset: v2}
      weight: 10
  - name: old
    match: [{uri: {exact: /old}}]
    redirect: {uri: /new}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: db, namespace: shop}
spec:
  hosts: ["db.example.com"]
  gateways: ["istio-system/public"]
  tls:
  - match: [{port: 443, sniHosts: ["db.example.com"]}]
    route: [{destination: {host: db.shop.svc.cluster.local, port: {number: 5432}}}]
)";

TEST_CASE("gateway: port translation, vhosts, ordered routes, weights") {
  Mesh m = compile(kGateway);
  const simulate::Proxy* gw = m.model->gatewayProxy("istio-system", "public");
  REQUIRE(gw != nullptr);
  CHECK(gw->id.name == "istio-system/ingress");

  simulate::Request r = http("api.example.com", 8080, "/api/cart");
  simulate::Decision d = simulate::decide(*gw, r);
  REQUIRE(d.error == Error::None);
  CHECK(d.listener->name == "0.0.0.0_8080");
  CHECK(d.route_config->name == "http.8080");
  CHECK(d.virtual_host->name == "api.example.com:80");
  CHECK(d.route->name == "split");  // no x-canary header
  REQUIRE(d.split_count == 2);
  CHECK(d.split[0].cluster->name == "outbound|8080||cart.shop.svc.cluster.local");
  CHECK(d.split[1].cluster->name == "outbound|8080|v2|cart.shop.svc.cluster.local");
  CHECK(d.split[1].cluster->kind == simulate::Cluster::Kind::Missing);  // no DestinationRule subset: 503 NC

  r.has_random = true;
  r.random = 95;  // 95 % 100 falls in the second bucket
  d = simulate::decide(*gw, r);
  CHECK(d.cluster->name == "outbound|8080|v2|cart.shop.svc.cluster.local");

  simulate::Header canary{"x-canary", "yes"};
  r.headers = &canary;
  r.header_count = 1;
  d = simulate::decide(*gw, r);
  CHECK(d.route->name == "cart");

  // Service port 80 is not a listener: the gateway binds the targetPort.
  CHECK(simulate::decide(*gw, http("api.example.com", 80)).error == Error::NoListener);
  CHECK(simulate::decide(*gw, http("api.example.com", 8080, "/nothing")).error == Error::NoRoute);
  CHECK(simulate::decide(*gw, http("other.example.com", 8080)).error == Error::NoVirtualHost);
  CHECK(simulate::decide(*gw, http("shop.example.com", 8080, "/api")).error == Error::TlsRedirect);
}

TEST_CASE("gateway: SNI chains for SIMPLE termination and PASSTHROUGH") {
  Mesh m = compile(kGateway);
  const simulate::Proxy* gw = m.model->gatewayProxy("istio-system", "public");
  REQUIRE(gw != nullptr);
  simulate::Request r = http("shop.example.com", 8443, "/old");
  r.tls = simulate::TlsMode::Tls;
  r.sni = "shop.example.com";
  simulate::Decision d = simulate::decide(*gw, r);
  REQUIRE(d.error == Error::None);
  CHECK(d.route_config->name == "https.443.https.public.istio-system");
  CHECK(d.route->action == simulate::Route::Action::Redirect);

  r.sni = "db.example.com";
  r.protocol = simulate::Protocol::Tcp;
  d = simulate::decide(*gw, r);
  REQUIRE(d.error == Error::None);
  CHECK(d.route_config == nullptr);
  CHECK(d.cluster->name == "outbound|5432||db.shop.svc.cluster.local");

  r.sni = "unknown.example.com";
  CHECK(simulate::decide(*gw, r).error == Error::NoFilterChain);
  r.tls = simulate::TlsMode::Plaintext;
  r.sni = {};
  CHECK(simulate::decide(*gw, r).error == Error::NoFilterChain);
}

// A terminated TLS server takes its tcp_proxy from a VirtualService's `tcp` routes; `tls` routes
// apply there only when the VirtualService is istiod's translation of a Gateway API TLSRoute.
const std::string kTerminatedTls = kIngressWorkload + R"(
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: tls, namespace: istio-system}
spec:
  selector: {istio: ingress}
  servers:
  - port: {number: 443, name: tls-route, protocol: TLS}
    hosts: ["*/route.example.com"]
    tls: {mode: SIMPLE, credentialName: route-cert}
  - port: {number: 443, name: tls-plain, protocol: TLS}
    hosts: ["*/plain.example.com"]
    tls: {mode: SIMPLE, credentialName: plain-cert}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: route
  namespace: default
  annotations: {internal.istio.io/parents: TLSRoute/route.default}
spec:
  hosts: [route.example.com]
  gateways: [istio-system/tls]
  tls:
  - match: [{sniHosts: [route.example.com], port: 443}]
    route: [{destination: {host: route-backend, port: {number: 8080}}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: plain, namespace: default}
spec:
  hosts: [plain.example.com]
  gateways: [istio-system/tls]
  tls:
  - match: [{sniHosts: [plain.example.com], port: 443}]
    route: [{destination: {host: plain-backend, port: {number: 8080}}}]
)";

TEST_CASE("gateway: a terminated TLS server uses a TLSRoute's tls routes, not a plain VirtualService's") {
  Mesh m = compile(kTerminatedTls);
  const simulate::Proxy* gw = m.model->gatewayProxy("istio-system", "tls");
  REQUIRE(gw != nullptr);
  simulate::Request r = http("route.example.com", 443);
  r.protocol = simulate::Protocol::Tcp;
  r.tls = simulate::TlsMode::Tls;
  r.sni = "route.example.com";
  simulate::Decision d = simulate::decide(*gw, r);
  REQUIRE(d.error == Error::None);
  CHECK(d.cluster->name == "outbound|8080||route-backend.default.svc.cluster.local");

  r.host = r.sni = "plain.example.com";
  CHECK(simulate::decide(*gw, r).error == Error::NoFilterChain);
}

TEST_CASE("gateway: a ServiceEntry labelled to disable port translation is skipped when binding") {
  // istiod's resolvePorts reads the label from the service, whichever registry it comes from.
  const std::string yaml = kTerminatedTls + R"(
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: web, namespace: istio-system}
spec:
  selector: {istio: ingress}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*"]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: ingress-entry
  namespace: istio-system
  labels: {experimental.istio.io/disable-gateway-port-translation: "true"}
spec:
  hosts: [ingress.example.com]
  ports: [{number: 80, targetPort: 8081, name: http, protocol: HTTP}]
  resolution: STATIC
  location: MESH_INTERNAL
  workloadSelector: {labels: {istio: ingress}}
)";
  Mesh m = compile(yaml);
  const simulate::Proxy* gw = m.model->gatewayProxy("istio-system", "web");
  REQUIRE(gw != nullptr);
  CHECK(simulate::decide(*gw, http("any.example.com", 80)).error == Error::NoRoute);
  CHECK(simulate::decide(*gw, http("any.example.com", 8081)).error == Error::NoListener);
}

}  // namespace
}  // namespace istio_lint::testing
