// Decoders for gateway.networking.k8s.io kinds: Gateway, HTTPRoute and GRPCRoute (the fields the
// analyzers read).

#include "model/decode/decode.h"
#include "model/decode/reader.h"
#include "model/resources/gateway_api.h"

namespace istio_lint::model::decode {

ResourcePtr decodeKubernetesGateway(Reader& r, const Node& spec) {
  auto gw = std::make_unique<KubernetesGateway>();
  gw->gateway_class_name = r.strOr(spec, "gatewayClassName");
  r.each(spec, "listeners", [&](const Node& n) {
    if (!r.requireMap(n)) return;
    GatewayListener l;
    l.span = r.span(n);
    l.name = r.strOr(n, "name");
    l.hostname = r.str(n, "hostname");
    l.port = r.port(n, "port").value_or(0);
    l.protocol = r.strOr(n, "protocol");
    gw->listeners.push_back(std::move(l));
  });
  return gw;
}

ResourcePtr decodeGatewayRoute(Reader& r, const Node& spec) {
  auto route = std::make_unique<GatewayRoute>();
  r.each(spec, "parentRefs", [&](const Node& n) {
    if (!r.requireMap(n)) return;
    ParentRef p;
    p.span = r.span(n);
    p.group = r.strOr(n, "group");
    p.kind = r.strOr(n, "kind");
    p.name = r.strOr(n, "name");
    p.ns = r.strOr(n, "namespace");
    p.section_name = r.strOr(n, "sectionName");
    p.port = r.port(n, "port");
    route->parent_refs.push_back(std::move(p));
  });
  route->hostnames = r.strList(spec, "hostnames");
  return route;
}

}  // namespace istio_lint::model::decode
