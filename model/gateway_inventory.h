#pragma once

// The gateway inventory: which gateway workloads the inputs declare, how each is exposed, which
// control-plane revision it runs, and what scales and protects it. Built once per MeshGraph from
// Deployments / StatefulSets / DaemonSets / Pods, IstioOperator gateway components, gateway
// injection (`inject.istio.io/templates: gateway`), Helm-rendered gateway charts and the workloads
// that Istio Gateway selectors pick; their Services decide public vs internal.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/resources/autoscaling.h"
#include "model/resources/kube.h"
#include "model/resources/networking.h"

namespace istio_lint::model {

class MeshGraph;

/// How a Service makes a gateway reachable.
enum class Exposure : uint8_t {
  Unknown,      // no Service selects the workload (or it is the assumed default ingress)
  ClusterOnly,  // ClusterIP (or ExternalName / headless): reachable inside the cluster only
  NodePort,     // node ports: depends on what sits in front of the nodes
  Internal,     // a LoadBalancer with a cloud's internal annotation
  Public,       // a LoadBalancer without an internal annotation
};
std::string_view exposureName(Exposure e);

/// Why a workload is taken to be a gateway (the first that applies, in this order).
enum class GatewaySource : uint8_t {
  OperatorComponent,  // IstioOperator components.ingressGateways / egressGateways
  AssumedDefault,     // Istio's default ingress gateway, assumed offline
  InjectionTemplate,  // inject.istio.io/templates: gateway
  HelmChart,          // helm.sh/chart: gateway-* / istio-ingress* / istio-egress*
  GatewayLabel,       // istio: *gateway, app: istio-ingressgateway / istio-egressgateway
  SelectedByGateway,  // only known because an Istio Gateway's selector picks it
};
std::string_view gatewaySourceName(GatewaySource s);

/// The internal-load-balancer annotations of AWS, GCP, Azure and a few other clouds. When one of
/// them is set on a LoadBalancer Service (with its internal value), the Service is internal.
/// Returns the annotation key that makes `svc` internal, or empty.
std::string internalLoadBalancerAnnotation(const Service& svc);
/// The exposure of one Service.
Exposure serviceExposure(const Service& svc);

struct GatewayService {
  const Service* service = nullptr;
  Exposure exposure = Exposure::Unknown;
  std::string internal_annotation;  // the annotation that made a LoadBalancer internal
};

struct GatewayWorkload {
  const Workload* workload = nullptr;  // Deployment, StatefulSet, DaemonSet or Pod (synthetic for
                                       // operator components and the assumed default ingress)
  GatewaySource source = GatewaySource::GatewayLabel;
  const IstioOperator* op = nullptr;             // OperatorComponent: the resource and component
  const OperatorGateway* component = nullptr;
  bool egress = false;
  /// The control-plane revision it is injected by: istio.io/rev of the pod template or workload,
  /// else the IstioOperator's spec.revision, else the namespace's istio.io/rev; empty for none.
  std::string revision;
  Span revision_span;
  /// inject.istio.io/templates names `gateway` / sidecar.istio.io/inject is "true".
  bool injection_template = false;
  bool inject_label = false;
  std::vector<GatewayService> services;  // Services of its namespace that select it, by name
  Exposure exposure = Exposure::Unknown; // the widest of its Services
  std::vector<const HorizontalPodAutoscaler*> autoscalers;  // HPAs whose scaleTargetRef names it
  std::vector<const PodDisruptionBudget*> disruption_budgets;  // PDBs whose selector picks it

  /// Declared in the inputs (an operator component counts; the assumed default ingress does not).
  bool declared() const { return source != GatewaySource::AssumedDefault; }
  /// "ns/name".
  std::string name() const { return workload->ns() + "/" + workload->name(); }
  /// Where findings about the workload point: the operator component, else the workload's name.
  Span span() const {
    if (component != nullptr) return component->span;
    return workload->meta.name.span.known() ? workload->meta.name.span : workload->span;
  }
  /// The resource findings about it belong to: the IstioOperator for a component.
  const Resource& owner() const { return op != nullptr ? static_cast<const Resource&>(*op) : *workload; }
};

/// A control-plane revision found in the inputs, or a revision tag pointing at one.
struct Revision {
  std::string name;
  std::string tag_of;               // for a tag: the revision it points at; empty for a revision
  const Resource* from = nullptr;   // the istiod Deployment, IstioOperator, webhook or ConfigMap
};

class GatewayInventory {
 public:
  /// Builds the inventory of a graph whose indexes are complete. Keeps pointers into the graph's
  /// resources only (never to the graph), so it stays valid when the graph is moved.
  static std::shared_ptr<const GatewayInventory> build(const MeshGraph& g);

  /// Every gateway workload, sorted by (namespace, name, kind).
  const std::vector<GatewayWorkload>& gateways() const { return gateways_; }
  /// The inventory entry of a workload, or null when it is not a gateway.
  const GatewayWorkload* find(const Workload& w) const;
  /// The gateway workloads an Istio Gateway's selector picks (Pods owned by a Deployment in the
  /// inputs are represented by the Deployment).
  std::vector<const GatewayWorkload*> forGateway(const MeshGraph& g, const Gateway& gw) const;
  /// The widest exposure among the declared gateway workloads a Gateway selects.
  Exposure exposureOf(const MeshGraph& g, const Gateway& gw) const;

  /// Control-plane manifests are among the inputs (istiod, an installing IstioOperator, the
  /// injector webhook or ConfigMap).
  bool hasControlPlane() const { return !control_planes_.empty(); }
  /// The resources that make up a control plane, in input order.
  const std::vector<const Resource*>& controlPlanes() const { return control_planes_; }
  /// Revisions and revision tags the inputs provide, by name ("default" for an unrevisioned
  /// control plane).
  const std::map<std::string, Revision>& revisions() const { return revisions_; }
  bool providesRevision(std::string_view rev) const { return revisions_.count(std::string(rev)) != 0; }

 private:
  std::vector<GatewayWorkload> gateways_;
  std::map<const Workload*, size_t> index_;
  std::vector<const Resource*> control_planes_;
  std::map<std::string, Revision> revisions_;
};

}  // namespace istio_lint::model
