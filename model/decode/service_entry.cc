#include <map>
#include <set>

#include "model/decode/decode.h"
#include "model/decode/name_checks.h"
#include "model/decode/reader.h"
#include "model/decode/server_tls.h"
#include "model/resources/networking.h"

namespace istio_lint::model::decode {
namespace {

/// Istio's validation warnings on a ServiceEntry: partial wildcards, settings the resolution mode
/// ignores, several hosts sharing an address on a TCP port, STATIC endpoints without address.
void warnServiceEntry(Reader& r, const Node& spec, const ServiceEntry& se) {
  if (const Node* hosts = spec.get("hosts"); hosts != nullptr && hosts->isSeq()) {
    auto g = r.field("hosts");
    for (uint32_t i = 0; i < hosts->size; ++i) {
      std::string h = hosts->at(i).str();
      if (h.find('*') == std::string::npos || h == "*" || h.starts_with("*.")) continue;
      auto gi = r.index(i);
      r.issue(hosts->at(i), "partial wildcard \"" + h + "\" not allowed: a wildcard must be the whole first "
                            "label (\"*.example.com\"); list the hosts, or use a full-label wildcard",
              true);
    }
  }
  // resolution: NONE when unset; an invalid value is an error already, and no mode applies.
  const Node* res_node = spec.get("resolution");
  std::string resolution = res_node == nullptr || res_node->isNull() ? "NONE" : se.resolution.value;
  if (resolution.empty()) return;
  bool dns = resolution == "DNS" || resolution == "DNS_ROUND_ROBIN";
  if (resolution == "NONE") {
    const Node* ports = spec.get("ports");
    for (uint32_t i = 0; ports != nullptr && ports->isSeq() && i < ports->size; ++i) {
      const Node* tp = ports->at(i).get("targetPort");
      if (tp == nullptr || tp->asInt().value_or(0) == 0) continue;
      auto g = r.field("ports");
      auto gi = r.index(i);
      auto gt = r.field("targetPort");
      r.issue(*tp, "targetPort has no effect when resolution mode is NONE: connections keep their original "
                   "destination port; remove targetPort, or use resolution STATIC or DNS",
              true);
    }
  }
  if (const Node* ws = spec.get("workloadSelector"); ws != nullptr && !ws->isNull() && (resolution == "NONE" || dns)) {
    auto g = r.field("workloadSelector");
    r.issue(*ws, "workloadSelector should not be set when resolution mode is " + resolution +
                     ": the selected workloads are only used as endpoints with resolution STATIC",
            true);
  }
  if (dns && !se.addresses.empty() && se.hosts.size() > 1) {
    for (const ServicePort& p : se.ports) {
      if (!isTcpProtocol(p.protocol.value)) continue;
      auto g = r.field("hosts");
      r.issue(*spec.get("hosts"), "service entry can not have more than one host specified simultaneously with "
                                  "address and tcp port: the " + protocolName(p.protocol.value) + " port " +
                                  std::to_string(p.number) + " cannot tell the hosts apart; use one ServiceEntry "
                                  "per host",
              true);
      break;
    }
  }
  if (resolution == "STATIC") {
    const Node* eps = spec.get("endpoints");
    for (uint32_t i = 0; eps != nullptr && eps->isSeq() && i < eps->size; ++i) {
      const Node& ep = eps->at(i);
      if (!ep.isMap()) continue;
      const Node* addr = ep.get("address");
      const Node* net = ep.get("network");
      bool no_addr = addr == nullptr || addr->isNull() || addr->str().empty();
      if (!no_addr || net == nullptr || !net->isScalar() || net->isNull() || net->str().empty()) continue;
      auto g = r.field("endpoints");
      auto gi = r.index(i);
      r.issue(ep, "address is unset with network \"" + net->str() +
                      "\": the endpoint is only reachable through its network's gateway",
              true);
    }
  }
}

/// Istio's validation warnings on Sidecar egress hosts: a host listed twice in one listener, and
/// `*/*` next to other namespaces (it already selects everything).
void warnEgressHosts(Reader& r, const Node& egress, const std::string& ns) {
  const Node* hosts = egress.get("hosts");
  if (hosts == nullptr || !hosts->isSeq()) return;
  auto g = r.field("hosts");
  std::map<std::string, std::set<std::string>> by_ns;
  for (uint32_t i = 0; i < hosts->size; ++i) {
    if (!hosts->at(i).isString()) continue;
    std::string h = hosts->at(i).str();
    size_t slash = h.find('/');
    if (slash == std::string::npos) continue;  // an error: hosts are namespace/dnsName
    std::string hns = h.substr(0, slash), svc = h.substr(slash + 1);
    if (hns == "." && !ns.empty()) hns = ns;
    std::set<std::string>& svcs = by_ns[hns];
    bool dup = svc == "*" ? !svcs.empty() : svcs.count(svc) > 0 || svcs.count("*") > 0;
    if (dup) {
      auto gi = r.index(i);
      r.issue(hosts->at(i), "duplicated egress host: " + h + " is already selected by an earlier host of this "
                            "listener; remove it",
              true);
    }
    svcs.insert(svc);
  }
  auto all = by_ns.find("*");
  if (all != by_ns.end() && all->second.count("*") > 0 && by_ns.size() != 1) {
    r.issue(*hosts, "`*/*` host select all resources, no other hosts can be added: the other namespaces' "
                    "hosts change nothing; remove them or replace `*/*`",
            true);
  }
}

/// Istio's validation warnings on a Sidecar ingress listener: HTTP connection pool settings on a
/// port that is not HTTP. (The server TLS warnings come with readServerTls.)
void warnIngress(Reader& r, const Node& in) {
  const Node* port = in.get("port");
  const Node* pool = in.get("connectionPool");
  const Node* http = pool != nullptr && pool->isMap() ? pool->get("http") : nullptr;
  if (port != nullptr && port->isMap() && http != nullptr && !http->isNull()) {
    const Node* proto = port->get("protocol");
    std::string p = proto != nullptr && proto->isScalar() && !proto->isNull() ? proto->str() : "";
    if (!isHttpProtocol(p)) {
      const Node* num = port->get("number");
      const Node* name = port->get("name");
      std::string which = num != nullptr && num->isScalar() ? "port " + num->str() : "the port";
      if (name != nullptr && name->isScalar() && !name->str().empty()) which += " (\"" + name->str() + "\")";
      auto g = r.field("connectionPool");
      auto gh = r.field("http");
      r.issue(*http, "HTTP connection pool settings are configured for " + which + " but its protocol is not HTTP (" +
                         (p.empty() ? "unset" : p) + "); only TCP settings will apply: set an HTTP protocol on "
                         "the port, or move the limits to connectionPool.tcp",
              true);
    }
  }
}

}  // namespace

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
    if (!r.requireMap(n)) return;
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
    warnSelectorWithoutLabels(r, *ws, "labels", "ServiceEntry");
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
  warnServiceEntry(r, spec, *se);
  return se;
}

ResourcePtr decodeSidecar(Reader& r, const Node& spec) {
  auto sc = std::make_unique<Sidecar>();
  r.known(spec, {"workloadSelector", "ingress", "egress", "inboundConnectionPool", "outboundTrafficPolicy"});
  if (const Node* ws = r.map(spec, "workloadSelector")) {
    auto g = r.field("workloadSelector");
    warnSelectorWithoutLabels(r, *ws, "labels", "Sidecar");
    sc->workload_selector = r.labels(*ws, "labels").value_or(Labels{});
    sc->selector_span = r.span(ws);
  }
  r.each(spec, "egress", [&](const Node& n) {
    Sidecar::Egress e;
    e.span = r.span(n);
    if (!r.requireMap(n)) return;
    r.known(n, {"port", "bind", "captureMode", "hosts"});
    if (const Node* port = r.map(n, "port")) {
      auto g = r.field("port");
      e.port = r.port(*port, "number");
    }
    e.hosts = r.strList(n, "hosts");
    warnEgressHosts(r, n, r.ns());
    sc->egress.push_back(std::move(e));
  });
  if (const Node* ingress = spec.get("ingress"); ingress != nullptr && ingress->isSeq()) {
    auto g = r.field("ingress");
    for (uint32_t i = 0; i < ingress->size; ++i) {
      const Node& n = ingress->at(i);
      if (!n.isMap()) continue;
      auto gi = r.index(i);
      warnIngress(r, n);
      Sidecar::Ingress in;
      in.span = r.span(n);
      if (const Node* port = n.get("port"); port != nullptr && port->isMap()) {
        auto gp = r.field("port");
        in.port = r.port(*port, "number").value_or(0);
        in.port_name = r.strOr(*port, "name");
        in.protocol = r.strOr(*port, "protocol");
      }
      in.bind = r.strOr(n, "bind");
      in.capture_mode = r.strOr(n, "captureMode");
      in.default_endpoint = r.strOr(n, "defaultEndpoint");
      if (const Node* tls = n.get("tls"); tls != nullptr && tls->isMap()) {
        auto gt = r.field("tls");
        in.tls = readServerTls(r, *tls);
      }
      sc->ingress.push_back(std::move(in));
    }
  }
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
