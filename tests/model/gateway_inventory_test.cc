#include "model/gateway_inventory.h"

#include <doctest/doctest.h>

#include "model/mesh_graph.h"

namespace istio_lint::model {
namespace {

MeshGraph graphOf(std::string text, DefaultIngress di = DefaultIngress::Off) {
  LoadOptions lo;
  lo.threads = 1;
  lo.default_namespace = "";
  GraphOptions go;
  go.default_ingress = di;
  return MeshGraph::build(load({Source{"in.yaml", std::move(text)}}, lo), go);
}

const GatewayWorkload* byName(const GatewayInventory& inv, std::string_view name) {
  for (const GatewayWorkload& g : inv.gateways()) {
    if (g.name() == name) return &g;
  }
  return nullptr;
}

// The seed's IstioOperator: two ingress gateways, one internal by its AWS annotation.
constexpr std::string_view kOperator = R"(apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: multi-gw, namespace: istio-system}
spec:
  profile: empty
  revision: canary
  components:
    ingressGateways:
    - name: public-gw
      enabled: true
      label: {istio: public-gw}
      k8s:
        service: {type: LoadBalancer}
        hpaSpec: {minReplicas: 2, maxReplicas: 10}
    - name: internal-gw
      enabled: true
      label: {istio: internal-gw}
      k8s:
        service:
          type: LoadBalancer
          annotations:
            service.beta.kubernetes.io/aws-load-balancer-internal: "true"
    egressGateways:
    - name: egress-fixed
      enabled: true
      label: {istio: egress-fixed}
      k8s:
        service: {type: ClusterIP}
    - name: disabled-gw
      enabled: false
)";

TEST_CASE("gateway inventory: IstioOperator components") {
  MeshGraph g = graphOf(std::string(kOperator));
  const GatewayInventory& inv = g.gatewayInventory();
  REQUIRE(inv.gateways().size() == 3);
  const GatewayWorkload* pub = byName(inv, "istio-system/public-gw");
  const GatewayWorkload* internal = byName(inv, "istio-system/internal-gw");
  const GatewayWorkload* egress = byName(inv, "istio-system/egress-fixed");
  REQUIRE(pub);
  REQUIRE(internal);
  REQUIRE(egress);
  CHECK(pub->source == GatewaySource::OperatorComponent);
  CHECK(pub->component != nullptr);
  CHECK(pub->component->has_hpa);
  CHECK(pub->component->hpa_min == 2);
  CHECK(pub->exposure == Exposure::Public);
  CHECK_FALSE(pub->egress);
  CHECK(pub->declared());
  CHECK(pub->revision == "canary");
  CHECK(pub->span().line == 9);
  CHECK(internal->exposure == Exposure::Internal);
  REQUIRE(internal->services.size() == 1);
  CHECK(internal->services[0].internal_annotation == "service.beta.kubernetes.io/aws-load-balancer-internal");
  CHECK(egress->egress);
  CHECK(egress->exposure == Exposure::ClusterOnly);
  // profile: empty installs no control plane.
  CHECK_FALSE(inv.hasControlPlane());
  CHECK(byName(inv, "istio-system/disabled-gw") == nullptr);
}

TEST_CASE("gateway inventory: injected gateway Deployment, its Pods, Services, HPA and PDB") {
  MeshGraph g = graphOf(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: team-gw, namespace: team-a}
spec:
  template:
    metadata:
      annotations: {inject.istio.io/templates: gateway}
      labels:
        istio: team-gw
        sidecar.istio.io/inject: "true"
        istio.io/rev: gw-v2
    spec:
      containers: [{name: istio-proxy, image: auto}]
---
apiVersion: v1
kind: Pod
metadata:
  name: team-gw-abc
  namespace: team-a
  labels: {istio: team-gw, sidecar.istio.io/inject: "true", istio.io/rev: gw-v2, pod-template-hash: abc}
spec:
  containers: [{name: istio-proxy, image: docker.io/istio/proxyv2:1.22.0}]
---
apiVersion: v1
kind: Service
metadata:
  name: team-gw
  namespace: team-a
  annotations: {networking.gke.io/load-balancer-type: Internal}
spec:
  type: LoadBalancer
  selector: {istio: team-gw}
  ports: [{port: 443, targetPort: 8443, name: https}]
---
apiVersion: v1
kind: Service
metadata: {name: team-gw-admin, namespace: team-a}
spec:
  selector: {istio: team-gw}
  ports: [{port: 15021, name: status-port}]
---
apiVersion: v1
kind: Service
metadata: {name: unrelated, namespace: team-a}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: team-gw, namespace: team-a}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: team-gw}
  minReplicas: 2
  maxReplicas: 6
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: team-gw, namespace: team-a}
spec:
  minAvailable: 1
  selector: {matchLabels: {istio: team-gw}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: team-a}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web}]}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: istiod-gw-v1
  namespace: istio-system
  labels: {app: istiod, istio.io/rev: gw-v1}
spec:
  template:
    metadata: {labels: {app: istiod}}
    spec: {containers: [{name: discovery, image: pilot}]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: istio-revision-tag-stable
  labels: {istio.io/tag: stable, istio.io/rev: gw-v1}
webhooks: []
)");
  const GatewayInventory& inv = g.gatewayInventory();
  REQUIRE(inv.gateways().size() == 1);  // the Pod folds into its Deployment; web is no gateway
  const GatewayWorkload& gw = inv.gateways().front();
  CHECK(gw.name() == "team-a/team-gw");
  CHECK(gw.workload->kind == Kind::Deployment);
  CHECK(gw.source == GatewaySource::InjectionTemplate);
  CHECK(gw.injection_template);
  CHECK(gw.inject_label);
  CHECK(gw.revision == "gw-v2");
  CHECK(gw.revision_span.line == 11);
  REQUIRE(gw.services.size() == 2);
  CHECK(gw.exposure == Exposure::Internal);
  CHECK(gw.services[0].service->name() == "team-gw");
  CHECK(gw.services[0].service->ports.front().target_port == "8443");
  CHECK(gw.services[1].exposure == Exposure::ClusterOnly);
  REQUIRE(gw.autoscalers.size() == 1);
  CHECK(gw.autoscalers[0]->min_replicas == 2);
  CHECK(gw.autoscalers[0]->max_replicas == 6);
  REQUIRE(gw.disruption_budgets.size() == 1);
  CHECK(gw.disruption_budgets[0]->min_available.value == "1");
  const auto* pod = static_cast<const Workload*>(g.find(Kind::Pod, "team-a", "team-gw-abc"));
  REQUIRE(pod);
  CHECK(inv.find(*pod) == &gw);
  CHECK(inv.hasControlPlane());
  CHECK(inv.providesRevision("gw-v1"));
  CHECK(inv.providesRevision("stable"));
  CHECK(inv.revisions().at("stable").tag_of == "gw-v1");
  CHECK_FALSE(inv.providesRevision("gw-v2"));
}

TEST_CASE("gateway inventory: Gateway selectors, public LoadBalancers and the assumed default") {
  MeshGraph g = graphOf(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: edge, namespace: edge}
spec:
  template:
    metadata: {labels: {app: edge-proxy}}
    spec: {containers: [{name: istio-proxy, image: auto}]}
---
apiVersion: v1
kind: Service
metadata: {name: edge, namespace: edge}
spec:
  type: LoadBalancer
  selector: {app: edge-proxy}
  ports: [{port: 443}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: edge, namespace: edge}
spec:
  selector: {app: edge-proxy}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [shop.example.com]
    tls: {mode: SIMPLE, credentialName: shop}
)",
                        DefaultIngress::IfMissing);
  const GatewayInventory& inv = g.gatewayInventory();
  REQUIRE(inv.gateways().size() == 2);
  const GatewayWorkload* edge = byName(inv, "edge/edge");
  const GatewayWorkload* assumed = byName(inv, "istio-system/istio-ingressgateway-dummypod");
  REQUIRE(edge);
  REQUIRE(assumed);
  CHECK(edge->source == GatewaySource::SelectedByGateway);
  CHECK(edge->exposure == Exposure::Public);
  CHECK(assumed->source == GatewaySource::AssumedDefault);
  CHECK_FALSE(assumed->declared());
  CHECK(assumed->exposure == Exposure::Unknown);
  const auto* gw = static_cast<const Gateway*>(g.find(Kind::Gateway, "edge", "edge"));
  REQUIRE(gw);
  REQUIRE(inv.forGateway(g, *gw).size() == 1);
  CHECK(inv.exposureOf(g, *gw) == Exposure::Public);
}

TEST_CASE("gateway inventory: internal load balancer annotations") {
  auto svc = [](std::string key, std::string value) {
    Service s;
    s.type.value = "LoadBalancer";
    s.meta.annotations[key] = Str{value, {}};
    return s;
  };
  CHECK(serviceExposure(svc("service.beta.kubernetes.io/aws-load-balancer-internal", "true")) == Exposure::Internal);
  CHECK(serviceExposure(svc("service.beta.kubernetes.io/aws-load-balancer-internal", "false")) == Exposure::Public);
  CHECK(serviceExposure(svc("service.beta.kubernetes.io/aws-load-balancer-scheme", "internal")) == Exposure::Internal);
  CHECK(serviceExposure(svc("service.beta.kubernetes.io/aws-load-balancer-scheme", "internet-facing")) ==
        Exposure::Public);
  CHECK(serviceExposure(svc("networking.gke.io/load-balancer-type", "Internal")) == Exposure::Internal);
  CHECK(serviceExposure(svc("cloud.google.com/load-balancer-type", "internal")) == Exposure::Internal);
  CHECK(serviceExposure(svc("service.beta.kubernetes.io/azure-load-balancer-internal", "true")) == Exposure::Internal);
  CHECK(serviceExposure(svc("service.beta.kubernetes.io/azure-load-balancer-internal", "false")) == Exposure::Public);
  CHECK(serviceExposure(svc("example.com/other", "true")) == Exposure::Public);
  Service node;
  node.type.value = "NodePort";
  CHECK(serviceExposure(node) == Exposure::NodePort);
  CHECK(serviceExposure(Service{}) == Exposure::ClusterOnly);
}

TEST_CASE("gateway inventory: control planes from IstioOperator and injector ConfigMaps") {
  MeshGraph g = graphOf(R"(apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: cp, namespace: istio-system}
spec:
  revision: 1-22
  components:
    pilot:
      k8s:
        env:
        - {name: PILOT_FILTER_GATEWAY_CLUSTER_CONFIG, value: "true"}
  values:
    pilot:
      env: {PILOT_ENABLE_ALPHA: "false"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: istio-sidecar-injector-1-23, namespace: istio-system}
data: {}
)");
  const GatewayInventory& inv = g.gatewayInventory();
  CHECK(inv.hasControlPlane());
  CHECK(inv.controlPlanes().size() == 2);
  CHECK(inv.providesRevision("1-22"));
  CHECK(inv.providesRevision("1-23"));
  CHECK_FALSE(inv.providesRevision("default"));
  const auto* op = static_cast<const IstioOperator*>(g.find(Kind::IstioOperator, "istio-system", "cp"));
  REQUIRE(op);
  CHECK(op->pilot_env.at("PILOT_FILTER_GATEWAY_CLUSTER_CONFIG").value == "true");
  CHECK(op->values_pilot_env.at("PILOT_ENABLE_ALPHA").value == "false");
  CHECK(op->installsControlPlane());
}

}  // namespace
}  // namespace istio_lint::model

namespace istio_lint::model {
namespace {

TEST_CASE("gateway inventory: Helm gateway chart, egress by name, namespace revision") {
  MeshGraph g = graphOf(R"(apiVersion: v1
kind: Namespace
metadata:
  name: egress
  labels: {istio.io/rev: 1-22}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: egress-card
  namespace: egress
  labels: {helm.sh/chart: gateway-1.22.3, app.kubernetes.io/name: egress-card}
spec:
  template:
    metadata: {labels: {app: egress-card}}
    spec: {containers: [{name: istio-proxy, image: auto}]}
---
apiVersion: v1
kind: Service
metadata: {name: egress-card, namespace: egress}
spec:
  type: NodePort
  selector: {app: egress-card}
  ports: [{port: 443, targetPort: 8443, name: tls}]
)");
  const GatewayInventory& inv = g.gatewayInventory();
  REQUIRE(inv.gateways().size() == 1);
  const GatewayWorkload& e = inv.gateways().front();
  CHECK(e.source == GatewaySource::HelmChart);
  CHECK(e.egress);
  CHECK(e.exposure == Exposure::NodePort);
  CHECK(e.revision == "1-22");
  CHECK(e.revision_span.line == 5);  // the Namespace's labels
  CHECK(gatewaySourceName(e.source) == "Helm gateway chart");
  CHECK(exposureName(e.exposure) == "NodePort");
}

}  // namespace
}  // namespace istio_lint::model
