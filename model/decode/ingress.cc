// Decoder for networking.k8s.io/v1 Ingress and IngressClass (model/resources/ingress.h). The API
// server has validated these already; fields istiod does not read are not looked at.

#include "model/decode/decode.h"
#include "model/decode/reader.h"
#include "model/resources/ingress.h"

namespace istio_lint::model::decode {
namespace {

IngressBackend readBackend(Reader& r, const Node& n) {
  IngressBackend b;
  b.span = r.span(n);
  if (!r.requireMap(n)) return b;
  b.resource = n.get("resource") != nullptr;
  if (const Node* svc = r.map(n, "service")) {
    auto g = r.field("service");
    b.service = r.strOr(*svc, "name");
    if (const Node* port = r.map(*svc, "port")) {
      auto gp = r.field("port");
      b.port_number = r.port(*port, "number");
      b.port_name = r.strOr(*port, "name");
    }
  }
  return b;
}

}  // namespace

ResourcePtr decodeIngress(Reader& r, const Node& spec) {
  auto ing = std::make_unique<Ingress>();
  ing->ingress_class_name = r.strOr(spec, "ingressClassName");
  if (const Node* d = spec.get("defaultBackend"); d != nullptr && !d->isNull()) {
    auto g = r.field("defaultBackend");
    ing->default_backend = readBackend(r, *d);
  }
  // A list item that is not a mapping is an issue (IL0005) and is left out.
  r.each(spec, "tls", ing->tls, [&](const Node& n) {
    if (!r.requireMap(n)) return;
    IngressTls& t = ing->tls.emplace_back();
    t.span = r.span(n);
    t.hosts = r.strList(n, "hosts");
    t.secret_name = r.strOr(n, "secretName");
  });
  r.each(spec, "rules", ing->rules, [&](const Node& n) {
    if (!r.requireMap(n)) return;
    IngressRule& rule = ing->rules.emplace_back();
    rule.span = r.span(n);
    rule.host = r.strOr(n, "host");
    const Node* http = r.map(n, "http");
    if (http == nullptr) return;
    auto g = r.field("http");
    r.each(*http, "paths", rule.paths, [&](const Node& p) {
      if (!r.requireMap(p)) return;
      IngressPath& path = rule.paths.emplace_back();
      path.span = r.span(p);
      path.path = r.strOr(p, "path");
      path.path_type = r.strOr(p, "pathType");
      if (const Node* b = p.get("backend"); b != nullptr && !b->isNull()) {
        auto gb = r.field("backend");
        path.backend = readBackend(r, *b);
      }
    });
  });
  return ing;
}

ResourcePtr decodeIngressClass(Reader& r, const Node& spec) {
  auto ic = std::make_unique<IngressClass>();
  ic->controller = r.strOr(spec, "controller");
  return ic;
}

}  // namespace istio_lint::model::decode
