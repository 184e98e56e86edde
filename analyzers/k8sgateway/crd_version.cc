// k8sgateway.CRDVersionAnalyzer: Gateway API CRDs whose `gateway.networking.k8s.io/bundle-version`
// is below what Istio needs. istiod ignores such a CRD, so resources of its kind are never
// processed.

#include <array>
#include <charconv>
#include <optional>
#include <string_view>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "model/resources/crd.h"

namespace istio_lint::analyzers {
namespace {

constexpr std::string_view kBundleVersion = "gateway.networking.k8s.io/bundle-version";

struct Minimum {
  std::string_view crd;
  std::array<uint64_t, 3> version;
};
// The versions Istio's CRD watcher requires (pkg/config/schema/gatewayapi MinimumCRDVersions).
constexpr std::array<Minimum, 4> kMinimums{{
    {"backendtlspolicies.gateway.networking.k8s.io", {1, 4, 0}},
    {"grpcroutes.gateway.networking.k8s.io", {1, 1, 0}},
    {"tcproutes.gateway.networking.k8s.io", {1, 6, 0}},
    {"tlsroutes.gateway.networking.k8s.io", {1, 5, 0}},
}};

struct SemVer {
  std::array<uint64_t, 3> core{};
  std::string prerelease, build;
  std::string str() const {
    std::string out = std::to_string(core[0]) + "." + std::to_string(core[1]) + "." + std::to_string(core[2]);
    if (!prerelease.empty()) out += "-" + prerelease;
    if (!build.empty()) out += "+" + build;
    return out;
  }
};

/// A semantic version as the Masterminds library reads it: an optional `v`, one to three numeric
/// parts (missing ones are 0), then `-prerelease` and `+build`. nullopt when it is not one.
std::optional<SemVer> parseSemVer(std::string_view s) {
  if (!s.empty() && (s[0] == 'v' || s[0] == 'V')) s.remove_prefix(1);
  SemVer v;
  if (size_t plus = s.find('+'); plus != std::string_view::npos) {
    v.build = std::string(s.substr(plus + 1));
    s = s.substr(0, plus);
    if (v.build.empty()) return std::nullopt;
  }
  if (size_t dash = s.find('-'); dash != std::string_view::npos) {
    v.prerelease = std::string(s.substr(dash + 1));
    s = s.substr(0, dash);
    if (v.prerelease.empty()) return std::nullopt;
  }
  for (size_t i = 0; i < 3; ++i) {
    size_t dot = s.find('.');
    std::string_view part = s.substr(0, dot);
    if (part.empty()) return std::nullopt;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v.core[i]);
    if (ec != std::errc() || end != part.data() + part.size()) return std::nullopt;
    if (dot == std::string_view::npos) return v;
    s = s.substr(dot + 1);
  }
  return std::nullopt;  // more than three parts
}

std::string versionString(const std::array<uint64_t, 3>& v) {
  return std::to_string(v[0]) + "." + std::to_string(v[1]) + "." + std::to_string(v[2]);
}

class CRDVersionAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "k8sgateway.CRDVersionAnalyzer",
        "Checks Gateway API CRDs are at the minimum version required by this Istio version",
        {Kind::CustomResourceDefinition},
        {Code::IST0176}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    for (const model::Resource* crd : ctx.graph().ofKind(Kind::CustomResourceDefinition)) {
      const Minimum* min = nullptr;
      for (const Minimum& m : kMinimums) {
        if (m.crd == crd->name()) min = &m;
      }
      if (min == nullptr) continue;
      // Without the annotation istiod logs an error of its own; an unreadable version is skipped
      // as istiod skips it.
      const model::Str* bv = crd->annotation(std::string(kBundleVersion));
      if (bv == nullptr) continue;
      std::optional<SemVer> installed = parseSemVer(bv->value);
      if (!installed || installed->core >= min->version) continue;  // a prerelease of the minimum passes
      ctx.report(Code::IST0176, *crd, bv->span, crd->name(), installed->str(), versionString(min->version));
    }
  }
};

}  // namespace

AnalyzerPtr makeK8sGatewayCRDVersionAnalyzer() { return std::make_unique<CRDVersionAnalyzer>(); }

}  // namespace istio_lint::analyzers
