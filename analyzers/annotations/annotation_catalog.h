#pragma once

// The Istio annotation catalog: every annotation istio.io/api's `annotation` package defines, the
// resource kinds it applies to, its feature status and deprecation, and how its value is checked
// (the validators of istiod's sidecar injector, pkg/kube/inject/validate.go). Vendored as data so
// that istio-lint needs no Istio sources; keep it sorted by name (checked at compile time).

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace istio_lint::analyzers::annotations {

enum class Status : uint8_t { Alpha, Beta, Stable };

/// How the injector validates the value; Any means it is not validated.
enum class ValueCheck : uint8_t {
  Any,
  Bool,                 // strconv.ParseBool
  UInt32,               // a non-negative 32-bit integer
  Port,                 // one port, 0-65535
  InterceptionMode,     // REDIRECT, TPROXY or NONE (any case)
  IncludeIPRanges,      // "*" or a comma-separated list of CIDRs
  ExcludeIPRanges,      // a comma-separated list of CIDRs
  IncludeInboundPorts,  // "*" or a comma-separated list of ports
  PortList,             // a comma-separated list of ports
  ProxyConfig,          // a ProxyConfig in YAML or JSON
};

struct AnnotationInfo {
  std::string_view name;
  Status status;
  bool deprecated;
  /// The kinds it applies to, joined by ", " as istioctl prints them; "Any" for every kind.
  std::string_view resources;
  ValueCheck check = ValueCheck::Any;
};

// clang-format off
inline constexpr AnnotationInfo kAnnotations[] = {
    {"alpha.istio.io/canonical-serviceaccounts", Status::Alpha, true, "Service"},
    {"alpha.istio.io/identity", Status::Alpha, true, "Pod"},
    {"alpha.istio.io/kubernetes-serviceaccounts", Status::Alpha, true, "Service"},
    {"ambient.istio.io/bypass-inbound-capture", Status::Alpha, false, "Pod"},
    {"ambient.istio.io/dns-capture", Status::Alpha, false, "Pod"},
    {"ambient.istio.io/redirection", Status::Beta, false, "Pod"},
    {"ambient.istio.io/waypoint-inbound-binding", Status::Alpha, false, "GatewayClass"},
    {"galley.istio.io/analyze-suppress", Status::Alpha, false, "Any"},
    {"gateway.istio.io/controller-version", Status::Alpha, false, "Any"},
    {"gateway.istio.io/name-override", Status::Alpha, false, "Gateway"},
    {"gateway.istio.io/service-account", Status::Alpha, false, "Gateway"},
    {"gateway.istio.io/tls-cipher-suites", Status::Alpha, false, "Gateway"},
    {"inject.istio.io/templates", Status::Alpha, false, "Pod"},
    {"install.operator.istio.io/chart-owner", Status::Alpha, false, "Any"},
    {"install.operator.istio.io/owner-generation", Status::Alpha, false, "Any"},
    {"install.operator.istio.io/version", Status::Alpha, false, "Any"},
    {"istio.io/autoRegistrationGroup", Status::Alpha, false, "WorkloadEntry"},
    {"istio.io/connectedAt", Status::Alpha, false, "WorkloadEntry"},
    {"istio.io/disconnectedAt", Status::Alpha, false, "WorkloadEntry"},
    {"istio.io/dry-run", Status::Alpha, false, "AuthorizationPolicy"},
    {"istio.io/rev", Status::Alpha, false, "Pod"},
    {"istio.io/workloadController", Status::Alpha, false, "WorkloadEntry"},
    {"kubernetes.io/ingress.class", Status::Stable, false, "Ingress"},
    {"networking.istio.io/address-type", Status::Alpha, false, "Gateway"},
    {"networking.istio.io/exportTo", Status::Alpha, false, "Service"},
    {"networking.istio.io/service-type", Status::Alpha, false, "Gateway"},
    {"networking.istio.io/traffic-distribution", Status::Alpha, false, "Service, ServiceEntry"},
    {"prometheus.istio.io/merge-metrics", Status::Alpha, false, "Pod", ValueCheck::Bool},
    {"proxy.istio.io/config", Status::Beta, false, "Pod", ValueCheck::ProxyConfig},
    {"proxy.istio.io/overrides", Status::Alpha, false, "Pod"},
    {"readiness.status.sidecar.istio.io/applicationPorts", Status::Alpha, false, "Pod"},
    {"readiness.status.sidecar.istio.io/failureThreshold", Status::Alpha, false, "Pod", ValueCheck::UInt32},
    {"readiness.status.sidecar.istio.io/initialDelaySeconds", Status::Alpha, false, "Pod", ValueCheck::UInt32},
    {"readiness.status.sidecar.istio.io/periodSeconds", Status::Alpha, false, "Pod", ValueCheck::UInt32},
    {"sidecar.istio.io/agentLogLevel", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/bootstrapOverride", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/componentLogLevel", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/controlPlaneAuthPolicy", Status::Alpha, true, "Pod"},
    {"sidecar.istio.io/discoveryAddress", Status::Alpha, true, "Pod"},
    {"sidecar.istio.io/enableCoreDump", Status::Alpha, false, "Pod", ValueCheck::Bool},
    {"sidecar.istio.io/extraStatTags", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/inject", Status::Beta, true, "Pod"},
    {"sidecar.istio.io/interceptionMode", Status::Alpha, false, "Pod", ValueCheck::InterceptionMode},
    {"sidecar.istio.io/logLevel", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/nativeSidecar", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/proxyCPU", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/proxyCPULimit", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/proxyImage", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/proxyImageType", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/proxyMemory", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/proxyMemoryLimit", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/rewriteAppHTTPProbers", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/statsCompression", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/statsFlushInterval", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/statsHistogramBuckets", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/statsInclusionPrefixes", Status::Alpha, true, "Pod"},
    {"sidecar.istio.io/statsInclusionRegexps", Status::Alpha, true, "Pod"},
    {"sidecar.istio.io/statsInclusionSuffixes", Status::Alpha, true, "Pod"},
    {"sidecar.istio.io/status", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/userVolume", Status::Alpha, false, "Pod"},
    {"sidecar.istio.io/userVolumeMount", Status::Alpha, false, "Pod"},
    {"status.sidecar.istio.io/port", Status::Alpha, false, "Pod", ValueCheck::Port},
    {"topology.istio.io/controlPlaneClusters", Status::Alpha, false, "Any"},
    {"traffic.sidecar.istio.io/excludeInboundPorts", Status::Alpha, false, "Pod", ValueCheck::PortList},
    {"traffic.sidecar.istio.io/excludeInterfaces", Status::Alpha, false, "Pod"},
    {"traffic.sidecar.istio.io/excludeOutboundIPRanges", Status::Alpha, false, "Pod", ValueCheck::ExcludeIPRanges},
    {"traffic.sidecar.istio.io/excludeOutboundPorts", Status::Alpha, false, "Pod", ValueCheck::PortList},
    {"traffic.sidecar.istio.io/includeInboundPorts", Status::Alpha, false, "Pod", ValueCheck::IncludeInboundPorts},
    {"traffic.sidecar.istio.io/includeOutboundIPRanges", Status::Alpha, false, "Pod", ValueCheck::IncludeIPRanges},
    {"traffic.sidecar.istio.io/includeOutboundPorts", Status::Alpha, false, "Pod", ValueCheck::PortList},
    {"traffic.sidecar.istio.io/kubevirtInterfaces", Status::Alpha, false, "Pod"},
};
// clang-format on

static_assert(std::is_sorted(std::begin(kAnnotations), std::end(kAnnotations),
                             [](const AnnotationInfo& a, const AnnotationInfo& b) { return a.name < b.name; }),
              "kAnnotations must be sorted by name");

inline const AnnotationInfo* findAnnotation(std::string_view name) {
  auto it = std::lower_bound(std::begin(kAnnotations), std::end(kAnnotations), name,
                             [](const AnnotationInfo& a, std::string_view n) { return a.name < n; });
  return it != std::end(kAnnotations) && it->name == name ? &*it : nullptr;
}

/// Whether istioctl considers the annotation Istio's: its prefix (before the first `/`) ends in
/// `istio.io`, or it is `kubernetes.io/ingress.class`, which Istio documents.
inline bool isIstioAnnotation(std::string_view name) {
  if (name == "kubernetes.io/ingress.class") return true;
  std::string_view prefix = name.substr(0, name.find('/'));
  return prefix.ends_with("istio.io");
}

/// Annotations Istio itself writes (injector status, gateway controller version, revision): never
/// reported, whatever their status.
inline bool alwaysIgnored(std::string_view name) {
  return name == "sidecar.istio.io/status" || name == "gateway.istio.io/controller-version" || name == "istio.io/rev";
}

/// Whether `info` applies to resources of kind `kind` ("Pod", "Service", ...).
inline bool appliesTo(const AnnotationInfo& info, std::string_view kind) {
  std::string_view rest = info.resources;
  while (!rest.empty()) {
    size_t comma = rest.find(", ");
    std::string_view item = rest.substr(0, comma);
    if (item == "Any" || item == kind) return true;
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 2);
  }
  return false;
}

}  // namespace istio_lint::analyzers::annotations
