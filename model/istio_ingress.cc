#include "model/istio_ingress.h"

#include <string>

namespace istio_lint::model {

bool servedByIstio(const Ingress& ing, const MeshGraph& g) {
  const MeshConfig& mc = g.meshConfig();
  const std::string& mode = mc.ingress_controller_mode;  // an enum name, compared as written
  if (const Str* cls = ing.annotation("kubernetes.io/ingress.class")) {
    return (mode == "STRICT" || mode == "DEFAULT") && cls->value == mc.ingress_class;
  }
  if (!ing.ingress_class_name.empty()) {
    const auto* ic = static_cast<const IngressClass*>(g.find(Kind::IngressClass, "", ing.ingress_class_name.value));
    if (ic != nullptr) return ic->controller.value == "istio.io/ingress-controller";
  }
  return mode == "DEFAULT";
}

std::string ingressGatewaySelector(const MeshConfig& mesh) {
  if (!mesh.ingress_selector.empty()) return mesh.ingress_selector;
  if (!mesh.ingress_service.empty() && mesh.ingress_service != "istio-ingressgateway") return mesh.ingress_service;
  return "ingressgateway";
}

const Service* backendService(const IngressBackend& b, const std::string& ingress_ns, const MeshGraph& g) {
  if (b.service.empty()) return nullptr;
  return static_cast<const Service*>(g.find(Kind::Service, ingress_ns, b.service.value));
}

const KubeServicePort* backendServicePort(const IngressBackend& b, const Service& svc) {
  for (const KubeServicePort& p : svc.ports) {
    if (b.port_number && *b.port_number > 0 ? p.port == *b.port_number : p.name.value == b.port_name.value) return &p;
  }
  return nullptr;
}

}  // namespace istio_lint::model
