// ingress.SecretAnalyzer: the TLS Secret of an Ingress Istio serves must be where the ingress
// gateway reads it, the namespace of the gateway workload (IL1012). Kubernetes Ingress
// controllers read it from the Ingress's namespace, so it is often created there; istiod turns
// secretName into the credentialName of a generated Gateway server, which the gateway proxy
// looks up in its own namespace. Reported only when a Secret of that name is in the inputs
// elsewhere: without any, where the Secret lives is unknown.

#include <map>
#include <string>

#include "analyzers/analyzer.h"
#include "analyzers/gateway_credentials.h"
#include "analyzers/registry_entries.h"
#include "model/resources/ingress.h"
#include "simulate/ingress.h"

namespace istio_lint::analyzers {
namespace {

using model::Ingress;

class SecretAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "ingress.SecretAnalyzer",
        "Checks that the TLS Secrets of Ingresses served by Istio are where the ingress gateway reads them",
        {Kind::Ingress, Kind::IngressClass, Kind::MeshConfig, Kind::ConfigMap, Kind::Secret, Kind::Pod,
         Kind::Deployment},
        {Code::IL1012}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    if (g.ofKind(Kind::Ingress).empty()) return;
    simulate::IngressConfig generated = simulate::translateIngresses(g);
    std::vector<const model::Gateway*> gateways;
    std::map<const model::Gateway*, const Ingress*> ingress_of;
    for (const auto& [ing, gw] : generated.gateways) {
      gateways.push_back(gw.get());
      ingress_of.emplace(gw.get(), ing);
    }
    for (const gateway::CredentialRef& r : gateway::credentialRefs(g, gateways)) {
      if (r.secret != nullptr || r.explicit_ns) continue;
      const std::vector<const model::Resource*>& elsewhere = g.findByName(Kind::Secret, r.secret_name);
      if (elsewhere.empty()) continue;
      std::string where = elsewhere.size() == 1 ? "namespace " : "namespaces ";
      for (size_t i = 0; i < elsewhere.size(); ++i) where += (i ? ", \"" : "\"") + elsewhere[i]->ns() + "\"";
      std::vector<std::string> hosts;
      for (const model::Str& h : r.server->hosts) hosts.push_back(h.value);
      rules::Finding& f = ctx.report(Code::IL1012, *ingress_of.at(r.gateway), r.name->span, r.secret_name, where,
                                     r.workload_ns, gateway::quotedList(hosts, "its hosts"), r.workload_ns);
      for (const model::Resource* s : elsewhere) {
        f.notes.push_back({"Secret " + s->ns() + "/" + s->name() + " is declared here", s->span});
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeIngressSecretAnalyzer() { return std::make_unique<SecretAnalyzer>(); }

}  // namespace istio_lint::analyzers
