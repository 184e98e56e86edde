#pragma once

#include "model/resources/resource.h"
#include "model/yaml_tree.h"

namespace istio_lint::model::decode {

/// Decodes one resource mapping (a document root or a `kind: List` item) of a known kind into its
/// typed struct (or a GenericResource). Field problems are collected in schema_issues.
ResourcePtr decodeResource(Kind kind, std::string api_version, const yaml::Node& root,
                           const yaml::DocumentPtr& doc, uint32_t file);

// Per-kind spec decoders, one file each. `res` already has kind, meta and span filled in.
class Reader;
ResourcePtr decodeVirtualService(Reader& r, const yaml::Node& spec);
ResourcePtr decodeGateway(Reader& r, const yaml::Node& spec);
ResourcePtr decodeDestinationRule(Reader& r, const yaml::Node& spec);
ResourcePtr decodeServiceEntry(Reader& r, const yaml::Node& spec);
ResourcePtr decodeSidecar(Reader& r, const yaml::Node& spec);
ResourcePtr decodeService(Reader& r, const yaml::Node& root);
ResourcePtr decodeWorkload(Reader& r, Kind kind, const yaml::Node& root);
ResourcePtr decodeSecret(Reader& r, const yaml::Node& root);
ResourcePtr decodeConfigMap(Reader& r, const yaml::Node& root);
/// A MeshNetworks document (the root is the MeshNetworks message itself).
ResourcePtr decodeMeshNetworks(Reader& r, const yaml::Node& root);
ResourcePtr decodeIstioOperator(Reader& r, const yaml::Node& spec, const yaml::DocumentPtr& doc);
ResourcePtr decodeProxyConfig(Reader& r, const yaml::Node& spec);
/// A Mutating- or ValidatingWebhookConfiguration (webhooks sit at the root, not under spec).
ResourcePtr decodeWebhookConfiguration(Reader& r, const yaml::Node& root);
/// gateway.networking.k8s.io Gateway (Kind::KubernetesGateway); HTTPRoute and GRPCRoute.
ResourcePtr decodeKubernetesGateway(Reader& r, const yaml::Node& spec);
ResourcePtr decodeGatewayRoute(Reader& r, const yaml::Node& spec);
ResourcePtr decodeCustomResourceDefinition(Reader& r, const yaml::Node& spec);
/// security.istio.io, telemetry.istio.io, extensions.istio.io and EnvoyFilter.
ResourcePtr decodeAuthorizationPolicy(Reader& r, const yaml::Node& spec);
ResourcePtr decodeRequestAuthentication(Reader& r, const yaml::Node& spec);
ResourcePtr decodeTelemetry(Reader& r, const yaml::Node& spec);
ResourcePtr decodeWasmPlugin(Reader& r, const yaml::Node& spec);
ResourcePtr decodeEnvoyFilter(Reader& r, const yaml::Node& spec);
/// WorkloadEntry, WorkloadGroup, PeerAuthentication, TrafficExtension.
ResourcePtr decodeWorkloadEntry(Reader& r, const yaml::Node& spec);
ResourcePtr decodeWorkloadGroup(Reader& r, const yaml::Node& spec);
ResourcePtr decodePeerAuthentication(Reader& r, const yaml::Node& spec);
ResourcePtr decodeTrafficExtension(Reader& r, const yaml::Node& spec);
/// HorizontalPodAutoscaler and PodDisruptionBudget (model/resources/autoscaling.h).
ResourcePtr decodeHorizontalPodAutoscaler(Reader& r, const yaml::Node& spec);
ResourcePtr decodePodDisruptionBudget(Reader& r, const yaml::Node& spec);
/// networking.k8s.io NetworkPolicy (model/resources/network_policy.h).
ResourcePtr decodeNetworkPolicy(Reader& r, const yaml::Node& spec);
/// networking.k8s.io Ingress and IngressClass (model/resources/ingress.h).
ResourcePtr decodeIngress(Reader& r, const yaml::Node& spec);
ResourcePtr decodeIngressClass(Reader& r, const yaml::Node& spec);

}  // namespace istio_lint::model::decode
