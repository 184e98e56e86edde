// destinationrule.CaCertificateAnalyzer: a DestinationRule that originates TLS (mode SIMPLE or
// MUTUAL) should say which CA validates the server's certificate.

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

using model::DestinationRule;

class CaCertificateAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "destinationrule.CaCertificateAnalyzer",
        "Checks if caCertificates is set when TLS mode is SIMPLE/MUTUAL",
        {Kind::DestinationRule},
        {Code::IST0128, Code::IST0129}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    for (const DestinationRule* dr : ctx.graph().typed<DestinationRule>(Kind::DestinationRule)) {
      if (!dr->traffic_policy) continue;
      const std::string name = dr->ns().empty() ? dr->name() : dr->ns() + "/" + dr->name();
      if (unverified(*dr, dr->traffic_policy->tls)) {
        const model::ClientTls& tls = *dr->traffic_policy->tls;
        ctx.report(Code::IST0128, *dr, tls.mode.span, name, dr->ns(), tls.mode.value, dr->host.value);
      }
      for (const model::TrafficPolicy::PortLevel& p : dr->traffic_policy->port_level) {
        if (!unverified(*dr, p.tls)) continue;
        std::string port = p.port.number ? "number:" + std::to_string(*p.port.number) : "";
        ctx.report(Code::IST0129, *dr, p.tls->mode.span, name, dr->ns(), p.tls->mode.value, dr->host.value, port);
      }
    }
  }

 private:
  /// SIMPLE or MUTUAL without caCertificates. A credentialName on a DestinationRule with a
  /// workloadSelector (a gateway originating TLS) brings its CA from the Secret.
  static bool unverified(const DestinationRule& dr, const std::optional<model::ClientTls>& tls) {
    if (!tls || (tls->mode.value != "SIMPLE" && tls->mode.value != "MUTUAL")) return false;
    if (!tls->ca_certificates.empty()) return false;
    return tls->credential_name.empty() || !dr.workload_selector;
  }
};

}  // namespace

AnalyzerPtr makeDestinationRuleCaCertificateAnalyzer() { return std::make_unique<CaCertificateAnalyzer>(); }

}  // namespace istio_lint::analyzers
