// gateway.MutualTlsCaCertificateAnalyzer (IL1006): a server with tls.mode MUTUAL (or
// OPTIONAL_MUTUAL) whose credential offers no CA to verify client certificates: no `ca.crt` (or
// `cacert`) in the Secret, and no `<name>-cacert` Secret beside it. istiod then sends the gateway
// no validation context, and the listener is rejected.

#include "analyzers/analyzer.h"
#include "analyzers/gateway_credentials.h"
#include "analyzers/gateway/workloads.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

class MutualTlsCaCertificateAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.MutualTlsCaCertificateAnalyzer",
        "Checks that a gateway server with mutual TLS has a CA certificate to verify clients",
        {Kind::Gateway, Kind::Pod, Kind::Secret},
        {Code::IL1006}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    // The inputs' Gateways only: the servers generated from Ingresses are SIMPLE.
    for (const gateway::UsableCredential& u : gateway::usableCredentials(g, gateway::credentialRefs(g))) {
      const model::ServerTls& tls = *u.ref.server->tls;
      if (tls.mode.value != "MUTUAL" && tls.mode.value != "OPTIONAL_MUTUAL") continue;
      if (!tls.ca_certificates.empty()) continue;  // a file path: not this Secret's business
      const model::Credential& c = *u.credential;
      const std::string cacert_name = u.ref.secret_name + "-cacert";
      if (c.hasCa() && !c.ca_error) continue;
      const auto* cacert = static_cast<const model::Secret*>(g.find(Kind::Secret, u.ref.secret_ns, cacert_name));
      std::string why;
      if (c.hasCa()) {
        why = "Secret " + gateway::secretName(u.ref) + ": " + *c.ca_error;
        if (cacert == nullptr) why += ", and there is no Secret " + u.ref.secret_ns + "/" + cacert_name;
      } else if (cacert == nullptr) {
        why = "Secret " + gateway::secretName(u.ref) + " has no ca.crt (nor cacert) and there is no Secret " +
              u.ref.secret_ns + "/" + cacert_name;
      }
      if (cacert != nullptr) {
        const model::Credential& extra = g.certificates().credential(*cacert);
        if (extra.hasCa() && !extra.ca_error) continue;
        why = (why.empty() ? "Secret " + gateway::secretName(u.ref) + " has no ca.crt (nor cacert), and " : why + "; ") +
              "Secret " + u.ref.secret_ns + "/" + cacert_name +
              (extra.hasCa() ? ": " + *extra.ca_error : " has no ca.crt (nor cacert) entry");
      }
      rules::Finding& f = ctx.report(Code::IL1006, *u.ref.origin, tls.mode.span, tls.mode.value, why,
                                     gateway::secretName(u.ref), u.ref.secret_ns + "/" + cacert_name);
      f.notes.push_back({gateway::referenceNote(u.ref), u.ref.name->span});
    }
  }
};

}  // namespace

AnalyzerPtr makeGatewayMutualTlsCaCertificateAnalyzer() { return std::make_unique<MutualTlsCaCertificateAnalyzer>(); }

}  // namespace istio_lint::analyzers
