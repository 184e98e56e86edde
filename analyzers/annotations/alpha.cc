// annotations.AlphaAnalyzer: Istio annotations of alpha-phase features on Namespaces, Services,
// Pods and Deployments (IST0136). Not run by default, as upstream keeps it out of All(); select it
// with `-a annotations.AlphaAnalyzer`.

#include "analyzers/analyzer.h"
#include "analyzers/annotations/annotation_catalog.h"
#include "analyzers/registry_entries.h"
#include "analyzers/workloads.h"

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
    const model::MeshGraph& g = ctx.graph();
    const workloads::PodOwnership& pods = workloads::PodOwnership::of(g);
    for (Kind k : {Kind::Namespace, Kind::Service, Kind::Pod, Kind::Deployment}) {
      for (const model::Resource* r : g.ofKind(k)) {
        if (r->synthetic) continue;
        bool skip_injected = false;
        if (k == Kind::Pod) skip_injected = !hasInitContainer(static_cast<const model::Workload&>(*r), "istio-init");
        check(ctx, *r, r->meta.annotations, skip_injected);
        if (k != Kind::Deployment) continue;
        // A pod template is written by the user: every annotation on it was chosen.
        const auto& dep = static_cast<const model::Workload&>(*r);
        if (!pods.hasPods(dep)) check(ctx, *r, dep.pod_annotations, false);
      }
    }
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
