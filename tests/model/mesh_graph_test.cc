#include "model/mesh_graph.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "tests/test_util.h"

namespace istio_lint::model {
namespace {

using istio_lint::testing::TempDir;

MeshGraph graphOf(std::vector<std::pair<std::string, std::string>> files, const GraphOptions& go = {},
                  LoadOptions lo = {}) {
  std::vector<Source> sources;
  for (auto& [name, text] : files) sources.push_back({name, std::move(text)});
  lo.threads = 1;
  return MeshGraph::build(load(sources, lo), go);
}

MeshGraph graphOf(std::string text, const GraphOptions& go = {}) { return graphOf({{"in.yaml", std::move(text)}}, go); }

std::vector<std::string> scopes(const MeshGraph& g, std::string_view host) {
  std::vector<std::string> out;
  if (const auto* entries = g.registry().exact(host)) {
    for (const RegistryEntry& e : *entries) out.push_back(e.scope);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<uint32_t> ports(const Service& s) {
  std::vector<uint32_t> out;
  for (const KubeServicePort& p : s.ports) out.push_back(p.port);
  return out;
}

GraphOptions noIngress() {
  GraphOptions go;
  go.default_ingress = DefaultIngress::Off;
  return go;
}

constexpr std::string_view kUserIngress = R"(apiVersion: v1
kind: Service
metadata:
  name: istio-ingressgateway
  namespace: istio-system
spec:
  selector: {istio: custom}
  ports:
  - port: 8080
    name: http
)";

TEST_CASE("default ingress Pod and Service") {
  SUBCASE("added when missing") {
    MeshGraph g = graphOf("");
    const Resource* svc = g.find(Kind::Service, "istio-system", "istio-ingressgateway");
    REQUIRE(svc != nullptr);
    CHECK(svc->synthetic);
    const auto& s = static_cast<const Service&>(*svc);
    CHECK(ports(s) == std::vector<uint32_t>{80, 443, 31400, 15443});
    REQUIRE(s.selector.has_value());
    CHECK(*s.selector == Labels{{"istio", "ingressgateway"}});
    const Resource* pod = g.find(Kind::Pod, "istio-system", "istio-ingressgateway-dummypod");
    REQUIRE(pod != nullptr);
    CHECK(pod->synthetic);
    // The pod is selectable by the Service's selector.
    auto selected = g.workloads().select({{"istio", "ingressgateway"}});
    REQUIRE(selected.size() == 1);
    CHECK(selected[0] == pod);
    CHECK(g.size() == 2);
    CHECK(g.duplicates().empty());
    CHECK(scopes(g, "istio-ingressgateway.istio-system.svc.cluster.local") == std::vector<std::string>{"*"});
  }
  SUBCASE("not added when Off") {
    GraphOptions go;
    go.default_ingress = DefaultIngress::Off;
    MeshGraph g = graphOf("", go);
    CHECK(g.find(Kind::Service, "istio-system", "istio-ingressgateway") == nullptr);
    CHECK(g.find(Kind::Pod, "istio-system", "istio-ingressgateway-dummypod") == nullptr);
    CHECK(g.size() == 0);
    CHECK(g.workloads().all().empty());
  }
  SUBCASE("the user's Service is kept with IfMissing") {
    MeshGraph g = graphOf(std::string(kUserIngress));
    const Resource* svc = g.find(Kind::Service, "istio-system", "istio-ingressgateway");
    REQUIRE(svc != nullptr);
    CHECK_FALSE(svc->synthetic);
    CHECK(ports(static_cast<const Service&>(*svc)) == std::vector<uint32_t>{8080});
    CHECK(svc->span.line == 1);
    // The pod is still added: only the declared kind is taken from the input.
    CHECK(g.find(Kind::Pod, "istio-system", "istio-ingressgateway-dummypod") != nullptr);
    CHECK(g.duplicates().empty());
    CHECK(g.ofKind(Kind::Service).size() == 1);
  }
  SUBCASE("the user's Service is overwritten with Overwrite") {
    GraphOptions go;
    go.default_ingress = DefaultIngress::Overwrite;
    MeshGraph g = graphOf(std::string(kUserIngress), go);
    const Resource* svc = g.find(Kind::Service, "istio-system", "istio-ingressgateway");
    REQUIRE(svc != nullptr);
    CHECK(svc->synthetic);
    CHECK(ports(static_cast<const Service&>(*svc)) == std::vector<uint32_t>{80, 443, 31400, 15443});
    CHECK(g.ofKind(Kind::Service).size() == 1);
    CHECK(g.duplicates().empty());  // replacing by a default is not a user duplicate
  }
  SUBCASE("only_kinds limits which defaults are added") {
    GraphOptions go;
    go.only_kinds = std::set<Kind>{Kind::Service};
    MeshGraph g = graphOf("", go);
    CHECK(g.find(Kind::Service, "istio-system", "istio-ingressgateway") != nullptr);
    CHECK(g.find(Kind::Pod, "istio-system", "istio-ingressgateway-dummypod") == nullptr);
  }
  SUBCASE("a different Istio namespace") {
    GraphOptions go;
    go.istio_namespace = "mesh-root";
    MeshGraph g = graphOf("", go);
    CHECK(g.find(Kind::Service, "mesh-root", "istio-ingressgateway") != nullptr);
    CHECK(g.find(Kind::Service, "istio-system", "istio-ingressgateway") == nullptr);
  }
}

TEST_CASE("duplicates keep the later declaration and are listed") {
  MeshGraph g = graphOf({{"a.yaml", R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec: {hosts: [first]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: other, namespace: shop}
spec: {hosts: [other]}
)"},
                         {"b.yaml", R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec: {hosts: [second]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: vs, namespace: shop}
spec: {host: same-name-other-kind}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: elsewhere}
spec: {hosts: [third]}
)"}});
  const auto* vs = static_cast<const VirtualService*>(g.find(Kind::VirtualService, "shop", "vs"));
  REQUIRE(vs != nullptr);
  REQUIRE(vs->hosts.size() == 1);
  CHECK(vs->hosts[0].value == "second");
  CHECK(g.files().path(vs->span.file) == "b.yaml");
  REQUIRE(g.duplicates().size() == 1);
  const Duplicate& d = g.duplicates()[0];
  CHECK(d.kept == vs);
  REQUIRE(d.dropped != nullptr);
  CHECK(g.files().path(d.dropped->span.file) == "a.yaml");
  CHECK(d.dropped->span.line == 1);
  CHECK(static_cast<const VirtualService&>(*d.dropped).hosts[0].value == "first");
  CHECK(g.ofKind(Kind::VirtualService).size() == 3);
  CHECK(g.find(Kind::DestinationRule, "shop", "vs") != nullptr);
  // ofKind is sorted by (namespace, name); findByName finds every namespace.
  std::vector<std::string> order;
  for (const Resource* r : g.ofKind(Kind::VirtualService)) order.push_back(r->ns() + "/" + r->name());
  CHECK(order == std::vector<std::string>{"elsewhere/vs", "shop/other", "shop/vs"});
  CHECK(g.findByName(Kind::VirtualService, "vs").size() == 2);
  CHECK(g.findByName(Kind::VirtualService, "nope").empty());
  CHECK(g.find(Kind::VirtualService, "nope", "vs") == nullptr);
}

TEST_CASE("three declarations: the last wins and both earlier ones are listed") {
  std::string one = "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: shop, labels: {v: \"%\"}}\n";
  auto with = [&](char v) {
    std::string s = one;
    s[s.find('%')] = v;
    return s;
  };
  MeshGraph g = graphOf({{"1.yaml", with('1')}, {"2.yaml", with('2')}, {"3.yaml", with('3')}});
  const Resource* s = g.find(Kind::Service, "shop", "s");
  REQUIRE(s != nullptr);
  CHECK(s->meta.labels.at("v") == "3");
  REQUIRE(g.duplicates().size() == 2);
  CHECK(g.duplicates()[0].dropped->meta.labels.at("v") == "1");
  CHECK(g.duplicates()[1].dropped->meta.labels.at("v") == "2");
}

TEST_CASE("mesh config from the istio ConfigMap's data.mesh") {
  MeshGraph g = graphOf(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |-
    ingressService: my-ingress
    ingressSelector: my-gw
    ingressClass: my-class
    rootNamespace: mesh-root
    outboundTrafficPolicy:
      mode: REGISTRY_ONLY
    defaultProviders:
      accessLogging: [envoy]
    extensionProviders:
    - name: otel
      opentelemetry: {service: otel.svc, port: 4317}
---
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: ignored, namespace: istio-system}
spec:
  meshConfig:
    ingressService: from-operator
)");
  const MeshConfig& mc = g.meshConfig();
  CHECK(mc.source == "ConfigMap istio-system/istio");
  CHECK(mc.ingress_service == "my-ingress");
  CHECK(mc.ingress_selector == "my-gw");
  CHECK(mc.ingress_class == "my-class");
  CHECK(mc.root_namespace == "mesh-root");
  CHECK(mc.outbound_traffic_policy == "REGISTRY_ONLY");
  CHECK(mc.default_access_logging == std::vector<std::string>{"envoy"});
  REQUIRE(mc.extension_providers.size() == 4);
  CHECK(mc.extension_providers.back().name == "otel");
  CHECK(mc.extension_providers.back().type == "opentelemetry");
  CHECK(mc.issues.empty());
  CHECK(mc.span.line == 5);  // the data.mesh value
  // The default ingress follows the mesh config.
  const Resource* svc = g.find(Kind::Service, "istio-system", "my-ingress");
  REQUIRE(svc != nullptr);
  CHECK(*static_cast<const Service&>(*svc).selector == Labels{{"istio", "my-gw"}});
  CHECK(g.find(Kind::Service, "istio-system", "istio-ingressgateway") == nullptr);
  CHECK(g.workloads().select({{"istio", "my-gw"}}).size() == 1);
}

TEST_CASE("mesh config problems point into the ConfigMap value") {
  SUBCASE("a block scalar: the line inside it") {
    MeshGraph g = graphOf(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |-
    outboundTrafficPolicy:
      mode: SOMETIMES
)");
    const MeshConfig& mc = g.meshConfig();
    CHECK(mc.outbound_traffic_policy == "ALLOW_ANY");
    REQUIRE(mc.issues.size() == 1);
    CHECK(mc.issues[0].message.find("SOMETIMES") != std::string::npos);
    CHECK(mc.issues[0].span.line == 7);
    CHECK(g.files().path(mc.issues[0].span.file) == "in.yaml");
  }
  SUBCASE("a one-line string: the value") {
    MeshGraph g = graphOf(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: "outboundTrafficPolicy: {mode: SOMETIMES}"
)");
    REQUIRE(g.meshConfig().issues.size() == 1);
    CHECK(g.meshConfig().issues[0].span.line == 5);
  }
  SUBCASE("data.mesh that is not YAML") {
    MeshGraph g = graphOf(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    ingressService: ok
    defaultConfig: [unclosed
)");
    const MeshConfig& mc = g.meshConfig();
    REQUIRE(mc.issues.size() == 1);
    CHECK(mc.issues[0].message.find("not valid YAML") != std::string::npos);
    CHECK(mc.issues[0].span.line == 7);
    CHECK(mc.ingress_service == "istio-ingressgateway");
  }
}

TEST_CASE("an istio ConfigMap in another namespace is not the mesh config") {
  MeshGraph g = graphOf(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: default}
data:
  mesh: "ingressService: nope"
)");
  CHECK(g.meshConfig().source == "defaults");
  CHECK(g.meshConfig().ingress_service == "istio-ingressgateway");
  CHECK(g.meshConfig().ingress_class == "istio");
}

TEST_CASE("mesh config from IstioOperator spec.meshConfig") {
  MeshGraph g = graphOf(R"(apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: control-plane, namespace: istio-system}
spec:
  meshConfig:
    ingressControllerMode: "OFF"
    trustDomain: example.org
    defaultConfig:
      proxyMetadata: {ISTIO_META_DNS_CAPTURE: "true"}
      image: {imageType: distroless}
)");
  const MeshConfig& mc = g.meshConfig();
  CHECK(mc.source == "IstioOperator istio-system/control-plane");
  CHECK(mc.trust_domain == "example.org");
  CHECK(mc.ingress_controller_mode == "OFF");
  CHECK(mc.proxy_metadata == std::map<std::string, std::string>{{"ISTIO_META_DNS_CAPTURE", "true"}});
  CHECK(mc.image_type == "distroless");
  // ingressControllerMode OFF: no default ingress is assumed.
  CHECK(g.find(Kind::Service, "istio-system", "istio-ingressgateway") == nullptr);
  CHECK(g.size() == 1);
}

TEST_CASE("--meshConfigFile overrides the inputs") {
  TempDir dir;
  std::string file = dir.write("mesh.yaml", "ingressService: from-file\n");
  GraphOptions go;
  go.mesh_config_file = file;
  MeshGraph g = graphOf(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: "ingressService: from-configmap"
)",
                        go);
  CHECK(g.meshConfig().ingress_service == "from-file");
  CHECK(g.meshConfig().source == file);
  CHECK(g.find(Kind::Service, "istio-system", "from-file") != nullptr);

  go.mesh_config_file = dir / "missing.yaml";
  MeshGraph missing = graphOf("", go);
  REQUIRE(missing.problems().size() == 1);
  CHECK(missing.problems()[0].type == LoadProblem::Type::Unreadable);
  CHECK(missing.meshConfig().ingress_service == "istio-ingressgateway");
}

TEST_CASE("registry scopes from exportTo") {
  MeshGraph g = graphOf(R"(apiVersion: v1
kind: Service
metadata: {name: public, namespace: shop}
---
apiVersion: v1
kind: Service
metadata:
  name: private
  namespace: shop
  annotations: {networking.istio.io/exportTo: " . , team-a,team-b "}
---
apiVersion: v1
kind: Service
metadata:
  name: star
  namespace: shop
  annotations: {networking.istio.io/exportTo: "team-a,*"}
---
apiVersion: v1
kind: Service
metadata:
  name: empty
  namespace: shop
  annotations: {networking.istio.io/exportTo: ""}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: external, namespace: shop}
spec:
  hosts: [api.example.com, "*.wild.example.com"]
  exportTo: ["."]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: everywhere, namespace: shop}
spec:
  hosts: [open.example.com]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: listed, namespace: shop}
spec:
  hosts: [listed.example.com]
  exportTo: [other, ".", "*"]
)", noIngress());
  CHECK(scopes(g, "public.shop.svc.cluster.local") == std::vector<std::string>{"*"});
  CHECK(scopes(g, "private.shop.svc.cluster.local") == std::vector<std::string>{"shop", "team-a", "team-b"});
  CHECK(scopes(g, "star.shop.svc.cluster.local") == std::vector<std::string>{"*"});
  CHECK(scopes(g, "empty.shop.svc.cluster.local") == std::vector<std::string>{"*"});
  CHECK(scopes(g, "api.example.com") == std::vector<std::string>{"shop"});
  CHECK(scopes(g, "*.wild.example.com") == std::vector<std::string>{"shop"});
  CHECK(scopes(g, "open.example.com") == std::vector<std::string>{"*"});
  CHECK(scopes(g, "listed.example.com") == std::vector<std::string>{"*"});
  const auto* entries = g.registry().lookup("a.wild.example.com");
  REQUIRE(entries != nullptr);
  REQUIRE(entries->size() == 1);
  CHECK(entries->front().resource->name() == "external");
  const auto* pub = g.registry().lookup("public.shop.svc.cluster.local");
  REQUIRE(pub != nullptr);
  CHECK(pub->front().resource->kind == Kind::Service);
  CHECK(g.registry().lookup("public") == nullptr);
}

TEST_CASE("workloads index Pods and pod templates") {
  MeshGraph g = graphOf(R"(apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop, labels: {app: reviews}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: shop, labels: {app: not-the-template}}
spec:
  template:
    metadata: {labels: {app: reviews, version: v2}}
---
apiVersion: v1
kind: Service
metadata: {name: s, namespace: shop, labels: {app: reviews}}
)", noIngress());
  auto sel = g.workloads().select({{"app", "reviews"}});
  REQUIRE(sel.size() == 2);
  CHECK(sel[0]->name() == "d");
  CHECK(sel[1]->name() == "p");
  CHECK(g.workloads().select({{"app", "not-the-template"}}).empty());
  CHECK(g.workloads().select({{"version", "v2"}}).size() == 1);
}

struct CountedDerived {
  static inline std::atomic<int> built{0};
  size_t services;
  explicit CountedDerived(const MeshGraph& g) : services(g.ofKind(Kind::Service).size()) { ++built; }
};

TEST_CASE("derived data is built once per graph, also from several threads") {
  MeshGraph g = graphOf(std::string(kUserIngress), noIngress());
  CountedDerived::built = 0;
  std::vector<const CountedDerived*> seen(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) threads.emplace_back([&, i] { seen[i] = &g.derived<CountedDerived>(); });
  for (std::thread& t : threads) t.join();
  CHECK(CountedDerived::built == 1);
  for (const CountedDerived* d : seen) CHECK(d == seen[0]);
  CHECK(seen[0]->services == 1);
  // Another graph gets its own.
  MeshGraph other = graphOf("", noIngress());
  CHECK(other.derived<CountedDerived>().services == 0);
  CHECK(CountedDerived::built == 2);
}

TEST_CASE("load problems are carried into the graph") {
  MeshGraph g = graphOf({{"bad.yaml", "a: [\n"}, {"ok.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n"}});
  REQUIRE(g.problems().size() == 1);
  CHECK(g.problems()[0].type == LoadProblem::Type::Syntax);
  CHECK(g.files().path(g.problems()[0].span.file) == "bad.yaml");
  CHECK(g.find(Kind::Namespace, "", "x") != nullptr);
}

}  // namespace
}  // namespace istio_lint::model
