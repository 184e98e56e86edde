#include "model/decode/decode.h"
#include "model/decode/reader.h"
#include "model/resources/networking.h"

namespace istio_lint::model::decode {

ResourcePtr decodeServiceEntry(Reader& r, const Node& spec) {
  auto se = std::make_unique<ServiceEntry>();
  r.known(spec, {"hosts", "addresses", "ports", "location", "resolution", "endpoints",
                 "workloadSelector", "exportTo", "subjectAltNames"});
  se->hosts = r.strList(spec, "hosts");
  if (se->hosts.empty()) r.issue(spec, "ServiceEntry must have at least one host");
  se->addresses = r.strList(spec, "addresses");
  r.each(spec, "ports", [&](const Node& n) {
    ServicePort p;
    p.span = r.span(n);
    if (!n.isMap()) {
      r.issue(n, "expected a mapping");
      return;
    }
    r.known(n, {"number", "protocol", "name", "targetPort"});
    p.number = r.port(n, "number").value_or(0);
    p.name = r.strOr(n, "name");
    p.protocol = r.strOr(n, "protocol");
    p.target_port = r.port(n, "targetPort");
    se->ports.push_back(std::move(p));
  });
  se->location = r.enumeration(spec, "location", {"MESH_EXTERNAL", "MESH_INTERNAL"}).value_or(Str{});
  se->resolution = r.enumeration(spec, "resolution", {"NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN",
                                                     "DYNAMIC_DNS"})
                       .value_or(Str{});
  se->export_to = r.strList(spec, "exportTo");
  if (const Node* ws = r.map(spec, "workloadSelector")) {
    auto g = r.field("workloadSelector");
    se->workload_selector = r.labels(*ws, "labels").value_or(Labels{});
  }
  if (const Node* eps = spec.get("endpoints"); eps && eps->isSeq()) {
    se->endpoint_count = eps->size;
    for (uint32_t i = 0; i < eps->size; ++i) {
      const Node& ep = eps->at(i);
      const Node* a = ep.isMap() ? ep.get("address") : nullptr;
      if (a != nullptr && a->isScalar() && !a->isNull()) se->endpoint_addresses.push_back(a->str());
    }
  }
  return se;
}

ResourcePtr decodeSidecar(Reader& r, const Node& spec) {
  auto sc = std::make_unique<Sidecar>();
  r.known(spec, {"workloadSelector", "ingress", "egress", "inboundConnectionPool", "outboundTrafficPolicy"});
  if (const Node* ws = r.map(spec, "workloadSelector")) {
    auto g = r.field("workloadSelector");
    sc->workload_selector = r.labels(*ws, "labels").value_or(Labels{});
    sc->selector_span = r.span(ws);
  }
  r.each(spec, "egress", [&](const Node& n) {
    Sidecar::Egress e;
    e.span = r.span(n);
    if (!n.isMap()) {
      r.issue(n, "expected a mapping");
      return;
    }
    r.known(n, {"port", "bind", "captureMode", "hosts"});
    if (const Node* port = r.map(n, "port")) {
      auto g = r.field("port");
      e.port = r.port(*port, "number");
    }
    e.hosts = r.strList(n, "hosts");
    sc->egress.push_back(std::move(e));
  });
  if (const Node* otp = r.map(spec, "outboundTrafficPolicy")) {
    auto g = r.field("outboundTrafficPolicy");
    sc->outbound_traffic_policy =
        r.enumeration(*otp, "mode", {"REGISTRY_ONLY", "ALLOW_ANY"}).value_or(Str{});
    sc->has_egress_proxy = otp->get("egressProxy") != nullptr;
    for (uint32_t i = 0; i < otp->size; ++i) {
      if (otp->key(i).text == "egressProxy" || otp->key(i).text == "egress_proxy") sc->egress_proxy_span = r.span(otp->key(i));
    }
  }
  return sc;
}

}  // namespace istio_lint::model::decode
