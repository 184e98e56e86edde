// injection.Analyzer: every namespace says whether it wants sidecar injection (IST0102, or
// IST0148 when the injector enables namespaces by default), with one kind of label only
// (IST0123), and Pods in namespaces labelled istio-injection=enabled have their proxy (IST0103).

#include <cctype>
#include <map>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "analyzers/workloads.h"
#include "model/ascii.h"

namespace istio_lint::analyzers {
namespace {

using model::Workload;

class InjectionAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "injection.Analyzer",
        "Checks conditions related to Istio sidecar injection",
        {Kind::Namespace, Kind::Pod, Kind::ConfigMap},
        {Code::IST0102, Code::IST0103, Code::IST0123, Code::IST0148}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    bool by_default = false;
    for (const model::Resource* r : g.ofKind(Kind::ConfigMap)) {
      if (!workloads::isInjectorConfigMap(*r)) continue;
      if (workloads::readInjectorValues(static_cast<const model::ConfigMap&>(*r)).enable_namespaces_by_default) {
        by_default = true;
      }
    }

    std::map<std::string, const model::Resource*> injected;  // namespaces labelled istio-injection=enabled
    for (const model::Resource* ns : g.ofKind(Kind::Namespace)) {
      const std::string& name = ns->name();
      if (name == "istio-system" || workloads::isSystemNamespace(name)) continue;
      const model::Labels& labels = ns->meta.labels;
      const std::string* injection = workloads::label(labels, workloads::kInjectionLabel);
      const std::string* revision = workloads::label(labels, workloads::kRevisionLabel);
      const std::string* mode = workloads::label(labels, workloads::kDataplaneModeLabel);
      const bool ambient = mode != nullptr && *mode == "ambient";
      if (injection != nullptr && *injection == "enabled") injected.emplace(name, ns);
      if (ns->synthetic) continue;

      // Labels that each select a way of joining the mesh; istio-injection=disabled opts out.
      std::vector<std::string> ways;
      if (injection != nullptr && *injection != "disabled") ways.push_back(std::string(workloads::kInjectionLabel) + "=" + *injection);
      if (revision != nullptr) ways.push_back(std::string(workloads::kRevisionLabel) + "=" + *revision);
      if (ambient) ways.push_back(std::string(workloads::kDataplaneModeLabel) + "=ambient");
      if (ways.size() > 1) {
        rules::Finding& f = ctx.report(Code::IST0123, *ns, labelsSpan(*ns), workloads::joinList(ways));
        f.message += " Keep only the label of the data plane the namespace should use";
        continue;
      }
      if (injection != nullptr || revision != nullptr || ambient) continue;
      if (by_default) {
        rules::Finding& f = ctx.report(Code::IST0148, *ns, ns->meta.name.span);
        f.message += " Label namespace " + name + " istio-injection=disabled if its pods must not get a sidecar";
        continue;
      }
      ctx.report(Code::IST0102, *ns, ns->meta.name.span, name, name);
    }

    for (const Workload* pod : g.typed<Workload>(Kind::Pod)) {
      auto ns = injected.find(pod->ns());
      if (pod->synthetic || ns == injected.end() || pod->host_network) continue;
      // The label wins over the annotation, as in the injector.
      std::string inject;
      if (auto a = pod->meta.annotations.find(std::string(workloads::kSidecarInject)); a != pod->meta.annotations.end()) {
        inject = a->second.value;
      }
      if (const std::string* l = workloads::label(pod->meta.labels, workloads::kSidecarInject)) inject = *l;
      if (model::equalsIgnoreCase(inject, "false")) continue;
      const model::Container* proxy = workloads::istioProxy(*pod);
      if (proxy != nullptr && !proxy->image.empty()) continue;
      rules::Finding& f = ctx.report(Code::IST0103, *pod, pod->meta.name.span, pod->ns() + "/" + pod->name());
      f.message += " Namespace " + pod->ns() + " is labelled istio-injection=enabled; if the pod must run without a "
                   "sidecar, label it sidecar.istio.io/inject=\"false\"";
      f.notes.push_back({"namespace " + pod->ns() + " enables injection here", labelsSpan(*ns->second)});
    }
  }

 private:
  static model::Span labelsSpan(const model::Resource& r) {
    return r.meta.labels_span.known() ? r.meta.labels_span : r.meta.name.span;
  }
};

}  // namespace

AnalyzerPtr makeInjectionAnalyzer() { return std::make_unique<InjectionAnalyzer>(); }

}  // namespace istio_lint::analyzers
