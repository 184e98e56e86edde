#include "model/istio_ingress.h"

#include <cctype>
#include <string>

namespace istio_lint::model {

bool servedByIstio(const Ingress& ing, const MeshGraph& g) {
  const MeshConfig& mc = g.meshConfig();
  std::string mode = mc.ingress_controller_mode;
  for (char& c : mode) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (const Str* cls = ing.annotation("kubernetes.io/ingress.class")) {
    return (mode == "STRICT" || mode == "DEFAULT") && cls->value == mc.ingress_class;
  }
  if (!ing.ingress_class_name.empty()) {
    const auto* ic = static_cast<const IngressClass*>(g.find(Kind::IngressClass, "", ing.ingress_class_name.value));
    if (ic != nullptr) return ic->controller.value == "istio.io/ingress-controller";
  }
  return mode == "DEFAULT";
}

}  // namespace istio_lint::model
