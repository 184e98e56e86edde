// ingress.BackendAnalyzer: the backends of the Kubernetes Ingresses Istio serves must name a
// Service port istiod can route to (IL1010). istiod drops a path whose backend is not a Service
// or whose port name the Service does not have, and routes a numbered port of a missing Service,
// or a port the Service does not have, to a cluster that does not exist (503 NC).

#include <string>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "model/istio_ingress.h"
#include "model/resources/ingress.h"
#include "model/resources/kube.h"

namespace istio_lint::analyzers {
namespace {

using model::Ingress;
using model::IngressBackend;

/// "name: port, ..." of a Service's ports, for the message.
std::string portList(const model::Service& svc) {
  std::string out;
  for (const model::KubeServicePort& p : svc.ports) {
    if (!out.empty()) out += ", ";
    out += p.name.empty() ? std::to_string(p.port) : p.name.value + " " + std::to_string(p.port);
  }
  return out.empty() ? "none" : out;
}

class BackendAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "ingress.BackendAnalyzer",
        "Checks that the backends of Ingresses served by Istio name a Service port istiod can route to",
        {Kind::Ingress, Kind::IngressClass, Kind::MeshConfig, Kind::ConfigMap, Kind::Service},
        {Code::IL1010}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    for (const Ingress* ing : g.typed<Ingress>(Kind::Ingress)) {
      if (!model::servedByIstio(*ing, g)) continue;
      for (const model::IngressRule& rule : ing->rules) {
        const std::string host = rule.host.empty() ? "*" : rule.host.value;
        for (const model::IngressPath& p : rule.paths) check(ctx, *ing, host, p);
      }
    }
  }

 private:
  static constexpr const char* kDropped =
      "istiod leaves the path out of the routes it generates, so its requests go to another path of "
      "the host or get 404";
  static constexpr const char* kNoCluster =
      "istiod routes the path to a cluster that does not exist, so its requests get 503 NC";

  static void check(Context& ctx, const Ingress& ing, const std::string& host, const model::IngressPath& p) {
    const IngressBackend& b = p.backend;
    // A port that is missing or not a valid number: the API server rejects it, and an invalid
    // value is IL0005 already.
    if (!b.service.empty() && !b.port_number && b.port_name.empty()) return;
    const model::Span at = b.span.known() ? b.span : p.span;
    const std::string path = p.path.empty() ? "/" : p.path.value;
    if (b.service.empty()) {
      ctx.report(Code::IL1010, ing, at, b.resource ? "(a resource)" : "(none)", path, host,
                 "is not a Service", kDropped, "Istio routes Ingress paths to Services only: name a Service and its port");
      return;
    }
    const bool by_name = !(b.port_number && *b.port_number > 0);
    const std::string backend = "Service " + ing.ns() + "/" + b.service.value + " " +
                                (by_name ? "port name \"" + b.port_name.value + "\"" : "port " + std::to_string(*b.port_number));
    const model::Service* svc = model::backendService(b, ing.ns(), ctx.graph());
    if (svc == nullptr) {
      ctx.report(Code::IL1010, ing, at, backend, path, host, "names a Service that is not in the inputs",
                 by_name ? kDropped : kNoCluster,
                 "Create the Service in namespace " + ing.ns() + ", or point the path at one that exists");
      return;
    }
    if (model::backendServicePort(b, *svc) != nullptr) return;
    ctx.report(Code::IL1010, ing, at, backend, path, host,
               "names a port the Service does not have (its ports: " + portList(*svc) + ")",
               by_name ? kDropped : kNoCluster, "Use one of the Service's port names or numbers");
  }
};

}  // namespace

AnalyzerPtr makeIngressBackendAnalyzer() { return std::make_unique<BackendAnalyzer>(); }

}  // namespace istio_lint::analyzers
