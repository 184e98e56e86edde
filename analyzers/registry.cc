#include <algorithm>

#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {

const std::vector<AnalyzerPtr>& allAnalyzers() {
  static const std::vector<AnalyzerPtr> kAll = [] {
    std::vector<AnalyzerPtr> v;
    // Keep sorted by analyzer name (a test checks it).
    v.push_back(makeAnnotationsAlphaAnalyzer());
    v.push_back(makeAnnotationsK8sAnalyzer());
    v.push_back(makeApplicationUIDAnalyzer());
    v.push_back(makeAuthAuthorizationPoliciesAnalyzer());
    v.push_back(makeAuthnBlockedCIDRsAnalyzer());
    v.push_back(makeConditionsConditionAnalyzer());
    v.push_back(makeDeploymentMultiServiceAnalyzer());
    v.push_back(makeDeprecationDeprecationAnalyzer());
    v.push_back(makeDestinationRuleCaCertificateAnalyzer());
    v.push_back(makeDestinationRuleSubsetSelectPodAnalyzer());
    v.push_back(makeEgressAllowAnyAnalyzer());
    v.push_back(makeEgressGatewayBypassedAnalyzer());
    v.push_back(makeEgressHostWithoutServiceEntryAnalyzer());
    v.push_back(makeEgressIntentAnalyzer());
    v.push_back(makeEgressIsolationNotEnforcedAnalyzer());
    v.push_back(makeEgressLoadBalancerAnalyzer());
    v.push_back(makeEnvoyFilterEnvoyPatchAnalyzer());
    v.push_back(makeExternalControlPlaneExternalControlPlaneAnalyzer());
    v.push_back(makeGatewayAccessLogAnalyzer());
    v.push_back(makeGatewayAutoscalerAnalyzer());
    v.push_back(makeGatewayCertificateAnalyzer());
    v.push_back(makeGatewayCertificateExpiredAnalyzer());
    v.push_back(makeGatewayCertificateExpiringSoonAnalyzer());
    v.push_back(makeGatewayCertificateFileAnalyzer());
    v.push_back(makeGatewayCertificateHostMismatchAnalyzer());
    v.push_back(makeGatewayClusterConfigFilterAnalyzer());
    v.push_back(makeGatewayConflictingGatewayAnalyzer());
    v.push_back(makeGatewayDisruptionBudgetAnalyzer());
    v.push_back(makeGatewayDuplicateSniAnalyzer());
    v.push_back(makeGatewayHostOnPublicAndInternalGatewayAnalyzer());
    v.push_back(makeGatewayIngressGatewayPortAnalyzer());
    v.push_back(makeGatewayInternalHostOnPublicGatewayAnalyzer());
    v.push_back(makeGatewayMutualTlsCaCertificateAnalyzer());
    v.push_back(makeGatewayRevisionAnalyzer());
    v.push_back(makeGatewayRouteTypeMismatchAnalyzer());
    v.push_back(makeGatewaySecretAnalyzer());
    v.push_back(makeIngressBackendAnalyzer());
    v.push_back(makeIngressSecretAnalyzer());
    v.push_back(makeIngressTlsHostConflictAnalyzer());
    v.push_back(makeInjectionAnalyzer());
    v.push_back(makeInjectionImageAnalyzer());
    v.push_back(makeInjectionImageAutoAnalyzer());
    v.push_back(makeInputLoadAnalyzer());
    v.push_back(makeInputSuppressionCommentAnalyzer());
    v.push_back(makeK8sGatewayCRDVersionAnalyzer());
    v.push_back(makeK8sGatewaySelectorAnalyzer());
    v.push_back(makeMeshNetworksMeshNetworksAnalyzer());
    v.push_back(makeMulticlusterLegacyGlobalHostAnalyzer());
    for (size_t i = 0; i < model::kKindCount; ++i) {
      auto kind = static_cast<model::Kind>(i);
      if (model::kindInfo(kind).istio) v.push_back(makeSchemaValidationAnalyzer(kind));
    }
    v.push_back(makeServiceEntryAnalyzer());
    v.push_back(makeServiceEntryConflictingServiceEntryProtocolAnalyzer());
    v.push_back(makeServicePortNameAnalyzer());
    v.push_back(makeServicesMultiClusterServiceAnalyzer());
    v.push_back(makeSidecarSelectorAnalyzer());
    v.push_back(makeTelemetryDefaultSelectorAnalyzer());
    v.push_back(makeTelemetryLightstepAnalyzer());
    v.push_back(makeTelemetryProviderAnalyzer());
    v.push_back(makeTelemetrySelectorAnalyzer());
    v.push_back(makeVirtualServiceConflictingMeshGatewayHostsAnalyzer());
    v.push_back(makeVirtualServiceDestinationHostAnalyzer());
    v.push_back(makeVirtualServiceDestinationRuleAnalyzer());
    v.push_back(makeVirtualServiceGatewayAnalyzer());
    v.push_back(makeVirtualServiceJWTClaimRouteAnalyzer());
    v.push_back(makeVirtualServiceRegexAnalyzer());
    v.push_back(makeVirtualServiceRouteWeightAnalyzer());
    v.push_back(makeWebhookAnalyzer());
    std::stable_sort(v.begin(), v.end(), [](const AnalyzerPtr& a, const AnalyzerPtr& b) {
      return a->metadata().name < b->metadata().name;
    });
    return v;
  }();
  return kAll;
}

const Analyzer* findAnalyzer(std::string_view name) {
  for (const AnalyzerPtr& a : allAnalyzers()) {
    if (a->metadata().name == name) return a.get();
  }
  return nullptr;
}

}  // namespace istio_lint::analyzers
