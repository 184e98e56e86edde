// gateway.CertificateHostMismatchAnalyzer (IL1005): a Gateway server host that no DNS subject
// alternative name of its certificate covers (RFC 6125 matching: certificateNameCovers).

#include "analyzers/analyzer.h"
#include "analyzers/gateway_credentials.h"
#include "analyzers/gateway/workloads.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

/// Whether some name of the certificate covers `host`. A wildcard host ("*.example.com") counts
/// as covered when a name covers some host it stands for (the same wildcard, or a name under it):
/// the certificate then serves part of it, which may be what is intended.
bool covered(const model::Certificate& cert, std::string_view host) {
  for (const std::string& name : cert.dns_names) {
    if (model::certificateNameCovers(name, host)) return true;
    if (host.starts_with("*.")) {
      std::string_view suffix = host.substr(1);  // ".example.com"
      std::string_view n = name;
      if (n.starts_with("*.")) n = n.substr(2);
      if (n.size() > suffix.size() && n.ends_with(suffix)) return true;
    }
  }
  return false;
}

class CertificateHostMismatchAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.CertificateHostMismatchAnalyzer",
        "Checks that a gateway server's certificate covers each of its hosts",
        {Kind::Gateway, Kind::Pod, Kind::Secret, Kind::Ingress, Kind::IngressClass},
        {Code::IL1005}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    const gateway::ServedGateways served(g);
    for (const gateway::UsableCredential& u : gateway::usableCredentials(g, gateway::credentialRefs(g, served))) {
      const model::Certificate& leaf = *u.credential->leaf();
      std::vector<std::string> names;
      std::vector<const model::Str*> hosts = gateway::serverHosts(*u.ref.server, names);
      for (size_t i = 0; i < hosts.size(); ++i) {
        if (names[i] == "*" || names[i].empty() || covered(leaf, names[i])) continue;
        std::string sans = gateway::quotedList(leaf.dns_names, "none");
        if (leaf.dns_names.empty() && !leaf.common_name.empty()) {
          sans += "; clients ignore the subject CN \"" + leaf.common_name + "\"";
        }
        rules::Finding& f = ctx.report(Code::IL1005, *u.ref.origin, hosts[i]->span, names[i],
                                       gateway::secretName(u.ref), sans);
        f.notes.push_back({gateway::referenceNote(u.ref), u.ref.name->span});
        f.notes.push_back({"Secret " + gateway::secretName(u.ref) + " is declared here", u.ref.secret->span});
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeGatewayCertificateHostMismatchAnalyzer() { return std::make_unique<CertificateHostMismatchAnalyzer>(); }

}  // namespace istio_lint::analyzers
