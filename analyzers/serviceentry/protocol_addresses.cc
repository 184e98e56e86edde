// serviceentry.Analyzer: a ServiceEntry port serving plain TCP (or an unset protocol) needs
// addresses, unless the mesh allocates virtual IPs to ServiceEntries automatically.

#include <algorithm>
#include <cctype>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "model/ascii.h"

namespace istio_lint::analyzers {
namespace {

using model::ServiceEntry;

bool isTrue(const std::map<std::string, std::string>& m, const std::string& key) {
  auto it = m.find(key);
  return it != m.end() && it->second == "true";
}

class ProtocolAddressesAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{"serviceentry.Analyzer", "Checks the validity of ServiceEntry",
                                        {Kind::ServiceEntry, Kind::MeshConfig},
                                        {Code::IST0134}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    // With DNS capture on, the proxies' DNS proxy gives ServiceEntries without addresses a
    // virtual IP (ISTIO_META_DNS_AUTO_ALLOCATE, or PILOT_ENABLE_IP_AUTOALLOCATE in newer meshes).
    const auto& md = ctx.graph().meshConfig().proxy_metadata;
    if (isTrue(md, "ISTIO_META_DNS_CAPTURE") &&
        (isTrue(md, "ISTIO_META_DNS_AUTO_ALLOCATE") || isTrue(md, "PILOT_ENABLE_IP_AUTOALLOCATE"))) {
      return;
    }
    for (const ServiceEntry* se : ctx.graph().typed<ServiceEntry>(Kind::ServiceEntry)) {
      if (!se->addresses.empty() || se->has_status_addresses) continue;
      for (const model::ServicePort& p : se->ports) {
        if (!p.protocol.empty() && !model::equalsIgnoreCase(p.protocol.value, "TCP")) continue;
        rules::Finding& f = ctx.report(Code::IST0134, *se, p.protocol.span.known() ? p.protocol.span : p.span);
        f.notes.push_back({"port " + std::to_string(p.number) + " serves " +
                               (p.protocol.empty() ? std::string("an unset protocol (sniffed)") : "plain TCP") +
                               ": sidecars can only tell this service's traffic apart by destination IP. Add "
                               "spec.addresses, use a protocol such as HTTP or TLS, or enable DNS auto-allocation",
                           p.span});
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeServiceEntryAnalyzer() { return std::make_unique<ProtocolAddressesAnalyzer>(); }

}  // namespace istio_lint::analyzers
