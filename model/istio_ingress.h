#pragma once

// Whether Istio serves a Kubernetes Ingress (istiod's shouldProcessIngressWithClass): the
// `kubernetes.io/ingress.class` annotation equal to the mesh config's ingressClass ("istio")
// unless ingressControllerMode is OFF; else spec.ingressClassName naming an IngressClass whose
// controller is istio.io/ingress-controller; else, only with ingressControllerMode DEFAULT,
// every Ingress.

#include "model/mesh_graph.h"
#include "model/resources/ingress.h"
#include "model/resources/kube.h"

namespace istio_lint::model {

bool servedByIstio(const Ingress& ingress, const MeshGraph& graph);

/// The `istio` label value of the gateway workloads that serve Ingresses (istiod's
/// getIngressGatewaySelector): the mesh config's ingressSelector; else its ingressService when that
/// is set and not "istio-ingressgateway"; else "ingressgateway".
std::string ingressGatewaySelector(const MeshConfig& mesh);

/// The Service a path's backend names, in the Ingress's namespace; null for a resource backend
/// or a Service that is not in the inputs.
const Service* backendService(const IngressBackend& backend, const std::string& ingress_ns, const MeshGraph& graph);
/// The port of `svc` the backend names, by number or by name; null when the Service has none.
const KubeServicePort* backendServicePort(const IngressBackend& backend, const Service& svc);

}  // namespace istio_lint::model
