#pragma once

// Whether Istio serves a Kubernetes Ingress (istiod's shouldProcessIngressWithClass): the
// `kubernetes.io/ingress.class` annotation equal to the mesh config's ingressClass ("istio")
// unless ingressControllerMode is OFF; else spec.ingressClassName naming an IngressClass whose
// controller is istio.io/ingress-controller; else, only with ingressControllerMode DEFAULT,
// every Ingress.

#include "model/mesh_graph.h"
#include "model/resources/ingress.h"

namespace istio_lint::model {

bool servedByIstio(const Ingress& ingress, const MeshGraph& graph);

}  // namespace istio_lint::model
