#include "model/decode/decode.h"

#include "model/decode/reader.h"
#include "model/resources/kube.h"
#include "model/resources/networking.h"

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
  if (const Node* ts = meta->get("creationTimestamp"); ts != nullptr && ts->isScalar() && !ts->isNull()) {
    res.meta.creation_timestamp = ts->str();
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

/// status.conditions (every kind) and status.parents[].conditions (Gateway API routes). Status is
/// written by controllers, not users: values are read as written and never become schema issues.
void decodeConditions(Reader& r, const Node& root, Resource& res) {
  const Node* status = root.get("status");
  if (status == nullptr || !status->isMap()) return;
  auto text = [&](const Node& n, std::string_view key) {
    const Node* v = n.get(key);
    return v != nullptr && v->isScalar() && !v->isNull() ? Str{v->str(), r.span(*v)} : Str{};
  };
  auto read = [&](const Node* list, const std::string& parent) {
    if (list == nullptr || !list->isSeq()) return;
    for (uint32_t i = 0; i < list->size; ++i) {
      const Node& c = list->at(i);
      if (!c.isMap()) continue;
      res.conditions.push_back(Condition{text(c, "type"), text(c, "status"), text(c, "reason"),
                                         text(c, "message"), parent, r.span(c)});
    }
  };
  read(status->get("conditions"), "");
  const Node* parents = status->get("parents");
  if (parents == nullptr || !parents->isSeq()) return;
  for (uint32_t i = 0; i < parents->size; ++i) {
    const Node& p = parents->at(i);
    if (!p.isMap()) continue;
    std::string parent;
    if (const Node* ref = p.get("parentRef"); ref != nullptr && ref->isMap()) {
      Str ns = text(*ref, "namespace"), name = text(*ref, "name");
      parent = ns.empty() ? name.value : ns.value + "/" + name.value;
    }
    read(p.get("conditions"), parent);
  }
}

}  // namespace

ResourcePtr decodeResource(Kind kind, std::string api_version, const yaml::Node& root,
                           const yaml::DocumentPtr& doc, uint32_t file) {
  std::vector<SchemaIssue> issues;
  Reader r(file, issues);
  if (const Node* meta = root.get("metadata"); meta != nullptr && meta->isMap()) {
    if (const Node* ns = meta->get("namespace"); ns != nullptr && ns->isString()) r.setNamespace(ns->str());
  }
  const Node* spec = r.map(root, "spec");
  static const Node kEmpty = [] {
    Node n;
    n.type = yaml::NodeType::Mapping;
    return n;
  }();
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
      case Kind::ProxyConfig: res = decodeProxyConfig(r, s); break;
      case Kind::KubernetesGateway: res = decodeKubernetesGateway(r, s); break;
      case Kind::HTTPRoute:
      case Kind::GRPCRoute: res = decodeGatewayRoute(r, s); break;
      case Kind::CustomResourceDefinition: res = decodeCustomResourceDefinition(r, s); break;
      case Kind::AuthorizationPolicy: res = decodeAuthorizationPolicy(r, s); break;
      case Kind::RequestAuthentication: res = decodeRequestAuthentication(r, s); break;
      case Kind::Telemetry: res = decodeTelemetry(r, s); break;
      case Kind::WasmPlugin: res = decodeWasmPlugin(r, s); break;
      case Kind::EnvoyFilter: res = decodeEnvoyFilter(r, s); break;
      case Kind::WorkloadEntry: res = decodeWorkloadEntry(r, s); break;
      case Kind::WorkloadGroup: res = decodeWorkloadGroup(r, s); break;
      case Kind::PeerAuthentication: res = decodePeerAuthentication(r, s); break;
      case Kind::TrafficExtension: res = decodeTrafficExtension(r, s); break;
      case Kind::HorizontalPodAutoscaler: res = decodeHorizontalPodAutoscaler(r, s); break;
      case Kind::PodDisruptionBudget: res = decodePodDisruptionBudget(r, s); break;
      case Kind::NetworkPolicy: res = decodeNetworkPolicy(r, s); break;
      case Kind::Ingress: res = decodeIngress(r, s); break;
      case Kind::IngressClass: res = decodeIngressClass(r, s); break;
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
      case Kind::Node: res = std::make_unique<KubeNode>(); break;
      case Kind::Secret: res = decodeSecret(r, root); break;
      case Kind::ConfigMap: res = decodeConfigMap(r, root); break;
      case Kind::MutatingWebhookConfiguration:
      case Kind::ValidatingWebhookConfiguration: res = decodeWebhookConfiguration(r, root); break;
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
  decodeConditions(r, root, *res);
  if (kind == Kind::ServiceEntry) {  // status.addresses: virtual IPs istiod allocated
    const Node* st = root.get("status");
    const Node* addrs = st != nullptr && st->isMap() ? st->get("addresses") : nullptr;
    static_cast<ServiceEntry&>(*res).has_status_addresses = addrs != nullptr && addrs->isSeq() && addrs->size > 0;
  }
  res->schema_issues = std::move(issues);
  return res;
}

}  // namespace istio_lint::model::decode
