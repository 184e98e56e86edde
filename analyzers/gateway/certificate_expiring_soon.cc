// gateway.CertificateExpiringSoonAnalyzer (IL1004): a Gateway server terminates TLS with a
// certificate (or a certificate of its chain) that expires within the warning window
// (CertificateOptions::expiry_window_days, 30 days by default).

#include "analyzers/analyzer.h"
#include "analyzers/gateway_credentials.h"
#include "analyzers/gateway/workloads.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

class CertificateExpiringSoonAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.CertificateExpiringSoonAnalyzer",
        "Checks that the certificates gateways serve do not expire within the warning window",
        {Kind::Gateway, Kind::Pod, Kind::Secret, Kind::Ingress, Kind::IngressClass},
        {Code::IL1004}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    const model::UnixTime now = g.certificates().now();
    const int window = g.certificates().expiryWindowDays();
    const model::UnixTime horizon = now + static_cast<model::UnixTime>(window) * 86400;
    const gateway::ServedGateways served(g);
    for (const gateway::UsableCredential& u : gateway::usableCredentials(g, gateway::credentialRefs(g, served))) {
      const model::Certificate* first = nullptr;
      bool expired = false;  // IL1003's finding
      for (const model::Certificate& c : u.credential->chain) {
        expired = expired || c.not_after < now;
        if (c.not_after < horizon && (first == nullptr || c.not_after < first->not_after)) first = &c;
      }
      if (first == nullptr || expired) continue;
      const bool leaf = first == u.credential->leaf();
      std::string which = leaf ? "The certificate" : "The chain certificate \"" + first->subject + "\"";
      const int64_t days = (first->not_after - now) / 86400;
      rules::Finding& f = ctx.report(Code::IL1004, *u.ref.origin, u.ref.name->span, which,
                                     gateway::secretName(u.ref) + " (" + u.credential->cert_entry + ")",
                                     model::formatTimestamp(first->not_after), days, window);
      f.notes.push_back({"Secret " + gateway::secretName(u.ref) + " is declared here", u.ref.secret->span});
    }
  }
};

}  // namespace

AnalyzerPtr makeGatewayCertificateExpiringSoonAnalyzer() { return std::make_unique<CertificateExpiringSoonAnalyzer>(); }

}  // namespace istio_lint::analyzers
