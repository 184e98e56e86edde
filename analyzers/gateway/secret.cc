// gateway.SecretAnalyzer: every `tls.credentialName` of a Gateway names a Secret in each
// namespace where the Gateway's workloads run, and that Secret holds a usable certificate and key.
// An expired certificate is IL1003 (gateway.CertificateExpiredAnalyzer), not IST0161: see
// docs/compat.md.

#include "analyzers/analyzer.h"
#include "analyzers/gateway_credentials.h"
#include "analyzers/gateway/workloads.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

using model::Gateway;
using model::Secret;

class SecretAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.SecretAnalyzer",
        "Checks a gateway's referenced secrets for correctness",
        {Kind::Gateway, Kind::Pod, Kind::Secret},
        {Code::IST0101, Code::IST0161}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    std::vector<const Gateway*> unresolved;
    std::vector<gateway::CredentialRef> refs = gateway::credentialRefs(g, &unresolved);
    for (const Gateway* gw : unresolved) gateway::reportSelectorNotFound(ctx, *gw);
    for (const gateway::CredentialRef& r : refs) check(ctx, r);
  }

 private:
  static void check(Context& ctx, const gateway::CredentialRef& r) {
    const model::MeshGraph& g = ctx.graph();
    const Gateway& gw = *r.gateway;
    const model::Str& cn = *r.name;
    if (r.secret == nullptr) {
      rules::Finding& f = ctx.report(Code::IST0101, gw, cn.span, "credentialName", cn.value);
      f.message += r.explicit_ns ? ". There is no Secret " + r.secret_name + " in namespace \"" + r.secret_ns + "\""
                                 : ". The gateway's workloads run in namespace \"" + r.workload_ns +
                                       "\" and read the Secret from there: create it in that namespace";
      for (const model::Resource* other : g.findByName(Kind::Secret, r.secret_name)) {
        f.notes.push_back({"a Secret named " + r.secret_name + " exists in namespace \"" + other->ns() + "\"", other->span});
      }
      return;
    }
    const Secret& secret = *r.secret;
    auto problem = gateway::credentialProblem(g.certificates().credential(secret), g.certificates().now());
    if (!problem) return;
    rules::Finding& f = ctx.report(Code::IST0161, gw, cn.span, gw.name(), r.workload_ns);
    f.message += " Secret " + secret.qualifiedName() + ": " + *problem + ".";
    f.notes.push_back({"Secret " + secret.qualifiedName() + " is declared here", secret.span});
  }
};

}  // namespace

AnalyzerPtr makeGatewaySecretAnalyzer() { return std::make_unique<SecretAnalyzer>(); }

}  // namespace istio_lint::analyzers
