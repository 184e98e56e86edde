#pragma once

// Factories of every analyzer; analyzers/registry.cc lists them, sorted by name.

#include "analyzers/analyzer.h"

namespace istio_lint::analyzers {

AnalyzerPtr makeAnnotationsAlphaAnalyzer();
AnalyzerPtr makeAnnotationsK8sAnalyzer();
AnalyzerPtr makeApplicationUIDAnalyzer();
AnalyzerPtr makeAuthAuthorizationPoliciesAnalyzer();
AnalyzerPtr makeAuthnBlockedCIDRsAnalyzer();
AnalyzerPtr makeConditionsConditionAnalyzer();
AnalyzerPtr makeDeploymentMultiServiceAnalyzer();
AnalyzerPtr makeDeprecationDeprecationAnalyzer();
AnalyzerPtr makeDestinationRuleCaCertificateAnalyzer();
AnalyzerPtr makeDestinationRuleSubsetSelectPodAnalyzer();
AnalyzerPtr makeEnvoyFilterEnvoyPatchAnalyzer();
AnalyzerPtr makeExternalControlPlaneExternalControlPlaneAnalyzer();
AnalyzerPtr makeGatewayCertificateAnalyzer();
AnalyzerPtr makeGatewayCertificateExpiredAnalyzer();
AnalyzerPtr makeGatewayCertificateExpiringSoonAnalyzer();
AnalyzerPtr makeGatewayCertificateHostMismatchAnalyzer();
AnalyzerPtr makeGatewayConflictingGatewayAnalyzer();
AnalyzerPtr makeGatewayDuplicateSniAnalyzer();
AnalyzerPtr makeGatewayIngressGatewayPortAnalyzer();
AnalyzerPtr makeGatewayMutualTlsCaCertificateAnalyzer();
AnalyzerPtr makeGatewayRouteTypeMismatchAnalyzer();
AnalyzerPtr makeGatewaySecretAnalyzer();
AnalyzerPtr makeInjectionAnalyzer();
AnalyzerPtr makeInjectionImageAnalyzer();
AnalyzerPtr makeInjectionImageAutoAnalyzer();
AnalyzerPtr makeInputLoadAnalyzer();
AnalyzerPtr makeK8sGatewayCRDVersionAnalyzer();
AnalyzerPtr makeK8sGatewaySelectorAnalyzer();
AnalyzerPtr makeMeshNetworksMeshNetworksAnalyzer();
AnalyzerPtr makeSchemaValidationAnalyzer(model::Kind kind);
AnalyzerPtr makeServiceEntryAnalyzer();
AnalyzerPtr makeServiceEntryConflictingServiceEntryProtocolAnalyzer();
AnalyzerPtr makeServicePortNameAnalyzer();
AnalyzerPtr makeSidecarSelectorAnalyzer();
AnalyzerPtr makeTelemetryDefaultSelectorAnalyzer();
AnalyzerPtr makeTelemetryLightstepAnalyzer();
AnalyzerPtr makeTelemetryProviderAnalyzer();
AnalyzerPtr makeTelemetrySelectorAnalyzer();
AnalyzerPtr makeVirtualServiceConflictingMeshGatewayHostsAnalyzer();
AnalyzerPtr makeVirtualServiceDestinationHostAnalyzer();
AnalyzerPtr makeVirtualServiceDestinationRuleAnalyzer();
AnalyzerPtr makeVirtualServiceGatewayAnalyzer();
AnalyzerPtr makeVirtualServiceJWTClaimRouteAnalyzer();
AnalyzerPtr makeVirtualServiceRegexAnalyzer();
AnalyzerPtr makeVirtualServiceRouteWeightAnalyzer();
AnalyzerPtr makeWebhookAnalyzer();

}  // namespace istio_lint::analyzers
