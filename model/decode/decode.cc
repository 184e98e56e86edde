#include "model/decode/decode.h"

#include "model/decode/reader.h"
#include "model/resources/kube.h"

namespace istio_lint::model::decode {
namespace {

void decodeMeta(Reader& r, const Node& root, Resource& res) {
  const Node* meta = r.map(root, "metadata");
  if (meta == nullptr) return;
  auto g = r.field("metadata");
  res.meta.name = r.strOr(*meta, "name");
  if (auto ns = r.str(*meta, "namespace")) {
    res.meta.ns = *ns;
    res.meta.ns_given = true;
  }
  if (auto l = r.labels(*meta, "labels", &res.meta.labels_span)) res.meta.labels = std::move(*l);
  r.entries(*meta, "annotations", [&](std::string_view k, const Node& v) {
    if (v.isScalar() && !v.isNull()) {
      res.meta.annotations.emplace(std::string(k), Str{v.str(), r.span(v)});
    } else if (!v.isNull()) {
      r.issue(v, "annotation values must be strings");
    }
  });
}

}  // namespace

ResourcePtr decodeResource(Kind kind, std::string api_version, const yaml::Node& root,
                           const yaml::DocumentPtr& doc, uint32_t file) {
  std::vector<SchemaIssue> issues;
  Reader r(file, issues);
  const Node* spec = r.map(root, "spec");
  static const Node kEmpty{yaml::NodeType::Mapping};
  const Node& s = spec ? *spec : kEmpty;
  ResourcePtr res;
  {
    auto g = r.field("spec");
    switch (kind) {
      case Kind::VirtualService: res = decodeVirtualService(r, s); break;
      case Kind::Gateway: res = decodeGateway(r, s); break;
      case Kind::DestinationRule: res = decodeDestinationRule(r, s); break;
      case Kind::ServiceEntry: res = decodeServiceEntry(r, s); break;
      case Kind::Sidecar: res = decodeSidecar(r, s); break;
      case Kind::IstioOperator: res = decodeIstioOperator(r, s, doc); break;
      default: break;
    }
  }
  if (!res) {
    switch (kind) {
      case Kind::Service: res = decodeService(r, root); break;
      case Kind::Pod:
      case Kind::Deployment:
      case Kind::StatefulSet:
      case Kind::DaemonSet: res = decodeWorkload(r, kind, root); break;
      case Kind::Namespace: res = std::make_unique<Namespace>(); break;
      case Kind::Secret: res = decodeSecret(r, root); break;
      case Kind::ConfigMap: res = decodeConfigMap(r, root); break;
      default: {
        auto g = std::make_unique<GenericResource>();
        g->doc = doc;
        g->root = &root;
        res = std::move(g);
      }
    }
  }
  res->kind = kind;
  res->api_version = std::move(api_version);
  res->span = r.span(root);
  decodeMeta(r, root, *res);
  res->schema_issues = std::move(issues);
  return res;
}

}  // namespace istio_lint::model::decode
