#include "model/kind.h"

#include <array>

namespace istio_lint::model {
namespace {

constexpr std::string_view kNet = "networking.istio.io";
constexpr std::string_view kGw = "gateway.networking.k8s.io";

constexpr std::array<KindInfo, kKindCount> kKinds{{
    {Kind::Gateway, kNet, "Gateway", "Gateway", true, true},
    {Kind::VirtualService, kNet, "VirtualService", "VirtualService", true, true},
    {Kind::DestinationRule, kNet, "DestinationRule", "DestinationRule", true, true},
    {Kind::ServiceEntry, kNet, "ServiceEntry", "ServiceEntry", true, true},
    {Kind::Sidecar, kNet, "Sidecar", "Sidecar", true, true},
    {Kind::WorkloadEntry, kNet, "WorkloadEntry", "WorkloadEntry", true, true},
    {Kind::WorkloadGroup, kNet, "WorkloadGroup", "WorkloadGroup", true, true},
    {Kind::EnvoyFilter, kNet, "EnvoyFilter", "EnvoyFilter", true, true},
    {Kind::ProxyConfig, kNet, "ProxyConfig", "ProxyConfig", true, true},
    {Kind::AuthorizationPolicy, "security.istio.io", "AuthorizationPolicy", "AuthorizationPolicy", true, true},
    {Kind::PeerAuthentication, "security.istio.io", "PeerAuthentication", "PeerAuthentication", true, true},
    {Kind::RequestAuthentication, "security.istio.io", "RequestAuthentication", "RequestAuthentication", true, true},
    {Kind::Telemetry, "telemetry.istio.io", "Telemetry", "Telemetry", true, true},
    {Kind::WasmPlugin, "extensions.istio.io", "WasmPlugin", "WasmPlugin", true, true},
    {Kind::TrafficExtension, "extensions.istio.io", "TrafficExtension", "TrafficExtension", true, true},
    {Kind::IstioOperator, "install.istio.io", "IstioOperator", "IstioOperator", true, false},
    {Kind::Service, "", "Service", "Service", true, false},
    {Kind::Pod, "", "Pod", "Pod", true, false},
    {Kind::Namespace, "", "Namespace", "Namespace", false, false},
    {Kind::Secret, "", "Secret", "Secret", true, false},
    {Kind::ConfigMap, "", "ConfigMap", "ConfigMap", true, false},
    {Kind::Node, "", "Node", "Node", false, false},
    {Kind::Deployment, "apps", "Deployment", "Deployment", true, false},
    {Kind::StatefulSet, "apps", "StatefulSet", "StatefulSet", true, false},
    {Kind::DaemonSet, "apps", "DaemonSet", "DaemonSet", true, false},
    {Kind::HorizontalPodAutoscaler, "autoscaling", "HorizontalPodAutoscaler", "HorizontalPodAutoscaler", true, false},
    {Kind::PodDisruptionBudget, "policy", "PodDisruptionBudget", "PodDisruptionBudget", true, false},
    {Kind::NetworkPolicy, "networking.k8s.io", "NetworkPolicy", "NetworkPolicy", true, false},
    {Kind::Ingress, "networking.k8s.io", "Ingress", "Ingress", true, false},
    {Kind::IngressClass, "networking.k8s.io", "IngressClass", "IngressClass", false, false},
    {Kind::MutatingWebhookConfiguration, "admissionregistration.k8s.io", "MutatingWebhookConfiguration", "MutatingWebhookConfiguration", false, false},
    {Kind::ValidatingWebhookConfiguration, "admissionregistration.k8s.io", "ValidatingWebhookConfiguration", "ValidatingWebhookConfiguration", false, false},
    {Kind::CustomResourceDefinition, "apiextensions.k8s.io", "CustomResourceDefinition", "CustomResourceDefinition", false, false},
    {Kind::KubernetesGateway, kGw, "Gateway", "KubernetesGateway", true, false},
    {Kind::HTTPRoute, kGw, "HTTPRoute", "HTTPRoute", true, false},
    {Kind::TLSRoute, kGw, "TLSRoute", "TLSRoute", true, false},
    {Kind::GRPCRoute, kGw, "GRPCRoute", "GRPCRoute", true, false},
    {Kind::TCPRoute, kGw, "TCPRoute", "TCPRoute", true, false},
    {Kind::GatewayClass, kGw, "GatewayClass", "GatewayClass", false, false},
    {Kind::MeshConfig, "", "MeshConfig", "MeshConfig", true, true},
    {Kind::MeshNetworks, "", "MeshNetworks", "MeshNetworks", true, true},
}};

static_assert([] {
  for (size_t i = 0; i < kKinds.size(); ++i) {
    if (static_cast<size_t>(kKinds[i].kind) != i) return false;
  }
  return true;
}(), "kKinds must be in Kind order");

}  // namespace

const KindInfo& kindInfo(Kind k) { return kKinds[static_cast<size_t>(k)]; }

std::optional<Kind> kindFromManifest(std::string_view group, std::string_view kind) {
  for (const KindInfo& k : kKinds) {
    if (k.kind == Kind::MeshConfig || k.kind == Kind::MeshNetworks) continue;
    if (k.group == group && k.name == kind) return k.kind;
  }
  return std::nullopt;
}

std::optional<Kind> kindFromId(std::string_view id) {
  for (const KindInfo& k : kKinds) {
    if (k.id == id) return k.kind;
  }
  return std::nullopt;
}

}  // namespace istio_lint::model
