#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace istio_lint::model {

/// Every kind istio-lint understands. Unknown kinds are skipped and counted by the loader.
enum class Kind : uint8_t {
  // networking.istio.io
  Gateway, VirtualService, DestinationRule, ServiceEntry, Sidecar, WorkloadEntry, WorkloadGroup,
  EnvoyFilter, ProxyConfig,
  // security.istio.io, telemetry.istio.io, extensions.istio.io
  AuthorizationPolicy, PeerAuthentication, RequestAuthentication, Telemetry, WasmPlugin,
  TrafficExtension,
  // install.istio.io
  IstioOperator,
  // core/v1
  Service, Pod, Namespace, Secret, ConfigMap, Node,
  // apps/v1
  Deployment, StatefulSet, DaemonSet,
  // other Kubernetes
  HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy, Ingress, IngressClass,
  MutatingWebhookConfiguration, ValidatingWebhookConfiguration, CustomResourceDefinition,
  // gateway.networking.k8s.io
  KubernetesGateway, HTTPRoute, TLSRoute, GRPCRoute, TCPRoute, GatewayClass,
  // synthetic (from mesh config files)
  MeshConfig, MeshNetworks,
  Count_
};
constexpr size_t kKindCount = static_cast<size_t>(Kind::Count_);

struct KindInfo {
  Kind kind;
  std::string_view group;      // "" for core/v1
  std::string_view name;       // the manifest's `kind:` (KubernetesGateway prints as "Gateway")
  std::string_view id;         // unique name used by flags and analyzer inputs
  bool namespaced;
  bool istio;                  // an Istio CRD with a schema (schema.ValidationAnalyzer.<id>)
};

const KindInfo& kindInfo(Kind k);
/// Resolves an apiVersion group and `kind:` to a Kind; nullopt for kinds istio-lint does not read.
std::optional<Kind> kindFromManifest(std::string_view group, std::string_view kind);
/// Resolves a KindInfo::id ("VirtualService", "KubernetesGateway", ...).
std::optional<Kind> kindFromId(std::string_view id);
inline std::string_view kindName(Kind k) { return kindInfo(k).name; }

}  // namespace istio_lint::model
