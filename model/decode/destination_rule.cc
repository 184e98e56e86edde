#include "model/decode/decode.h"
#include "model/decode/name_checks.h"
#include "model/decode/reader.h"
#include "model/resources/networking.h"

namespace istio_lint::model::decode {
namespace {

std::optional<ClientTls> readClientTls(Reader& r, const Node& parent) {
  const Node* n = r.map(parent, "tls");
  if (n == nullptr) return std::nullopt;
  auto g = r.field("tls");
  ClientTls t;
  t.span = r.span(n);
  r.known(*n, {"mode", "clientCertificate", "privateKey", "caCertificates", "credentialName",
               "subjectAltNames", "sni", "insecureSkipVerify", "caCrl"});
  // The client-side modes; PASSTHROUGH and AUTO_PASSTHROUGH exist only on Gateway servers.
  t.mode = r.enumeration(*n, "mode", {"DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"}).value_or(Str{});
  t.credential_name = r.strOr(*n, "credentialName");
  t.ca_certificates = r.strOr(*n, "caCertificates");
  t.sni = r.strOr(*n, "sni");
  t.subject_alt_names = r.strList(*n, "subjectAltNames");
  return t;
}

/// Istio's validation warnings on a traffic policy (or one of its portLevelSettings): deprecated
/// outlier and hashing fields, and locality failover without the outlier detection it needs.
void warnTrafficPolicy(Reader& r, const Node& policy) {
  const Node* outlier = policy.get("outlierDetection");
  bool has_outlier = outlier != nullptr && !outlier->isNull();
  if (has_outlier && outlier->isMap()) {
    const Node* ce = outlier->get("consecutiveErrors");
    if (ce != nullptr && ce->asInt().value_or(0) != 0) {
      auto g = r.field("outlierDetection");
      auto gc = r.field("consecutiveErrors");
      r.issue(*ce, "outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or "
                   "consecutive5xxErrors instead",
              true);
    }
  }
  const Node* lb = policy.get("loadBalancer");
  if (lb == nullptr || !lb->isMap()) return;
  auto g = r.field("loadBalancer");
  if (const Node* ch = lb->get("consistentHash"); ch != nullptr && ch->isMap()) {
    const Node* mrs = ch->get("minimumRingSize");
    if (mrs != nullptr && mrs->asInt().value_or(0) != 0) {
      auto gc = r.field("consistentHash");
      auto gm = r.field("minimumRingSize");
      r.issue(*mrs, "consistent hash minimumRingSize is deprecated, use ringHash: {minimumRingSize: N} in "
                    "consistentHash instead",
              true);
    }
  }
  const Node* locality = lb->get("localityLbSetting");
  if (locality == nullptr || !locality->isMap() || has_outlier) return;
  for (std::string_view key : {"failover", "failoverPriority"}) {
    const Node* f = locality->get(key);
    if (f == nullptr || !f->isSeq() || f->size == 0) continue;
    auto gl = r.field("localityLbSetting");
    auto gf = r.field(key);
    r.issue(*f, "outlier detection policy must be provided for failover: without outlierDetection in this "
                "traffic policy, unhealthy endpoints are never ejected and traffic never fails over",
            true);
    return;
  }
}

std::optional<TrafficPolicy> readTrafficPolicy(Reader& r, const Node& parent) {
  const Node* n = r.map(parent, "trafficPolicy");
  if (n == nullptr) return std::nullopt;
  auto g = r.field("trafficPolicy");
  TrafficPolicy tp;
  tp.span = r.span(n);
  r.known(*n, {"loadBalancer", "connectionPool", "outlierDetection", "tls", "portLevelSettings",
               "tunnel", "proxyProtocol", "retryBudget"});
  tp.tls = readClientTls(r, *n);
  warnTrafficPolicy(r, *n);
  r.each(*n, "portLevelSettings", [&](const Node& p) {
    TrafficPolicy::PortLevel pl;
    pl.span = r.span(p);
    if (!r.requireMap(p)) return;
    r.known(p, {"port", "loadBalancer", "connectionPool", "outlierDetection", "tls"});
    if (const Node* port = r.map(p, "port")) {
      auto gp = r.field("port");
      r.known(*port, {"number"});
      pl.port.number = r.port(*port, "number");
      pl.port.span = r.span(port);
    }
    pl.tls = readClientTls(r, p);
    warnTrafficPolicy(r, p);
    tp.port_level.push_back(std::move(pl));
  });
  return tp;
}

}  // namespace

ResourcePtr decodeDestinationRule(Reader& r, const Node& spec) {
  auto dr = std::make_unique<DestinationRule>();
  r.known(spec, {"host", "trafficPolicy", "subsets", "exportTo", "workloadSelector"});
  dr->host = r.strOr(spec, "host");
  if (dr->host.empty()) r.issue(spec, "host is required");
  dr->traffic_policy = readTrafficPolicy(r, spec);
  dr->export_to = r.strList(spec, "exportTo");
  r.each(spec, "subsets", dr->subsets, [&](const Node& n) {
    Subset s;
    s.span = r.span(n);
    if (!r.requireMap(n)) return;
    r.known(n, {"name", "labels", "trafficPolicy"});
    s.name = r.strOr(n, "name");
    if (auto l = r.labels(n, "labels")) s.labels = std::move(*l);
    s.traffic_policy = readTrafficPolicy(r, n);
    dr->subsets.push_back(std::move(s));
  });
  if (const Node* ws = r.map(spec, "workloadSelector")) {
    auto g = r.field("workloadSelector");
    warnSelectorWithoutLabels(r, *ws, "matchLabels", "DestinationRule");
    dr->workload_selector = r.labels(*ws, "matchLabels").value_or(Labels{});
  }
  return dr;
}

}  // namespace istio_lint::model::decode
