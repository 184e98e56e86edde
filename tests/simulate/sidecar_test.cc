#include <doctest/doctest.h>

#include "simulate/trace.h"
#include "tests/simulate/simulate_test_util.h"

namespace istio_lint::testing {
namespace {

using simulate::Cluster;
using simulate::Error;

const std::string kMesh = std::string(kShopWeb) + R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews-v2, namespace: shop}
spec:
  selector: {matchLabels: {app: reviews, version: v2}}
  template:
    metadata: {labels: {app: reviews, version: v2}}
    spec: {containers: [{name: reviews, image: reviews}]}
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec:
  clusterIP: 10.0.0.5
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews
  subsets:
  - name: v2
    labels: {version: v2}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - match: [{sourceLabels: {app: other}}]
    route: [{destination: {host: reviews, subset: v1}}]
  - route: [{destination: {host: reviews, subset: v2}}]
)";

TEST_CASE("sidecar: mesh VirtualService, DestinationRule subset, endpoints, ALLOW_ANY") {
  Mesh m = compile(kMesh);
  const simulate::Proxy* web = m.model->sidecarProxy("shop", "web");
  REQUIRE(web != nullptr);
  simulate::Decision d = simulate::decide(*web, http("reviews", 9080));
  REQUIRE(d.error == Error::None);
  CHECK(d.route_config->name == "9080");
  CHECK(d.virtual_host->name == "reviews.shop.svc.cluster.local:9080");
  REQUIRE(d.cluster != nullptr);
  // The sourceLabels rule does not apply to web; the catch-all does.
  CHECK(d.cluster->name == "outbound|9080|v2|reviews.shop.svc.cluster.local");
  REQUIRE(d.cluster->endpoints.size() == 1);
  CHECK(d.cluster->endpoints[0]->name() == "reviews-v2");
  CHECK(d.cluster->tls.mode == "ISTIO_MUTUAL");

  d = simulate::decide(*web, http("unknown.example.org", 9080));
  REQUIRE(d.cluster != nullptr);
  CHECK(d.cluster->kind == Cluster::Kind::Passthrough);
  simulate::Request tcp = http("unknown.example.org", 5555);
  tcp.protocol = simulate::Protocol::Tcp;
  d = simulate::decide(*web, tcp);
  CHECK(d.listener->name == "virtualOutbound");
  CHECK(d.cluster->kind == Cluster::Kind::Passthrough);
}

TEST_CASE("sidecar: REGISTRY_ONLY blocks unknown hosts") {
  std::string yaml = std::string(kMesh) + R"(
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: shop}
spec:
  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
)";
  Mesh m = compile(yaml);
  const simulate::Proxy* web = m.model->sidecarProxy("shop", "web");
  REQUIRE(web != nullptr);
  CHECK(web->outbound_policy == "REGISTRY_ONLY");
  simulate::Decision d = simulate::decide(*web, http("unknown.example.org", 9080));
  REQUIRE(d.route != nullptr);
  CHECK(d.route->direct_status == 502);
  simulate::Request tcp = http("unknown.example.org", 5555);
  tcp.protocol = simulate::Protocol::Tcp;
  CHECK(simulate::decide(*web, tcp).cluster->kind == Cluster::Kind::BlackHole);
}

TEST_CASE("trace: a sidecar route to an egress gateway Service continues at the gateway") {
  const char* yaml = R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: default}
spec:
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec: {containers: [{name: app, image: app}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: egress, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: egress}}
  template:
    metadata: {labels: {istio: egress}}
    spec: {containers: [{name: istio-proxy, image: proxyv2}]}
---
apiVersion: v1
kind: Service
metadata: {name: egress, namespace: istio-system}
spec:
  selector: {istio: egress}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext}
spec:
  hosts: [ext.com]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: DNS
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: egress, namespace: istio-system}
spec:
  selector: {istio: egress}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [ext.com]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ext}
spec:
  hosts: [ext.com]
  gateways: [mesh, istio-system/egress]
  http:
  - match: [{gateways: [mesh], port: 80}]
    route: [{destination: {host: egress.istio-system.svc.cluster.local, port: {number: 80}}}]
  - match: [{gateways: [istio-system/egress], port: 80}]
    route: [{destination: {host: ext.com, port: {number: 80}}}]
)";
  Mesh m = compile(yaml);
  const simulate::Proxy* app = m.model->sidecarProxy("default", "app");
  REQUIRE(app != nullptr);
  simulate::Trace t = simulate::traceRequest(*m.model, *app, http("ext.com", 80));
  REQUIRE(t.hops.size() == 2);
  CHECK(t.hops[0].cluster == "outbound|80||egress.istio-system.svc.cluster.local");
  CHECK(t.hops[1].proxy == "istio-system/egress");
  CHECK(t.hops[1].listener == "0.0.0.0_8080");
  CHECK(t.hops[1].cluster == "outbound|80||ext.com");
  CHECK(t.exit_kind == "egress-gateway");
  CHECK(t.exit_gateway == "istio-system/egress");
}

TEST_CASE("sidecar: an ExternalName Service is an alias of the Service it names") {
  std::string yaml = std::string(kMesh) + R"(
---
apiVersion: v1
kind: Service
metadata: {name: critiques, namespace: shop}
spec: {type: ExternalName, externalName: reviews.shop.svc.cluster.local.}
---
apiVersion: v1
kind: Service
metadata: {name: opinions, namespace: blog}
spec: {type: ExternalName, externalName: critiques.shop.svc.cluster.local}
---
apiVersion: v1
kind: Service
metadata: {name: loop-a, namespace: shop}
spec: {type: ExternalName, externalName: loop-b.shop.svc.cluster.local}
---
apiVersion: v1
kind: Service
metadata: {name: loop-b, namespace: shop}
spec: {type: ExternalName, externalName: loop-a.shop.svc.cluster.local}
)";
  Mesh m = compile(yaml);
  const simulate::ServiceInfo* reviews = m.model->registry().lookup("reviews.shop.svc.cluster.local", "shop");
  REQUIRE(reviews != nullptr);
  // Both aliases resolve to reviews, the second through the first; the loop resolves to nothing.
  REQUIRE(reviews->aliases.size() == 2);
  CHECK(reviews->aliases[0].host == "opinions.blog.svc.cluster.local");
  CHECK(reviews->aliases[1].host == "critiques.shop.svc.cluster.local");
  const simulate::Proxy* web = m.model->sidecarProxy("shop", "web");
  REQUIRE(web != nullptr);
  for (std::string_view host : {"critiques", "critiques.shop", "critiques.shop.svc.cluster.local",
                                "opinions.blog.svc.cluster.local", "opinions.blog"}) {
    simulate::Decision d = simulate::decide(*web, http(host, 9080));
    CAPTURE(host);
    REQUIRE(d.virtual_host != nullptr);
    CHECK(d.virtual_host->name == "reviews.shop.svc.cluster.local:9080");
  }
  // The alias has no listener or cluster of its own.
  CHECK(web->cluster("outbound|9080||critiques.shop.svc.cluster.local") == nullptr);
  CHECK(simulate::decide(*web, http("opinions", 9080)).cluster->kind == Cluster::Kind::Passthrough);
  CHECK(simulate::decide(*web, http("loop-a.shop.svc.cluster.local", 9080)).cluster->kind == Cluster::Kind::Passthrough);
}

TEST_CASE("sidecar: ALLOW_ANY_DYNAMIC_DNS in the mesh config resolves unknown plaintext HTTP by Host") {
  std::string yaml = std::string(kMesh) + R"(
---
apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |-
    outboundTrafficPolicy:
      mode: ALLOW_ANY_DYNAMIC_DNS
)";
  Mesh m = compile(yaml);
  CHECK(m.graph->meshConfig().issues.empty());
  const simulate::Proxy* web = m.model->sidecarProxy("shop", "web");
  REQUIRE(web != nullptr);
  CHECK(web->outbound_policy == "ALLOW_ANY_DYNAMIC_DNS");
  simulate::Decision d = simulate::decide(*web, http("api.example.org", 9080));
  REQUIRE(d.cluster != nullptr);
  CHECK(d.cluster->kind == Cluster::Kind::DynamicDns);
  CHECK(d.virtual_host->name == "allow_any_dynamic_dns");
  d = simulate::decide(*web, http("api.example.org", 7777));
  CHECK(d.cluster->kind == Cluster::Kind::DynamicDns);
  // TLS and raw TCP keep the original destination.
  simulate::Request tls = http("api.example.org", 7777);
  tls.tls = simulate::TlsMode::Tls;
  tls.sni = "api.example.org";
  CHECK(simulate::decide(*web, tls).cluster->kind == Cluster::Kind::Passthrough);
  simulate::Request tcp = http("api.example.org", 7777);
  tcp.protocol = simulate::Protocol::Tcp;
  CHECK(simulate::decide(*web, tcp).cluster->kind == Cluster::Kind::Passthrough);
}

TEST_CASE("sidecar: ServiceEntry CIDR addresses, IPv4 and IPv6: the longest prefix wins, a repeated network is dropped") {
  const char* yaml = R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: default}
spec:
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec: {containers: [{name: app, image: app}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: wide}
spec:
  hosts: [wide.example]
  addresses: ["2001:db8:123::1/32", 10.0.0.0/8]
  ports: [{number: 5432, name: http-looking-name, protocol: TCP}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: narrow}
spec:
  hosts: [narrow.example]
  addresses: ["2001:db8:0:5::/64"]
  ports: [{number: 5432, name: db, protocol: TCP}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: zz-same-network}  # sorts after "wide": the repeat
spec:
  hosts: [same.example]
  addresses: ["2001:0db8:ffff::/32", 10.9.9.9/8]
  ports: [{number: 5432, name: db, protocol: TCP}]
)";
  Mesh m = compile(yaml);
  const simulate::Proxy* app = m.model->sidecarProxy("default", "app");
  REQUIRE(app != nullptr);
  auto to = [&](std::string_view address) {
    simulate::Request r = http("", 5432);
    r.protocol = simulate::Protocol::Tcp;
    r.address = address;
    simulate::Decision d = simulate::decide(*app, r);
    REQUIRE(d.cluster != nullptr);
    return d.cluster->name;
  };
  // The protocol field decides (TCP), not the port name: no HTTP chain on the listener.
  CHECK(to("2001:db8:0:5::7") == "outbound|5432||narrow.example");
  CHECK(to("2001:db8:ffff::1") == "outbound|5432||wide.example");
  CHECK(to("10.1.2.3") == "outbound|5432||wide.example");
  CHECK(to("2001:db9::1") == "PassthroughCluster");
  CHECK(to("::ffff:10.1.2.3") == "PassthroughCluster");  // an IPv6 address is not in an IPv4 network
  CHECK(simulate::sameCidr("2001:db8:123::1/32", "2001:0db8:ffff::/32"));
  CHECK_FALSE(simulate::sameCidr("2001:db8::/32", "2001:db8::/33"));
  CHECK(simulate::sameCidr("10.1.2.3/8", "10.0.0.0/8"));
  // cidrKey() is equal exactly when sameCidr() holds (the builder looks ranges up by it).
  const std::vector<std::string> ranges{"10.1.2.3/8", "10.0.0.0/8", "10.0.0.0/9", "10.128.0.0/9", "11.0.0.0/8",
                                        "192.168.7.77/29", "192.168.7.72/29", "192.168.7.80/29", "10.0.0.1",
                                        "10.0.0.1/32", "2001:db8:123::1/32", "2001:0db8:ffff::/32",
                                        "2001:db8::/33", "::/0", "0.0.0.0/0", "not-a-cidr", "10.0.0.0/40"};
  for (const std::string& a : ranges) {
    for (const std::string& b : ranges) {
      CHECK_MESSAGE((simulate::cidrKey(a) == simulate::cidrKey(b)) == simulate::sameCidr(a, b), a, " vs ", b);
    }
  }
}

TEST_CASE("sidecar: ServiceEntries of one host merge their ports; DNS auto-allocation gives them istiod's VIP") {
  std::string entries = R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: default}
spec:
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec: {containers: [{name: app, image: app}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: istio-http}
spec:
  hosts: [istio.io]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{number: 80, name: http, protocol: HTTP}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: istio-https}
spec:
  hosts: [istio.io]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{number: 443, name: https, protocol: HTTPS}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: passthrough}
spec:
  hosts: [none.example]
  resolution: NONE
  ports: [{number: 443, name: tls, protocol: TLS}]
)";
  simulate::Request tls = http("istio.io", 443);
  tls.tls = simulate::TlsMode::Tls;
  tls.sni = "istio.io";
  {
    Mesh m = compile(entries);
    const simulate::ServiceInfo* s = m.model->registry().lookup("istio.io", "default");
    REQUIRE(s != nullptr);
    REQUIRE(s->ports.size() == 2);
    CHECK(s->ports[1].origin->name() == "istio-https");
    // Both entries hashed into slots; the first slot's address is the host's (istiod computes the same).
    CHECK(s->auto_address == "240.240.91.120");
    CHECK(m.model->registry().lookup("none.example", "default")->auto_address.empty());
    // Without DNS capture the address is unused: a TLS call finds the SNI chain on 0.0.0.0_443.
    const simulate::Proxy* app = m.model->sidecarProxy("default", "app");
    simulate::Decision d = simulate::decide(*app, tls);
    CHECK(d.listener->name == "0.0.0.0_443");
    REQUIRE(d.cluster != nullptr);
    CHECK(d.cluster->name == "outbound|443||istio.io");
    CHECK(d.cluster->service->name() == "istio-https");
  }
  Mesh m = compile(entries + R"(
---
apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |-
    defaultConfig:
      proxyMetadata: {ISTIO_META_DNS_CAPTURE: "true", ISTIO_META_DNS_AUTO_ALLOCATE: "true"}
)");
  const simulate::Proxy* app = m.model->sidecarProxy("default", "app");
  REQUIRE(app != nullptr);
  CHECK(app->id.dns_auto_allocate);
  tls.address = "240.240.91.120";
  simulate::Decision d = simulate::decide(*app, tls);
  CHECK(d.listener->name == "240.240.91.120_443");
  REQUIRE(d.cluster != nullptr);
  CHECK(d.cluster->name == "outbound|443||istio.io");
  // The trace finds the allocated VIP for the host by itself.
  tls.address = {};
  simulate::Trace t = simulate::traceRequest(*m.model, *app, tls);
  REQUIRE(!t.hops.empty());
  CHECK(t.hops[0].listener == "240.240.91.120_443");
}

}  // namespace
}  // namespace istio_lint::testing
