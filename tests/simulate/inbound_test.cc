#include <doctest/doctest.h>

#include "simulate/peer_authentication.h"
#include "simulate/trace.h"
#include "tests/simulate/simulate_test_util.h"

namespace istio_lint::testing {
namespace {

using simulate::Cluster;
using simulate::Error;
using simulate::MtlsMode;
using simulate::Protocol;
using simulate::TlsMode;

// reviews: a named targetPort (http-api -> 8080) and a TCP port; no PeerAuthentication yet.
const char* kWorkload = R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews, namespace: shop}
spec:
  selector: {matchLabels: {app: reviews}}
  template:
    metadata: {labels: {app: reviews}}
    spec: {containers: [{name: reviews, image: reviews, ports: [{name: http-api, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec:
  selector: {app: reviews}
  ports:
  - {name: http, port: 9080, targetPort: http-api}
  - {name: tcp-db, port: 5432}
)";

// The mesh-wide PeerAuthentication most inbound tests start from.
const char* kMeshStrict = R"(
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
)";

simulate::Request inbound(uint32_t port, Protocol protocol = Protocol::Http, TlsMode tls = TlsMode::Plaintext) {
  simulate::Request r;
  r.inbound = true;
  r.port = port;
  r.protocol = protocol;
  r.tls = tls;
  return r;
}

const simulate::Proxy& reviews(const Mesh& m) {
  const simulate::Proxy* p = m.model->sidecarProxy("shop", "reviews");
  REQUIRE(p != nullptr);
  REQUIRE(p->virtual_inbound >= 0);
  return *p;
}

TEST_CASE("peer authentication: mesh, namespace and workload levels, UNSET inherits, oldest wins") {
  std::string yaml = std::string(kWorkload) + kMeshStrict + R"(---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: ns, namespace: shop, creationTimestamp: "2024-01-02T00:00:00Z"}
spec: {mtls: {mode: PERMISSIVE}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: ns-older, namespace: shop, creationTimestamp: "2024-01-01T00:00:00Z"}
spec: {mtls: {mode: DISABLE}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: reviews, namespace: shop}
spec:
  selector: {matchLabels: {app: reviews}}
  mtls: {mode: UNSET}
  portLevelMtls:
    8080: {mode: STRICT}
    5432: {mode: UNSET}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: other, namespace: shop}
spec:
  selector: {matchLabels: {app: other}}
  mtls: {mode: STRICT}
)";
  Mesh m = compile(yaml);
  simulate::PeerAuthPolicy p =
      simulate::composePeerAuthentication(*m.graph, "istio-system", "shop", {{"app", "reviews"}});
  // The older namespace policy wins over the newer one and overrides the mesh; the workload
  // policy's UNSET keeps it.
  CHECK(p.workload.mode == MtlsMode::Disable);
  REQUIRE(p.workload.from != nullptr);
  CHECK(p.workload.from->name() == "ns-older");
  CHECK(p.forPort(8080).mode == MtlsMode::Strict);
  CHECK(p.forPort(8080).describe() == "PeerAuthentication shop/reviews portLevelMtls 8080");
  CHECK(p.forPort(5432).mode == MtlsMode::Disable);  // UNSET port entry inherits
  CHECK(p.forPort(5432).describe() == "PeerAuthentication shop/ns-older");
  CHECK(p.forPort(1234).mode == MtlsMode::Disable);

  simulate::PeerAuthPolicy none = simulate::composePeerAuthentication(*m.graph, "istio-system", "web", {});
  CHECK(none.workload.mode == MtlsMode::Strict);  // only the mesh-wide policy applies
  simulate::PeerAuthPolicy empty = simulate::composePeerAuthentication(*m.graph, "elsewhere", "web", {});
  CHECK(empty.workload.mode == MtlsMode::Permissive);
  CHECK(empty.workload.from == nullptr);
}

TEST_CASE("inbound: STRICT accepts only Istio mTLS; the Service's targetPort names the chain") {
  std::string yaml = std::string(kWorkload) + kMeshStrict;
  Mesh m = compile(yaml);
  const simulate::Proxy& p = reviews(m);

  simulate::Decision d = simulate::decide(p, inbound(8080));
  CHECK(d.listener->name == "virtualInbound");
  CHECK(d.error == Error::NoFilterChain);

  d = simulate::decide(p, inbound(8080, Protocol::Http, TlsMode::Tls));
  CHECK(d.error == Error::MtlsError);  // the application's own TLS is not Istio mTLS

  d = simulate::decide(p, inbound(8080, Protocol::Http, TlsMode::Mtls));
  REQUIRE(d.error == Error::None);
  CHECK(d.chain->name == "0.0.0.0_8080");
  CHECK(d.chain->mtls == "STRICT from PeerAuthentication istio-system/default");
  CHECK(d.virtual_host->name == "inbound|http|9080");  // named by the Service port
  CHECK(d.route->name == "default");
  CHECK_FALSE(d.route_config->rds);
  REQUIRE(d.cluster != nullptr);
  CHECK(d.cluster->name == "inbound|8080||");
  CHECK(d.cluster->kind == Cluster::Kind::Inbound);

  // The Service port number is not where the application listens: only the target port has chains.
  d = simulate::decide(p, inbound(9080, Protocol::Http, TlsMode::Mtls));
  REQUIRE(d.cluster != nullptr);
  CHECK(d.cluster->name == "InboundPassthroughCluster");

  d = simulate::decide(p, inbound(5432, Protocol::Tcp, TlsMode::Mtls));
  REQUIRE(d.cluster != nullptr);
  CHECK(d.cluster->name == "inbound|5432||");
}

TEST_CASE("inbound: PERMISSIVE (no policy) takes plaintext, Istio mTLS and, on TCP ports, the client's TLS") {
  Mesh m = compile(kWorkload);
  const simulate::Proxy& p = reviews(m);
  for (TlsMode t : {TlsMode::Plaintext, TlsMode::Mtls}) {
    simulate::Decision d = simulate::decide(p, inbound(8080, Protocol::Http, t));
    REQUIRE(d.error == Error::None);
    CHECK(d.cluster->name == "inbound|8080||");
  }
  // HTTP ports do not take TLS they cannot terminate; TCP ports pass it through.
  CHECK(simulate::decide(p, inbound(8080, Protocol::Http, TlsMode::Tls)).error == Error::NoFilterChain);
  simulate::Decision d = simulate::decide(p, inbound(5432, Protocol::Tcp, TlsMode::Tls));
  REQUIRE(d.error == Error::None);
  CHECK(d.chain->termination == simulate::FilterChain::Termination::None);
  CHECK(d.cluster->name == "inbound|5432||");
  // TCP bytes into the HTTP port.
  CHECK(simulate::decide(p, inbound(8080, Protocol::Tcp)).error == Error::ProtocolError);
  // Undeclared port: the passthrough chains, HTTP or TCP.
  d = simulate::decide(p, inbound(7000));
  REQUIRE(d.cluster != nullptr);
  CHECK(d.chain->name == "virtualInbound-catchall-http");
  CHECK(d.cluster->kind == Cluster::Kind::InboundPassthrough);
  d = simulate::decide(p, inbound(7000, Protocol::Tcp));
  CHECK(d.chain->name == "virtualInbound");
  // A direct connection to the capture port itself.
  d = simulate::decide(p, inbound(15006, Protocol::Tcp));
  CHECK(d.chain->name == "virtualInbound-blackhole");
  CHECK(d.cluster->kind == Cluster::Kind::BlackHole);
}

TEST_CASE("inbound: a port-level DISABLE turns the TLS inspector off, so mTLS arrives as raw bytes") {
  std::string yaml = std::string(kWorkload) + R"(
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: reviews, namespace: shop}
spec:
  selector: {matchLabels: {app: reviews}}
  mtls: {mode: STRICT}
  portLevelMtls:
    5432: {mode: DISABLE}
    7000: {mode: DISABLE}
)";
  Mesh m = compile(yaml);
  const simulate::Proxy& p = reviews(m);
  const simulate::Listener& l = p.listeners[static_cast<size_t>(p.virtual_inbound)];
  CHECK(l.tlsInspector(8080));
  CHECK_FALSE(l.tlsInspector(5432));
  CHECK(l.tlsInspector(9999));  // undeclared: the STRICT passthrough chains need it

  simulate::Decision d = simulate::decide(p, inbound(5432, Protocol::Tcp, TlsMode::Mtls));
  REQUIRE(d.error == Error::None);
  CHECK(d.chain->transport == simulate::FilterChain::Transport::Raw);
  CHECK(d.cluster->name == "inbound|5432||");
  // 7000 is declared by no Service: a per-port passthrough chain carries its DISABLE.
  d = simulate::decide(p, inbound(7000, Protocol::Tcp));
  REQUIRE(d.error == Error::None);
  CHECK(d.cluster->name == "InboundPassthroughCluster");
  CHECK(d.chain->destination_port == 7000);
  CHECK(simulate::decide(p, inbound(7001, Protocol::Tcp)).error == Error::NoFilterChain);
}

TEST_CASE("inbound: Sidecar ingress listeners replace the Service ports; their tls needs the istiod flag") {
  std::string yaml = std::string(kWorkload) + R"(
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: reviews, namespace: shop}
spec:
  workloadSelector: {labels: {app: reviews}}
  ingress:
  - port: {number: 9443, protocol: HTTPS, name: https}
    defaultEndpoint: 127.0.0.1:8080
    tls: {mode: SIMPLE, serverCertificate: /etc/certs/cert.pem, privateKey: /etc/certs/key.pem}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: reviews, namespace: shop}
spec:
  selector: {matchLabels: {app: reviews}}
  mtls: {mode: STRICT}
  portLevelMtls:
    9443: {mode: DISABLE}
)";
  {
    Mesh m = compile(yaml);
    const simulate::Proxy& p = reviews(m);
    // The Service's 8080 is no longer declared: the STRICT passthrough takes it.
    simulate::Decision d = simulate::decide(p, inbound(8080, Protocol::Http, TlsMode::Mtls));
    REQUIRE(d.cluster != nullptr);
    CHECK(d.cluster->kind == Cluster::Kind::InboundPassthrough);
    // Without ENABLE_TLS_ON_SIDECAR_INGRESS the ingress tls is ignored: plaintext TCP (HTTPS) on DISABLE.
    d = simulate::decide(p, inbound(9443, Protocol::Tcp));
    REQUIRE(d.error == Error::None);
    CHECK(d.chain->name == "0.0.0.0_9443");
    CHECK(d.cluster->name == "inbound|9443||");
    CHECK(d.cluster->local_endpoint == "127.0.0.1:8080");
  }
  simulate::ModelOptions o;
  o.sidecar_ingress_tls = true;
  Mesh m = compile(yaml, o);
  const simulate::Proxy& p = reviews(m);
  simulate::Decision d = simulate::decide(p, inbound(9443, Protocol::Http, TlsMode::Tls));
  REQUIRE(d.error == Error::None);
  CHECK(d.chain->termination == simulate::FilterChain::Termination::Simple);
  CHECK(d.chain->tls_secret == "file-cert:/etc/certs/cert.pem~/etc/certs/key.pem");
  CHECK(d.virtual_host->name == "inbound|http|9443");
  CHECK(simulate::decide(p, inbound(9443)).error == Error::NoFilterChain);
  // Istio mTLS expects a mesh identity; a SIMPLE chain with the workload's own certificate fails it.
  CHECK(simulate::decide(p, inbound(9443, Protocol::Http, TlsMode::Mtls)).error == Error::MtlsError);
}

TEST_CASE("inbound: ServiceEntry endpoints at the pod IP declare the workload's ports; Sidecar ingress binds the pod IP") {
  const char* yaml = R"(
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: se, namespace: default}
spec:
  hosts: [foo.bar]
  location: MESH_INTERNAL
  resolution: STATIC
  endpoints: [{address: 10.1.1.1}]
  ports: [{name: http, number: 80, protocol: HTTP}, {name: auto, number: 81}]
)";
  simulate::ModelOptions o;
  o.sidecars = std::vector<std::string>{};
  simulate::ProxyIdentity id;
  id.name = "test/pod";
  id.ns = "default";
  id.ip = "10.1.1.1";
  o.extra.push_back(id);
  Mesh m = compile(yaml, o);
  const simulate::Proxy* p = m.model->proxy("test/pod");
  REQUIRE(p != nullptr);
  simulate::Decision d = simulate::decide(*p, inbound(80));
  REQUIRE(d.error == Error::None);
  CHECK(d.virtual_host->name == "inbound|http|80");
  // An auto-detected port: plaintext HTTP goes to the HTTP chain, plaintext TCP to the TCP one.
  d = simulate::decide(*p, inbound(81));
  CHECK(d.virtual_host != nullptr);
  d = simulate::decide(*p, inbound(81, Protocol::Tcp));
  REQUIRE(d.error == Error::None);
  CHECK(d.virtual_host == nullptr);
  CHECK(d.cluster->name == "inbound|81||");

  std::string with_sidecar = std::string(yaml) + R"(
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: default}
spec:
  ingress: [{port: {number: 8080, protocol: TCP, name: tcp}, defaultEndpoint: 127.0.0.1:8080}]
)";
  Mesh m2 = compile(with_sidecar, o);
  d = simulate::decide(*m2.model->proxy("test/pod"), inbound(8080, Protocol::Tcp));
  REQUIRE(d.error == Error::None);
  CHECK(d.chain->name == "10.1.1.1_8080");
}

TEST_CASE("trace: an inbound request names the chain, the PeerAuthentication and where it is delivered") {
  std::string yaml = std::string(kWorkload) + kMeshStrict;
  Mesh m = compile(yaml);
  const simulate::Proxy& p = reviews(m);
  simulate::Trace t = simulate::traceRequest(*m.model, p, inbound(8080, Protocol::Http, TlsMode::Mtls));
  REQUIRE(t.hops.size() == 1);
  const simulate::TraceHop& h = t.hops[0];
  CHECK(h.listener == "virtualInbound");
  CHECK(h.filter_chain_name == "0.0.0.0_8080");
  CHECK(h.peer_authentication == "STRICT");
  CHECK(h.cluster == "inbound|8080||");
  REQUIRE(h.endpoints.size() == 1);
  CHECK(h.endpoints[0] == "shop/reviews");
  CHECK(t.exit_kind == "none");
  CHECK(t.exit_detail == "delivered to shop/reviews on port 8080");
  // The step points at the line of `mtls: {mode: STRICT}`.
  uint32_t line = 1;
  for (char c : yaml.substr(0, yaml.find("spec: {mtls: {mode: STRICT}}"))) line += c == '\n';
  bool pa_step = false;
  for (const auto& s : h.steps) {
    pa_step = pa_step || (s.what == "peer authentication" && s.span.line == line &&
                          s.detail == "STRICT from PeerAuthentication istio-system/default");
  }
  CHECK(pa_step);

  t = simulate::traceRequest(*m.model, p, inbound(8080));
  REQUIRE(t.hops.size() == 1);
  CHECK(t.hops[0].error_code == "ErrNoFilterChain");
  CHECK(t.hops[0].peer_authentication == "STRICT");
  bool explained = false;
  for (const auto& s : t.hops[0].steps) {
    explained = explained || s.detail == "none for plaintext HTTP on port 8080; the port accepts: HTTP over Istio mTLS";
  }
  CHECK(explained);
}

TEST_CASE("trace with deliver_to: from a sidecar's outbound side into the destination's inbound side") {
  const std::string yaml = std::string(kShopWeb) + kWorkload + kMeshStrict;
  Mesh m = compile(yaml);
  const simulate::Proxy* web = m.model->sidecarProxy("shop", "web");
  REQUIRE(web != nullptr);
  const simulate::Proxy& target = reviews(m);

  // Auto mTLS: the Service port 9080 arrives on the named targetPort 8080 as Istio mTLS.
  simulate::Trace t = simulate::traceRequest(*m.model, *web, http("reviews", 9080), 4, &target);
  REQUIRE(t.hops.size() == 2);
  CHECK(t.hops[0].proxy == "shop/web");
  CHECK(t.hops[0].tls == "ISTIO_MUTUAL");
  CHECK(t.hops[1].proxy == "shop/reviews");
  CHECK(t.hops[1].filter_chain_name == "0.0.0.0_8080");
  CHECK(t.hops[1].peer_authentication == "STRICT");
  CHECK(t.exit_detail == "delivered to shop/reviews on port 8080");

  // Without deliver_to the trace ends at the cluster, as before.
  t = simulate::traceRequest(*m.model, *web, http("reviews", 9080));
  CHECK(t.hops.size() == 1);
  CHECK(t.exit_detail == "stays in the mesh");

  // A destination the route does not reach is named, not followed.
  t = simulate::traceRequest(*m.model, target, http("reviews", 9080), 4, web);
  CHECK(t.hops.size() == 1);
  CHECK(t.exit_detail == "stays in the mesh; its endpoints do not include shop/web, so it is not followed there");

  // A DestinationRule that turns TLS off sends plaintext, which STRICT refuses at the destination.
  Mesh off = compile(yaml + R"(
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec: {host: reviews, trafficPolicy: {tls: {mode: DISABLE}}}
)");
  t = simulate::traceRequest(*off.model, *off.model->sidecarProxy("shop", "web"), http("reviews", 9080), 4,
                             &reviews(off));
  REQUIRE(t.hops.size() == 2);
  CHECK(t.hops[0].tls == "DISABLE");
  CHECK(t.hops[1].error_code == "ErrNoFilterChain");

  // SIMPLE with a credentialName and no workloadSelector: the sidecar ignores the credential and
  // sends plaintext, which STRICT refuses too.
  Mesh ignored = compile(yaml + R"(
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec: {host: reviews, trafficPolicy: {tls: {mode: SIMPLE, credentialName: reviews-client}}}
)");
  t = simulate::traceRequest(*ignored.model, *ignored.model->sidecarProxy("shop", "web"), http("reviews", 9080), 4,
                             &reviews(ignored));
  REQUIRE(t.hops.size() == 2);
  REQUIRE(t.hops[0].final_cluster != nullptr);
  CHECK(t.hops[0].final_cluster->tls.credential_ignored);
  CHECK(t.hops[1].error_code == "ErrNoFilterChain");
}

TEST_CASE("TLS checks: Istio mTLS meets only chains that require it, at gateways too") {
  const char* yaml = R"(
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [a.example.com]
    tls: {mode: SIMPLE, credentialName: a-cert}
  - port: {number: 443, name: https-mesh, protocol: HTTPS}
    hosts: [b.example.com]
    tls: {mode: ISTIO_MUTUAL}
)";
  Mesh m = compile(yaml);
  const simulate::Proxy* gw = m.model->gatewayProxy("istio-system", "gw");
  REQUIRE(gw != nullptr);
  auto call = [&](std::string_view sni, TlsMode t) {
    simulate::Request r = http(sni, 443);
    r.sni = sni;
    r.tls = t;
    return simulate::decide(*gw, r).error;
  };
  CHECK(call("a.example.com", TlsMode::Tls) == Error::NoRoute);  // terminated; no VirtualService: blackhole vhost
  CHECK(call("a.example.com", TlsMode::Mtls) == Error::MtlsError);
  CHECK(call("b.example.com", TlsMode::Tls) == Error::MtlsError);
  CHECK(call("b.example.com", TlsMode::Mtls) == Error::NoRoute);
}

}  // namespace
}  // namespace istio_lint::testing
