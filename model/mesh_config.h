#pragma once

// MeshConfig: from --meshConfigFile, else the `istio` ConfigMap (data.mesh) in the Istio namespace,
// else IstioOperator spec.meshConfig, else Istio's defaults.

#include <map>
#include <string>
#include <vector>

#include "model/resources/resource.h"
#include "model/yaml_tree.h"

namespace istio_lint::model {

struct ExtensionProvider {
  std::string name;
  std::string type;  // the provider's oneof key: envoyFileAccessLog, lightstep, zipkin, ...
};

struct MeshConfig {
  std::string root_namespace = "istio-system";
  std::string ingress_service = "istio-ingressgateway";
  std::string ingress_controller_mode = "STRICT";
  std::string ingress_selector;  // defaults to "ingressgateway"
  std::string ingress_class = "istio";  // the kubernetes.io/ingress.class value Istio serves
  std::string outbound_traffic_policy = "ALLOW_ANY";  // or REGISTRY_ONLY, ALLOW_ANY_DYNAMIC_DNS
  std::string trust_domain = "cluster.local";
  std::vector<std::string> default_access_logging;
  std::string access_log_file;  // accessLogFile: every proxy writes an access log when set
  std::vector<ExtensionProvider> extension_providers{
      {"prometheus", "prometheus"}, {"stackdriver", "stackdriver"}, {"envoy", "envoyFileAccessLog"}};
  std::map<std::string, std::string> proxy_metadata;
  std::string image_type;
  std::string source = "defaults";  // where it came from, for messages
  Span span;
  std::vector<SchemaIssue> issues;

  /// Merges the fields present in `root` (a MeshConfig mapping) over this config.
  void merge(const yaml::Node& root, uint32_t file);
};

}  // namespace istio_lint::model
