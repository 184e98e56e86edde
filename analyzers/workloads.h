#pragma once

// What the workload, injection and annotation analyzers share: Istio's injection labels, the
// istio-proxy container, control-plane resources, which Pods belong to a Deployment of the input,
// and the sidecar injector's ConfigMap.

#include <string>
#include <string_view>
#include <unordered_set>

#include "model/mesh_graph.h"

namespace istio_lint::analyzers::workloads {

inline constexpr std::string_view kIstioProxy = "istio-proxy";
inline constexpr std::string_view kInjectionLabel = "istio-injection";      // enabled / disabled
inline constexpr std::string_view kRevisionLabel = "istio.io/rev";
inline constexpr std::string_view kDataplaneModeLabel = "istio.io/dataplane-mode";  // ambient
inline constexpr std::string_view kSidecarInject = "sidecar.istio.io/inject";       // label or annotation
inline constexpr std::string_view kInjectorConfigMap = "istio-sidecar-injector";    // [-<revision>]

/// Namespaces the injector never touches (and whose resources the harness drops).
bool isSystemNamespace(std::string_view ns);

/// A resource of Istio's own control plane: labelled `istio` (any value) or `release: istio`.
bool isControlPlane(const model::Resource& r);

/// The istio-proxy container: among the containers, else among the init containers (a native
/// sidecar). Null when there is none.
const model::Container* istioProxy(const model::Workload& w);

/// The value of a label, or null.
const std::string* label(const model::Labels& labels, std::string_view key);

/// Deployments and their Pods in the input. A Pod belongs to a Deployment of its namespace when it
/// carries every label of the Deployment's pod template. Where both are given the Pods are what
/// runs, so analyzers that read Pods let a Deployment stand in for its Pods only when none of them
/// is in the input, and never report a workload twice.
class PodOwnership {
 public:
  /// Built once per graph and shared by the analyzers that need it.
  static const PodOwnership& of(const model::MeshGraph& g) { return g.derived<PodOwnership>(); }
  explicit PodOwnership(const model::MeshGraph& g);
  /// The Pod belongs to a Deployment that is in the input.
  bool owned(const model::Workload& pod) const { return owned_.count(&pod) != 0; }
  /// Some Pod of the Deployment is in the input.
  bool hasPods(const model::Workload& deployment) const { return with_pods_.count(&deployment) != 0; }

 private:
  std::unordered_set<const model::Workload*> owned_, with_pods_;
};

/// What the analyzers read from an `istio-sidecar-injector[-<revision>]` ConfigMap's `values`
/// (the Helm values of the installation, as JSON).
struct InjectorValues {
  bool parsed = false;
  bool enable_namespaces_by_default = false;  // sidecarInjectorWebhook.enableNamespacesByDefault
  std::string proxy_image;  // global.proxy.image when it contains '/', else global.hub/image:tag
};

/// Whether `cm` is an injector ConfigMap; `revision` gets "default" or the name's suffix.
bool isInjectorConfigMap(const model::Resource& cm, std::string* revision = nullptr);
InjectorValues readInjectorValues(const model::ConfigMap& cm);

/// The protocol istiod derives for a Service port (pkg/config/kube ConvertProtocol): UDP for a UDP
/// port, else from appProtocol or the name's prefix before '-' (http, http2, https, grpc, grpc-web,
/// tcp, tls, mongo, mysql, redis, http_proxy, udp), else from a well-known port (Mongo 27017,
/// Redis 6379, MySQL 3306). Empty when none applies: istiod then sniffs the protocol.
std::string portProtocol(const model::KubeServicePort& p);

/// "a b c" of a list, as Go prints a []string with %v (the catalog templates add the brackets).
std::string joinList(const std::vector<std::string>& items);

}  // namespace istio_lint::analyzers::workloads
