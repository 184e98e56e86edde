// ModelOptions that narrow the compiled model (gateways, sidecar_ports, sidecar_hosts) leave the
// decisions for the requests they keep exactly as the full model takes them.

#include <doctest/doctest.h>

#include "model/host.h"
#include "simulate/build_context.h"
#include "simulate/trace.h"
#include "tests/simulate/simulate_test_util.h"

namespace istio_lint::testing {
namespace {

const char* kMesh = R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web}]}
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 80}]
---
# A TCP service on 443 without a VIP: its chain takes TLS connections no SNI chain claims.
apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: shop}
spec:
  selector: {app: legacy}
  ports: [{name: tcp-legacy, port: 443}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: legacy, namespace: shop}
spec:
  hosts: [legacy]
  tcp:
  - route: [{destination: {host: reviews, port: {number: 80}}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - route: [{destination: {host: reviews}}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: stripe, namespace: shop}
spec:
  hosts: [api.stripe.com]
  ports: [{number: 443, name: tls, protocol: TLS}]
  resolution: DNS
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: partner, namespace: shop}
spec:
  hosts: ["*.partner.example"]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: NONE
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: partner, namespace: shop}
spec:
  hosts: ["*.partner.example"]
  http:
  - match: [{uri: {prefix: /v2}}]
    route: [{destination: {host: reviews.shop.svc.cluster.local}}]
  - route: [{destination: {host: "*.partner.example"}}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ingress, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*"]
)";

simulate::Request tls(std::string_view sni, uint32_t port) {
  simulate::Request r;
  r.host = sni;
  r.sni = sni;
  r.port = port;
  r.protocol = simulate::Protocol::Tcp;
  r.tls = simulate::TlsMode::Tls;
  return r;
}

/// What a trace decided, hop by hop.
std::string outcome(const simulate::Trace& t) {
  std::string s = t.exit_kind;
  for (const simulate::TraceHop& h : t.hops) s += " | " + h.proxy + " " + h.cluster + " " + h.error + " " + h.outcome;
  return s;
}

TEST_CASE("sidecar_hosts and sidecar_ports keep the decisions for the hosts they name") {
  simulate::ModelOptions full_opts;
  full_opts.sidecars = std::vector<std::string>{"shop/web"};
  Mesh full = compile(kMesh, full_opts);
  simulate::ModelOptions narrow_opts = full_opts;
  narrow_opts.sidecar_ports = std::vector<uint32_t>{80, 443};
  narrow_opts.sidecar_hosts = std::vector<std::string>{"api.stripe.com", "*.partner.example", "unknown.example"};
  narrow_opts.gateways = std::vector<std::string>{};
  Mesh narrow = compile(kMesh, narrow_opts);
  const simulate::Proxy* a = full.model->sidecarProxy("shop", "web");
  const simulate::Proxy* b = narrow.model->sidecarProxy("shop", "web");
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);

  std::vector<simulate::Request> requests{tls("api.stripe.com", 443), tls("unknown.example", 443),
                                          http("api.partner.example", 80), http("api.partner.example", 80, "/v2/x"),
                                          http("unknown.example", 80)};
  for (const simulate::Request& r : requests) {
    CAPTURE(r.host);
    CAPTURE(r.path);
    CHECK(outcome(simulate::traceRequest(*narrow.model, *b, r)) == outcome(simulate::traceRequest(*full.model, *a, r)));
  }
  // The unknown SNI falls to the TCP service's chain in both (kept as a catch-all).
  CHECK(simulate::decide(*b, tls("unknown.example", 443)).cluster->name == "outbound|80||reviews.shop.svc.cluster.local");

  // And the narrow model is narrower: no virtual host for reviews, no gateway proxy.
  const simulate::RouteConfig* rc80 = nullptr;
  for (const simulate::RouteConfig& rc : b->route_configs) {
    if (rc.name == "80") rc80 = &rc;
  }
  REQUIRE(rc80 != nullptr);
  CHECK(rc80->byDomain("reviews.shop.svc.cluster.local") == nullptr);
  CHECK(full.model->gatewayProxy("shop", "ingress") != nullptr);
  CHECK(narrow.model->gatewayProxy("shop", "ingress") == nullptr);
}

TEST_CASE("sidecar_hosts: the host index agrees with host matching") {
  Mesh m = compile("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
  const std::vector<std::string> hosts{"api.stripe.com", "*.partner.example", "*.deep.corp.example", "*odd.example",
                                       "hooks.slack.com"};
  const std::vector<std::string> probes{
      "api.stripe.com",     "stripe.com",        "x.api.stripe.com",   "*.stripe.com",       "*.com",
      "*",                  "a.partner.example", "partner.example",    "*.partner.example",  "*.b.partner.example",
      "*.example",          "x.deep.corp.example", "*.corp.example",   "*.deep.corp.example", "zodd.example",
      "odd.example",        "*dd.example",       "hooks.slack.com",    "*.slack.com",        "other.org",
      "*.org",              "api.stripe.com.evil.org"};
  simulate::BuildContext ctx(*m.graph, m.model->registry(), "cluster.local");
  ctx.setSidecarHosts(hosts);
  for (const std::string& p : probes) {
    bool want = false;
    for (const std::string& h : hosts) want = want || model::host::matches(p, h);
    CAPTURE(p);
    CHECK(ctx.relevantHost(p) == want);
  }
  simulate::BuildContext all(*m.graph, m.model->registry(), "cluster.local");
  all.setSidecarHosts({"*"});
  for (const std::string& p : probes) CHECK(all.relevantHost(p));
}

}  // namespace
}  // namespace istio_lint::testing
