// ingress.SecretAnalyzer: the TLS Secret of an Ingress Istio serves must be where the ingress
// gateway reads it, the namespace of the gateway workload (IL1012), and hold a certificate and
// key the gateway can serve (IL1013). Kubernetes Ingress controllers read it from the Ingress's
// namespace, so it is often created there; istiod turns secretName into the credentialName of a
// generated Gateway server, which the gateway proxy looks up in its own namespace. IL1012 is
// reported only when a Secret of that name is in the inputs elsewhere: without any, where the
// Secret lives is unknown. The certificate's expiry and hosts are the gateway certificate rules'
// (IL1003-IL1005), which check the generated servers too.

#include <string>

#include "analyzers/analyzer.h"
#include "analyzers/gateway_credentials.h"
#include "analyzers/registry_entries.h"
#include "model/resources/ingress.h"

namespace istio_lint::analyzers {
namespace {

class IngressSecretAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "ingress.SecretAnalyzer",
        "Checks that the TLS Secrets of Ingresses served by Istio are where the ingress gateway reads them and hold a usable certificate",
        {Kind::Ingress, Kind::IngressClass, Kind::MeshConfig, Kind::ConfigMap, Kind::Secret, Kind::Pod,
         Kind::Deployment},
        {Code::IL1012, Code::IL1013}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    if (g.ofKind(Kind::Ingress).empty()) return;
    const gateway::ServedGateways served(g);
    for (const gateway::CredentialRef& r : gateway::credentialRefs(g, served)) {
      if (r.origin->kind != Kind::Ingress) continue;
      std::vector<std::string> hosts;
      for (const model::Str& h : r.server->hosts) hosts.push_back(h.value);
      const std::string host_list = gateway::quotedList(hosts, "its hosts");
      if (r.secret != nullptr) {
        checkContents(ctx, r, host_list);
        continue;
      }
      if (r.explicit_ns) continue;
      const std::vector<const model::Resource*>& elsewhere = g.findByName(Kind::Secret, r.secret_name);
      if (elsewhere.empty()) continue;
      std::string where = elsewhere.size() == 1 ? "namespace " : "namespaces ";
      for (size_t i = 0; i < elsewhere.size(); ++i) where += (i ? ", \"" : "\"") + elsewhere[i]->ns() + "\"";
      rules::Finding& f = ctx.report(Code::IL1012, *r.origin, r.name->span, r.secret_name, where, r.workload_ns,
                                     host_list, r.workload_ns);
      for (const model::Resource* s : elsewhere) {
        f.notes.push_back({"Secret " + s->ns() + "/" + s->name() + " is declared here", s->span});
      }
    }
  }

 private:
  /// IL1013: the Secret is where the gateway reads it, but holds nothing it can serve.
  static void checkContents(Context& ctx, const gateway::CredentialRef& r, const std::string& hosts) {
    const model::MeshGraph& g = ctx.graph();
    auto problem = gateway::credentialProblem(g.certificates().credential(*r.secret), g.certificates().now());
    if (!problem) return;
    rules::Finding& f = ctx.report(Code::IL1013, *r.origin, r.name->span, gateway::secretName(r), hosts, *problem);
    f.notes.push_back({"Secret " + gateway::secretName(r) + " is declared here", r.secret->span});
  }
};

}  // namespace

AnalyzerPtr makeIngressSecretAnalyzer() { return std::make_unique<IngressSecretAnalyzer>(); }

}  // namespace istio_lint::analyzers
