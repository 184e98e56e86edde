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
AnalyzerPtr makeEgressAllowAnyAnalyzer();
AnalyzerPtr makeEgressGatewayBypassedAnalyzer();
AnalyzerPtr makeEgressHostWithoutServiceEntryAnalyzer();
AnalyzerPtr makeEgressIntentAnalyzer();
AnalyzerPtr makeEgressIsolationNotEnforcedAnalyzer();
AnalyzerPtr makeEgressLoadBalancerAnalyzer();
AnalyzerPtr makeEnvoyFilterEnvoyPatchAnalyzer();
AnalyzerPtr makeExternalControlPlaneExternalControlPlaneAnalyzer();
AnalyzerPtr makeGatewayAccessLogAnalyzer();
AnalyzerPtr makeGatewayAutoscalerAnalyzer();
AnalyzerPtr makeGatewayCertificateAnalyzer();
AnalyzerPtr makeGatewayCertificateExpiredAnalyzer();
AnalyzerPtr makeGatewayCertificateExpiringSoonAnalyzer();
AnalyzerPtr makeGatewayCertificateFileAnalyzer();
AnalyzerPtr makeGatewayCertificateHostMismatchAnalyzer();
AnalyzerPtr makeGatewayClusterConfigFilterAnalyzer();
AnalyzerPtr makeGatewayConflictingGatewayAnalyzer();
AnalyzerPtr makeGatewayDisruptionBudgetAnalyzer();
AnalyzerPtr makeGatewayDuplicateSniAnalyzer();
AnalyzerPtr makeGatewayHostOnPublicAndInternalGatewayAnalyzer();
AnalyzerPtr makeGatewayIngressGatewayPortAnalyzer();
AnalyzerPtr makeGatewayInternalHostOnPublicGatewayAnalyzer();
AnalyzerPtr makeGatewayMutualTlsCaCertificateAnalyzer();
AnalyzerPtr makeGatewayRevisionAnalyzer();
AnalyzerPtr makeGatewayRouteTypeMismatchAnalyzer();
AnalyzerPtr makeGatewaySecretAnalyzer();
AnalyzerPtr makeIngressBackendAnalyzer();
AnalyzerPtr makeIngressSecretAnalyzer();
AnalyzerPtr makeIngressTlsHostConflictAnalyzer();
AnalyzerPtr makeInjectionAnalyzer();
AnalyzerPtr makeInjectionImageAnalyzer();
AnalyzerPtr makeInjectionImageAutoAnalyzer();
AnalyzerPtr makeInputLoadAnalyzer();
AnalyzerPtr makeInputSuppressionCommentAnalyzer();
AnalyzerPtr makeK8sGatewayCRDVersionAnalyzer();
AnalyzerPtr makeK8sGatewaySelectorAnalyzer();
AnalyzerPtr makeMeshNetworksMeshNetworksAnalyzer();
AnalyzerPtr makeMulticlusterLegacyGlobalHostAnalyzer();
AnalyzerPtr makeSchemaValidationAnalyzer(model::Kind kind);
AnalyzerPtr makeServiceEntryAnalyzer();
AnalyzerPtr makeServiceEntryConflictingServiceEntryProtocolAnalyzer();
AnalyzerPtr makeServicePortNameAnalyzer();
AnalyzerPtr makeServicesMultiClusterServiceAnalyzer();
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
