// annotations.AlphaAnalyzer: Istio annotations of alpha-phase features on Namespaces, Services,
// Pods and Deployments (IST0136). Not run by default, as upstream keeps it out of All(); select it
// with `-a annotations.AlphaAnalyzer`.

#include "analyzers/analyzer.h"
#include "analyzers/annotations/annotated_resources.h"
#include "analyzers/annotations/annotation_catalog.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

/// Annotations the injector writes on every Pod it injects when the istio-cni plugin replaces the
/// istio-init container: the user did not choose them, so they are not reported on such Pods.
bool setByInjector(std::string_view name) {
  return name == "sidecar.istio.io/interceptionMode" || name == "traffic.sidecar.istio.io/includeInboundPorts" ||
         name == "traffic.sidecar.istio.io/excludeInboundPorts" ||
         name == "traffic.sidecar.istio.io/includeOutboundIPRanges";
}

bool hasInitContainer(const model::Workload& w, std::string_view name) {
  for (const model::Container& c : w.init_containers) {
    if (c.name.value == name) return true;
  }
  return false;
}

class AlphaAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "annotations.AlphaAnalyzer",
        "Checks for alpha Istio annotations in Kubernetes resources",
        {Kind::Namespace, Kind::Service, Kind::Pod, Kind::Deployment},
        {Code::IST0136},
        /*default_enabled=*/false};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    annotations::forEachAnnotated(ctx.graph(), [&](const annotations::Annotated& a) {
      // Injected Pods carry annotations the injector chose; a pod template's were all chosen.
      const bool injected_pod = a.kind == Kind::Pod && !a.pod_template &&
                                !hasInitContainer(static_cast<const model::Workload&>(a.resource), "istio-init");
      check(ctx, a.resource, a.annotations, injected_pod);
    });
  }

 private:
  static void check(Context& ctx, const model::Resource& r, const std::map<std::string, model::Str>& annos,
                    bool skip_injected) {
    for (const auto& [name, value] : annos) {
      if (!annotations::isIstioAnnotation(name) || annotations::alwaysIgnored(name)) continue;
      const annotations::AnnotationInfo* info = annotations::findAnnotation(name);
      if (info == nullptr || info->status != annotations::Status::Alpha) continue;
      if (skip_injected && setByInjector(name)) continue;
      ctx.report(Code::IST0136, r, value.span, name);
    }
  }
};

}  // namespace

AnalyzerPtr makeAnnotationsAlphaAnalyzer() { return std::make_unique<AlphaAnalyzer>(); }

}  // namespace istio_lint::analyzers
