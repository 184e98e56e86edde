// service.PortNameAnalyzer: Service ports declare their protocol by name prefix or appProtocol
// (IST0118); an ExternalName Service's ports must, and must not be plain `tcp` (IST0150).

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "analyzers/workloads.h"

namespace istio_lint::analyzers {
namespace {

using model::KubeServicePort;
using model::Service;

class PortNameAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "service.PortNameAnalyzer",
        "Checks the port names associated with each service",
        {Kind::Service},
        {Code::IST0118, Code::IST0150}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    for (const Service* svc : ctx.graph().typed<Service>(Kind::Service)) {
      if (svc->synthetic || workloads::isSystemNamespace(svc->ns()) || workloads::isControlPlane(*svc)) continue;
      // Services of gateways and waypoints that Istio deploys itself.
      if (svc->meta.labels.count("gateway.istio.io/managed")) continue;
      const bool external_name = svc->type.value == "ExternalName";
      for (const KubeServicePort& p : svc->ports) {
        const std::string proto = workloads::portProtocol(p);
        const model::Span at = p.name.span.known() ? p.name.span : p.span;
        if (external_name) {
          if (proto.empty() || p.name.value == "tcp") {
            rules::Finding& f = ctx.report(Code::IST0150, *svc, at);
            f.message += ". Name port " + std::to_string(p.port) +
                         " after the protocol the external service speaks (https, tls, http, ...) or set appProtocol";
          }
          continue;
        }
        if (!proto.empty()) continue;
        std::string target = p.target_port.empty() ? std::to_string(p.port) : p.target_port;
        rules::Finding& f = ctx.report(Code::IST0118, *svc, at, p.name.value, p.port, target);
        f.message += " Name it <protocol>[-<suffix>] (for example http-web or grpc-api) or set appProtocol, so "
                     "that the proxy does not have to detect the protocol";
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeServicePortNameAnalyzer() { return std::make_unique<PortNameAnalyzer>(); }

}  // namespace istio_lint::analyzers
