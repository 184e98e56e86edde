#include "model/mesh_config.h"

#include "model/decode/reader.h"

namespace istio_lint::model {

void MeshConfig::merge(const yaml::Node& root, uint32_t file) {
  decode::Reader r(file, issues);
  span = root.span(file);
  if (!root.isMap()) {
    if (!root.isNull()) r.issue(root, "mesh config must be a mapping");
    return;
  }
  if (auto v = r.str(root, "rootNamespace")) root_namespace = v->value;
  if (auto v = r.str(root, "ingressService")) ingress_service = v->value;
  if (auto v = r.str(root, "ingressControllerMode")) ingress_controller_mode = v->value;
  if (auto v = r.str(root, "ingressSelector")) ingress_selector = v->value;
  if (auto v = r.str(root, "ingressClass")) ingress_class = v->value;
  if (auto v = r.str(root, "trustDomain")) trust_domain = v->value;
  if (auto v = r.str(root, "accessLogFile")) access_log_file = v->value;
  if (const yaml::Node* otp = r.map(root, "outboundTrafficPolicy")) {
    auto g = r.field("outboundTrafficPolicy");
    // ALLOW_ANY_DYNAMIC_DNS (Istio 1.31) exists only here; the Sidecar resource does not accept it.
    if (auto mode = r.enumeration(*otp, "mode", {"REGISTRY_ONLY", "ALLOW_ANY", "ALLOW_ANY_DYNAMIC_DNS"})) {
      outbound_traffic_policy = mode->value;
    }
  }
  if (const yaml::Node* dp = r.map(root, "defaultProviders")) {
    auto g = r.field("defaultProviders");
    default_access_logging.clear();
    for (Str& s : r.strList(*dp, "accessLogging")) default_access_logging.push_back(s.value);
  }
  if (const yaml::Node* eps = root.get("extensionProviders"); eps && eps->isSeq()) {
    // Like protobuf merge of a repeated field: the file's list is appended to the defaults.
    auto g = r.field("extensionProviders");
    for (uint32_t i = 0; i < eps->size; ++i) {
      const yaml::Node& p = eps->at(i);
      if (!p.isMap()) continue;
      ExtensionProvider ep;
      for (uint32_t j = 0; j < p.size; ++j) {
        if (p.key(j).text == "name") {
          ep.name = p.value(j).str();
        } else {
          ep.type = p.key(j).str();
        }
      }
      extension_providers.push_back(std::move(ep));
    }
  }
  if (const yaml::Node* dc = r.map(root, "defaultConfig")) {
    auto g = r.field("defaultConfig");
    r.entries(*dc, "proxyMetadata", [&](std::string_view k, const yaml::Node& v) {
      proxy_metadata[std::string(k)] = v.str();
    });
    if (const yaml::Node* image = r.map(*dc, "image")) {
      if (auto t = r.str(*image, "imageType")) image_type = t->value;
    }
  }
}

}  // namespace istio_lint::model
