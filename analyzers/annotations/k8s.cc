// annotations.K8sAnalyzer: Istio annotations on Namespaces, Services, Pods and Deployments are
// known (IST0108), not deprecated (IST0135), on a kind they apply to (IST0107), and have a value
// the sidecar injector accepts (IST0125). A Deployment's pod template annotations are checked as
// the annotations of its Pods when those Pods are not in the input.

#include <arpa/inet.h>

#include <algorithm>
#include <optional>

#include "analyzers/analyzer.h"
#include "analyzers/annotations/annotated_resources.h"
#include "analyzers/annotations/annotation_catalog.h"
#include "analyzers/registry_entries.h"
#include "analyzers/workloads.h"
#include "model/ascii.h"
#include "model/edit_distance.h"
#include "model/yaml_tree.h"

namespace istio_lint::analyzers {
namespace {

using annotations::AnnotationInfo;
using annotations::ValueCheck;

std::string quoted(std::string_view v) { return "\"" + std::string(v) + "\""; }

/// A decimal number without sign, at most `max`.
bool unsignedAtMost(std::string_view s, uint64_t max) {
  if (s.empty() || s.size() > 20) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
    if (v > max) return false;
  }
  return true;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t p = s.find(sep, start);
    out.push_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) return out;
    start = p + 1;
  }
}

bool isCidr(std::string_view s) {
  size_t slash = s.find('/');
  if (slash == std::string_view::npos) return false;
  std::string addr(s.substr(0, slash));
  unsigned char buf[16];
  bool v4 = inet_pton(AF_INET, addr.c_str(), buf) == 1;
  bool v6 = !v4 && inet_pton(AF_INET6, addr.c_str(), buf) == 1;
  return (v4 || v6) && unsignedAtMost(s.substr(slash + 1), v4 ? 32 : 128);
}

std::optional<std::string> checkCidrs(std::string_view v) {
  if (v.empty()) return std::nullopt;
  for (std::string_view item : split(v, ',')) {
    if (!isCidr(item)) {
      return quoted(item) + " is not a CIDR range; write address/prefix-length, for example 10.0.0.0/8, and separate ranges with commas";
    }
  }
  return std::nullopt;
}

std::optional<std::string> checkPorts(std::string_view v) {
  v = model::trimBlanks(v);
  if (v.empty()) return std::nullopt;
  for (std::string_view item : split(v, ',')) {
    if (!unsignedAtMost(model::trimBlanks(item), 65535)) {
      return quoted(item) + " is not a port number (0-65535); separate ports with commas";
    }
  }
  return std::nullopt;
}

// The fields of istio.mesh.v1alpha1.ProxyConfig, the value of proxy.istio.io/config.
constexpr std::string_view kProxyConfigFields[] = {
    "availabilityZone", "binaryPath", "caCertificatesPem", "clusterName", "concurrency", "configPath",
    "controlPlaneAuthPolicy", "customConfigFile", "discoveryAddress", "discoveryRefreshDelay",
    "drainDuration", "envoyAccessLogService", "envoyMetricsService", "envoyMetricsServiceAddress",
    "extraStatTags", "fileFlushInterval", "fileFlushMinSizeKb", "gatewayTopology",
    "holdApplicationUntilProxyStarts", "image", "interceptionMode", "meshId", "parentShutdownDuration",
    "privateKeyProvider", "proxyAdminPort", "proxyBootstrapTemplatePath", "proxyHeaders", "proxyMetadata",
    "proxyStatsMatcher", "readinessProbe", "runtimeValues", "sds", "serviceCluster", "statNameLength",
    "statsdUdpAddress", "statusPort", "terminationDrainDuration", "tracing", "tracingServiceName",
    "zipkinAddress"};

std::string camel(std::string_view snake) {
  std::string out;
  bool up = false;
  for (char c : snake) {
    if (c == '_') {
      up = true;
    } else {
      out += up && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
      up = false;
    }
  }
  return out;
}

std::optional<std::string> checkProxyConfig(std::string_view v) {
  model::yaml::ParseResult parsed = model::yaml::parse(v, 0);
  if (!parsed.problems.empty()) return "not valid YAML (" + parsed.problems.front().message + ")";
  if (parsed.documents.empty()) return std::nullopt;
  const model::yaml::Node* root = parsed.documents.front()->root();
  if (root == nullptr || root->isNull()) return std::nullopt;
  if (!root->isMap()) return std::string("expected a mapping of ProxyConfig fields, for example \"concurrency: 2\"");
  for (uint32_t i = 0; i < root->size; ++i) {
    std::string key = camel(root->key(i).text);
    if (std::find(std::begin(kProxyConfigFields), std::end(kProxyConfigFields), key) == std::end(kProxyConfigFields)) {
      return "unknown ProxyConfig field " + quoted(root->key(i).text);
    }
  }
  return std::nullopt;
}

/// What is wrong with `value` for `check`, or nothing when the injector accepts it.
std::optional<std::string> validate(ValueCheck check, std::string_view value) {
  switch (check) {
    case ValueCheck::Any: return std::nullopt;
    case ValueCheck::Bool: {
      for (std::string_view ok : {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}) {
        if (value == ok) return std::nullopt;
      }
      return quoted(value) + " is not a boolean; use \"true\" or \"false\"";
    }
    case ValueCheck::UInt32:
      if (unsignedAtMost(value, 0xffffffffULL)) return std::nullopt;
      return quoted(value) + " is not a non-negative integer";
    case ValueCheck::Port:
      if (unsignedAtMost(model::trimBlanks(value), 65535)) return std::nullopt;
      return quoted(value) + " is not a port number (0-65535)";
    case ValueCheck::InterceptionMode: {
      const std::string up = model::asciiUpper(value);
      if (up == "REDIRECT" || up == "TPROXY" || up == "NONE") return std::nullopt;
      return quoted(value) + " is not an interception mode; use REDIRECT, TPROXY or NONE";
    }
    case ValueCheck::IncludeIPRanges: return value == "*" ? std::nullopt : checkCidrs(value);
    case ValueCheck::ExcludeIPRanges: return checkCidrs(value);
    case ValueCheck::IncludeInboundPorts: return value == "*" ? std::nullopt : checkPorts(value);
    case ValueCheck::PortList: return checkPorts(value);
    case ValueCheck::ProxyConfig: return checkProxyConfig(value);
  }
  return std::nullopt;
}

/// The catalog annotation closest to an unknown one, when it is close enough to be a typo.
std::string_view nearest(std::string_view name) {
  std::string_view best;
  size_t best_d = std::max<size_t>(2, name.size() / 4) + 1;
  for (const AnnotationInfo& a : annotations::kAnnotations) {
    size_t d = model::editDistance(name, a.name);
    if (d < best_d) {
      best_d = d;
      best = a.name;
    }
  }
  return best;
}

class K8sAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "annotations.K8sAnalyzer",
        "Checks for misplaced and invalid Istio annotations in Kubernetes resources",
        {Kind::Namespace, Kind::Service, Kind::Pod, Kind::Deployment},
        {Code::IST0107, Code::IST0108, Code::IST0125, Code::IST0135}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    annotations::forEachAnnotated(ctx.graph(), [&](const annotations::Annotated& a) {
      check(ctx, a.resource, model::kindName(a.kind), a.annotations, a.labels, a.pod_template);
    });
  }

 private:
  /// Checks `annos` as the annotations of a `kind` (a Deployment's pod template: of its Pods).
  static void check(Context& ctx, const model::Resource& r, std::string_view kind,
                    const std::map<std::string, model::Str>& annos, const model::Labels& labels, bool pod_template) {
    for (const auto& [name, value] : annos) {
      if (!annotations::isIstioAnnotation(name) || annotations::alwaysIgnored(name)) continue;
      const AnnotationInfo* info = annotations::findAnnotation(name);
      if (info == nullptr) {
        rules::Finding& f = ctx.report(Code::IST0108, r, value.span, name);
        std::string_view near = nearest(name);
        f.message += near.empty() ? "; Istio defines no such annotation, so it has no effect"
                                  : ". Did you mean \"" + std::string(near) + "\"?";
        continue;
      }
      if (info->deprecated) {
        if (name == workloads::kSidecarInject) {
          // Both the annotation and its replacement label: kept on purpose for older Istio versions.
          if (labels.count(std::string(workloads::kSidecarInject)) == 0) {
            ctx.report(Code::IST0135, r, value.span, name, " in favor of the \"sidecar.istio.io/inject\" label");
          }
        } else {
          ctx.report(Code::IST0135, r, value.span, name, "");
        }
      }
      if (annotations::appliesTo(*info, "Any")) continue;
      if (!annotations::appliesTo(*info, kind)) {
        rules::Finding& f = ctx.report(Code::IST0107, r, value.span, name, info->resources);
        if (kind == "Deployment" && annotations::appliesTo(*info, "Pod")) {
          f.message += "; move it to spec.template.metadata.annotations so that it reaches the Pods";
        }
        continue;
      }
      if (auto problem = validate(info->check, value.value)) {
        rules::Finding& f = ctx.report(Code::IST0125, r, value.span, name, *problem);
        if (pod_template) f.message += " (in the pod template)";
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeAnnotationsK8sAnalyzer() { return std::make_unique<K8sAnalyzer>(); }

}  // namespace istio_lint::analyzers
