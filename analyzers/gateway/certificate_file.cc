// gateway.CertificateFileAnalyzer: a Gateway server that loads its certificate from file paths
// (serverCertificate / privateKey) instead of an SDS credentialName.

#include "analyzers/analyzer.h"
#include "analyzers/gateway/workloads.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

class CertificateFileAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.CertificateFileAnalyzer",
        "Checks that gateway servers take certificates from Secrets over SDS rather than mounted files",
        {Kind::Gateway},
        {Code::IL3006}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    for (const model::Gateway* gw : ctx.graph().typed<model::Gateway>(Kind::Gateway)) {
      for (const model::GatewayServer& s : gw->servers) {
        if (!s.tls) continue;
        const model::ServerTls& tls = *s.tls;
        // credentialName wins over the file fields; ISTIO_MUTUAL and passthrough use no certificate.
        if (!tls.credential_name.empty() || !tls.credential_names.empty()) continue;
        if (tls.mode.value == "ISTIO_MUTUAL" || tls.mode.value == "PASSTHROUGH" || tls.mode.value == "AUTO_PASSTHROUGH") {
          continue;
        }
        std::string files;
        const model::Str* at = nullptr;
        const std::pair<const char*, const model::Str*> fields[] = {{"serverCertificate", &tls.server_certificate},
                                                                     {"privateKey", &tls.private_key}};
        for (const auto& [field, value] : fields) {
          if (value->empty()) continue;
          files += (files.empty() ? "" : ", ") + std::string(field) + " " + value->value;
          if (at == nullptr) at = value;
        }
        if (at == nullptr) continue;
        std::string server = "port " + std::to_string(s.port) + (s.port_name.empty() ? "" : " (" + s.port_name.value + ")") +
                             " of Gateway " + gw->qualifiedName();
        ctx.report(Code::IL3006, *gw, at->span, server, files);
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeGatewayCertificateFileAnalyzer() { return std::make_unique<CertificateFileAnalyzer>(); }

}  // namespace istio_lint::analyzers
