#include "analyzers/workloads.h"

#include <cctype>

#include "model/ascii.h"
#include "model/yaml_tree.h"

namespace istio_lint::analyzers::workloads {

bool isSystemNamespace(std::string_view ns) {
  return ns == "kube-system" || ns == "kube-public" || ns == "kube-node-lease" || ns == "local-path-storage";
}

bool isControlPlane(const model::Resource& r) {
  const model::Labels& l = r.meta.labels;
  if (l.count("istio")) return true;
  auto it = l.find("release");
  return it != l.end() && it->second == "istio";
}

const model::Container* istioProxy(const model::Workload& w) {
  for (const auto* list : {&w.containers, &w.init_containers}) {
    for (const model::Container& c : *list) {
      if (c.name.value == kIstioProxy) return &c;
    }
  }
  return nullptr;
}

const std::string* label(const model::Labels& labels, std::string_view key) {
  auto it = labels.find(std::string(key));
  return it == labels.end() ? nullptr : &it->second;
}

PodOwnership::PodOwnership(const model::MeshGraph& g) {
  for (const model::Resource* r : g.ofKind(model::Kind::Deployment)) {
    const auto& dep = static_cast<const model::Workload&>(*r);
    if (dep.pod_labels.empty()) continue;  // selects nothing: a Deployment's selector is never empty
    g.workloads().forEach(dep.pod_labels, dep.ns(), false, [&](const model::Workload* w) {
      if (w->kind == model::Kind::Pod) {
        owned_.insert(w);
        with_pods_.insert(&dep);
      }
      return false;
    });
  }
}

bool isInjectorConfigMap(const model::Resource& cm, std::string* revision) {
  if (cm.kind != model::Kind::ConfigMap || !cm.name().starts_with(kInjectorConfigMap)) return false;
  if (revision != nullptr) {
    std::string rest = cm.name().substr(kInjectorConfigMap.size());
    if (!rest.empty() && rest.front() == '-') rest.erase(0, 1);
    *revision = rest.empty() ? "default" : rest;
  }
  return true;
}

namespace {

const model::yaml::Node* path(const model::yaml::Node* n, std::initializer_list<std::string_view> keys) {
  for (std::string_view k : keys) {
    if (n == nullptr || !n->isMap()) return nullptr;
    n = n->get(k);
  }
  return n;
}

std::string scalar(const model::yaml::Node* n) {
  return n != nullptr && n->isScalar() && !n->isNull() ? n->str() : std::string();
}

}  // namespace

InjectorValues readInjectorValues(const model::ConfigMap& cm) {
  InjectorValues out;
  auto it = cm.data.find("values");
  if (it == cm.data.end()) return out;
  model::yaml::ParseResult parsed = model::yaml::parse(it->second.value, it->second.span.file);
  if (!parsed.problems.empty() || parsed.documents.empty() || parsed.documents.front()->root() == nullptr) return out;
  const model::yaml::Node* root = parsed.documents.front()->root();
  if (!root->isMap()) return out;
  out.parsed = true;
  if (const model::yaml::Node* e = path(root, {"sidecarInjectorWebhook", "enableNamespacesByDefault"})) {
    out.enable_namespaces_by_default = e->asBool().value_or(false);
  }
  std::string image = scalar(path(root, {"global", "proxy", "image"}));
  if (image.find('/') != std::string::npos) {
    out.proxy_image = image;
  } else if (!image.empty()) {
    out.proxy_image = scalar(path(root, {"global", "hub"})) + "/" + image + ":" + scalar(path(root, {"global", "tag"}));
  }
  return out;
}

std::string portProtocol(const model::KubeServicePort& p) {
  if (p.protocol.value == "UDP") return "UDP";
  std::string name = p.app_protocol.empty() ? p.name.value : p.app_protocol.value;
  if (!p.app_protocol.empty()) {
    if (name == "kubernetes.io/h2c") return "HTTP2";
    if (name == "kubernetes.io/ws") return "HTTP";
    if (name == "kubernetes.io/wss") return "HTTPS";
  }
  name = model::asciiLower(name);
  if (name.starts_with("grpc-web")) return "GRPC-Web";
  name = name.substr(0, name.find('-'));
  static const std::pair<const char*, const char*> kNames[] = {
      {"tcp", "TCP"},     {"udp", "UDP"},       {"grpc", "GRPC"},   {"http", "HTTP"},   {"http_proxy", "HTTP_PROXY"},
      {"http2", "HTTP2"}, {"https", "HTTPS"},   {"tls", "TLS"},     {"mongo", "Mongo"}, {"redis", "Redis"},
      {"mysql", "MySQL"}};
  for (auto [n, proto] : kNames) {
    if (name == n) return proto;
  }
  switch (p.port) {
    case 27017: return "Mongo";
    case 6379: return "Redis";
    case 3306: return "MySQL";
    default: return "";
  }
}

std::string joinList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : " ") + s;
  return out;
}

}  // namespace istio_lint::analyzers::workloads
