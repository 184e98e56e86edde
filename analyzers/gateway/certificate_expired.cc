// gateway.CertificateExpiredAnalyzer (IL1003): a Gateway server terminates TLS with a certificate
// (or a certificate of its chain) that has expired. Clients fail the handshake.

#include "analyzers/analyzer.h"
#include "analyzers/gateway_credentials.h"
#include "analyzers/gateway/workloads.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

class CertificateExpiredAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.CertificateExpiredAnalyzer",
        "Checks that the certificates gateways serve have not expired",
        {Kind::Gateway, Kind::Pod, Kind::Secret, Kind::Ingress, Kind::IngressClass},
        {Code::IL1003}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    const model::UnixTime now = g.certificates().now();
    const gateway::ServedGateways served(g);
    for (const gateway::UsableCredential& u : gateway::usableCredentials(g, gateway::credentialRefs(g, served))) {
      // The chain certificate that expired first.
      const model::Certificate* first = nullptr;
      for (const model::Certificate& c : u.credential->chain) {
        if (c.not_after < now && (first == nullptr || c.not_after < first->not_after)) first = &c;
      }
      if (first == nullptr) continue;
      const bool leaf = first == u.credential->leaf();
      std::string which = leaf ? "The certificate" : "The chain certificate \"" + first->subject + "\"";
      std::vector<std::string> hosts;
      gateway::serverHosts(*u.ref.server, hosts);
      const int64_t days = (now - first->not_after) / 86400;
      rules::Finding& f = ctx.report(Code::IL1003, *u.ref.origin, u.ref.name->span, which,
                                     gateway::secretName(u.ref) + " (" + u.credential->cert_entry + ")",
                                     model::formatTimestamp(first->not_after), days,
                                     gateway::quotedList(hosts, "this server"));
      f.notes.push_back({"Secret " + gateway::secretName(u.ref) + " is declared here", u.ref.secret->span});
    }
  }
};

}  // namespace

AnalyzerPtr makeGatewayCertificateExpiredAnalyzer() { return std::make_unique<CertificateExpiredAnalyzer>(); }

}  // namespace istio_lint::analyzers
