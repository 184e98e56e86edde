#pragma once

// Typed Kubernetes resources: Services, workloads (Pods and pod templates), Namespaces, Secrets,
// ConfigMaps and the IstioOperator gateway components.

#include <cstdint>
#include <optional>
#include <utility>

#include "model/resources/resource.h"

namespace istio_lint::model {

struct KubeServicePort {
  uint32_t port = 0;
  Str name, protocol, app_protocol;
  std::string target_port;  // number or named port, as written; empty when absent
  bool protocol_given = false;
  Span span;
};

struct Service : Resource {
  Str type;  // ClusterIP (default), NodePort, LoadBalancer, ExternalName
  std::optional<Labels> selector;
  std::vector<KubeServicePort> ports;
  std::string cluster_ip;
  std::string external_name;
};

struct Container {
  Str name, image;
  std::vector<std::pair<std::string, Str>> env;
  std::vector<uint32_t> ports;
  std::vector<std::pair<std::string, uint32_t>> named_ports;  // ports[].name -> containerPort
  std::optional<int64_t> run_as_user;
  Span run_as_user_span;  // securityContext.runAsUser
};

/// A Pod, or the pod template of a Deployment / StatefulSet / DaemonSet.
struct Workload : Resource {
  Labels pod_labels;  // for a Pod, its own labels; for a controller, the template's
  std::map<std::string, Str> pod_annotations;
  std::vector<Container> containers, init_containers;
  std::string node_name;
  std::optional<int64_t> pod_run_as_user;
  Span pod_run_as_user_span;  // the pod securityContext.runAsUser
  bool host_network = false;
  std::optional<int64_t> replicas;
  Labels node_selector;
  /// The `istio.io/rev` label: of the pod template for a controller (else its own metadata), of
  /// the Pod itself for a Pod. Unknown when neither carries it.
  Span revision_label_span;
};

struct Namespace : Resource {};

/// A Kubernetes Node. Its labels (meta.labels) carry the topology (region, zone, subzone) that
/// istiod adds to the endpoints of the Pods scheduled on it (spec.nodeName).
struct KubeNode : Resource {};

struct Secret : Resource {
  Str type;
  std::map<std::string, std::string> data;  // base64 as written
  std::map<std::string, std::string> string_data;
};

struct ConfigMap : Resource {
  std::map<std::string, Str> data;
};

struct OperatorGateway {
  Str name;
  bool enabled = true;
  bool egress = false;
  Str ns;
  Labels label;
  Str service_type;
  std::map<std::string, Str> service_annotations;
  std::vector<KubeServicePort> service_ports;
  bool has_hpa = false;
  std::optional<int64_t> hpa_min, hpa_max;
  Span hpa_span, hpa_min_span, hpa_max_span;
  Span service_type_span;
  Span span;
};

struct IstioOperator : Resource {
  std::vector<OperatorGateway> gateways;
  yaml::DocumentPtr doc;                // keeps mesh_config / values alive
  const yaml::Node* mesh_config = nullptr;
  const yaml::Node* values = nullptr;
  Str revision;
  Str profile;  // spec.profile; empty means Istio's "default" profile
  /// components.pilot.enabled; nullopt when not written (the profile decides).
  std::optional<bool> pilot_enabled;
  Span pilot_span;  // components.pilot
  /// components.pilot.k8s.env, by name.
  std::map<std::string, Str> pilot_env;
  /// values.pilot.env, by name (what the Helm charts read).
  std::map<std::string, Str> values_pilot_env;

  /// Whether installing this resource installs a control plane (istiod): a profile other than
  /// `empty` / `remote` whose pilot is not disabled, or any profile with pilot enabled.
  bool installsControlPlane() const {
    if (pilot_enabled) return *pilot_enabled;
    return profile.value != "empty" && profile.value != "remote" && profile.value != "external";
  }
};

}  // namespace istio_lint::model
