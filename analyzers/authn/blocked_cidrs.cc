// authn.BlockedCIDRsAnalyzer: when RequestAuthentications exist, istiod fetches their jwksUri
// (and OpenID discovery) URLs, and BLOCKED_CIDRS_IN_JWKS_URIS should keep it off internal networks.

#include "analyzers/analyzer.h"
#include "analyzers/policy_helpers.h"
#include "analyzers/registry_entries.h"
#include "model/resources/security.h"

namespace istio_lint::analyzers {
namespace {

using model::Workload;

constexpr std::string_view kEnv = "BLOCKED_CIDRS_IN_JWKS_URIS";

bool hasBlockedCidrs(const Workload& w) {
  for (const model::Container& c : w.containers) {
    for (const auto& [name, value] : c.env) {
      if (name == kEnv && !value.empty()) return true;
    }
  }
  return false;
}

/// "a, b, c", or the first five and "and N more".
std::string formatNames(const std::vector<std::string>& names) {
  constexpr size_t kMax = 5;
  std::string out;
  for (size_t i = 0; i < names.size() && i < kMax; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > kMax) out += ", and " + std::to_string(names.size() - kMax) + " more";
  return out;
}

class BlockedCidrsAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "authn.BlockedCIDRsAnalyzer",
        "Checks that BLOCKED_CIDRS_IN_JWKS_URIS is configured on istiod when RequestAuthentication resources exist",
        {Kind::RequestAuthentication, Kind::Deployment},
        {Code::IST0175}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    const auto& ras = g.ofKind(Kind::RequestAuthentication);
    if (ras.empty()) return;
    std::vector<std::string> names;
    for (const model::Resource* r : ras) names.push_back(r->qualifiedName());
    for (const model::Resource* r : g.ofKind(Kind::Deployment)) {
      auto it = r->meta.labels.find("app");
      if (it == r->meta.labels.end() || it->second != "istiod") continue;
      const auto& w = static_cast<const Workload&>(*r);
      if (hasBlockedCidrs(w)) continue;
      rules::Finding& f = ctx.report(Code::IST0175, w, w.span, names.size(), formatNames(names));
      f.message += " Set the " + std::string(kEnv) +
                   " environment variable on the istiod container (for example to the cluster's pod, service and "
                   "node CIDRs)";
      for (size_t i = 0; i < ras.size() && i < 5; ++i) {
        f.notes.push_back({"RequestAuthentication " + names[i] + " is declared here", ras[i]->span});
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeAuthnBlockedCIDRsAnalyzer() { return std::make_unique<BlockedCidrsAnalyzer>(); }

}  // namespace istio_lint::analyzers
