// gateway.InternalHostOnPublicGatewayAnalyzer: an internal-looking host (`*.internal`, `*.local`,
// `*.cluster.local`, a `corp` label, or a suffix from .istio-lint.yaml) served by a public gateway,
// through the Gateway's server hosts or a VirtualService bound to it.

#include <algorithm>
#include <cctype>

#include "analyzers/analyzer.h"
#include "analyzers/gateway/exposure.h"
#include "analyzers/gateway/workloads.h"
#include "analyzers/registry_entries.h"
#include "model/host.h"

namespace istio_lint::analyzers {
namespace {

using model::Gateway;

std::string whyInternal(const model::config::LintConfig& cfg, std::string_view host) {
  return model::config::looksInternalBuiltin(host) ? "an internal domain" : "a suffix listed in " + cfg.where({});
}

class InternalHostOnPublicGatewayAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.InternalHostOnPublicGatewayAnalyzer",
        "Checks that hosts which look internal are not served by a public gateway",
        {Kind::Gateway, Kind::VirtualService, Kind::Service, Kind::Pod, Kind::Deployment, Kind::StatefulSet,
         Kind::IstioOperator},
        {Code::IL1001}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    const model::config::LintConfig& cfg = ctx.config();
    for (const Gateway* gw : g.typed<Gateway>(Kind::Gateway)) {
      gateway::GatewaySide side = gateway::sideOf(g, *gw);
      if (side.exposure != model::Exposure::Public) continue;
      const std::string name = "Gateway " + gw->qualifiedName();
      std::vector<std::string_view> public_hosts;  // server hosts that do not look internal
      for (const model::GatewayServer& server : gw->servers) {
        // An east-west (cross-network) server admits only mesh workloads with Istio mTLS
        // identities: `*.local` there is the multi-network pattern, not an exposed internal host.
        if (server.tls && (server.tls->mode.value == "AUTO_PASSTHROUGH" || server.tls->mode.value == "ISTIO_MUTUAL")) {
          continue;
        }
        for (const model::Str& h : server.hosts) {
          std::string_view host = gateway::bareHost(h.value);
          if (cfg.isInternalHost(host)) {
            ctx.report(Code::IL1001, *gw, h.span, host, whyInternal(cfg, host), name, side.why);
          } else {
            public_hosts.push_back(host);
          }
        }
      }
      for (const model::VirtualService* vs : g.virtualServicesOf(*gw)) {
        for (const model::Str& h : vs->hosts) {
          if (!cfg.isInternalHost(h.value)) continue;
          // Hosts the server hosts do not accept are IST0132's; those an internal server host
          // accepts were reported there.
          bool accepted = std::any_of(public_hosts.begin(), public_hosts.end(),
                                      [&](std::string_view s) { return model::host::subsetOf(h.value, s); });
          if (accepted) ctx.report(Code::IL1001, *vs, h.span, h.value, whyInternal(cfg, h.value), name, side.why);
        }
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeGatewayInternalHostOnPublicGatewayAnalyzer() {
  return std::make_unique<InternalHostOnPublicGatewayAnalyzer>();
}

}  // namespace istio_lint::analyzers
