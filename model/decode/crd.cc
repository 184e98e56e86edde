// Decoder for apiextensions.k8s.io CustomResourceDefinition: group, names, scope and versions.

#include "model/decode/decode.h"
#include "model/decode/reader.h"
#include "model/resources/crd.h"

namespace istio_lint::model::decode {

ResourcePtr decodeCustomResourceDefinition(Reader& r, const Node& spec) {
  auto crd = std::make_unique<CustomResourceDefinition>();
  crd->group = r.strOr(spec, "group");
  crd->scope = r.strOr(spec, "scope");
  if (const Node* names = r.map(spec, "names")) {
    auto g = r.field("names");
    crd->kind = r.strOr(*names, "kind");
    crd->plural = r.strOr(*names, "plural");
  }
  r.each(spec, "versions", [&](const Node& n) {
    if (!r.requireMap(n)) return;
    if (auto name = r.str(n, "name")) crd->versions.push_back(std::move(*name));
  });
  return crd;
}

}  // namespace istio_lint::model::decode
