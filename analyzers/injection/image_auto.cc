// injection.ImageAutoAnalyzer: `image: auto` on an istio-proxy container is a placeholder the
// sidecar injector replaces. A Pod that still has it was not injected and cannot start (IST0147);
// a Deployment whose pods no Istio injection webhook selects will create such Pods (IST0146).

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "analyzers/workloads.h"
#include "model/resources/webhook.h"

namespace istio_lint::analyzers {
namespace {

using model::Labels;
using model::Webhook;
using model::WebhookConfiguration;
using model::Workload;

const model::Container* autoProxy(const Workload& w) {
  for (const model::Container& c : w.containers) {
    if (c.name.value == workloads::kIstioProxy && c.image.value == "auto") return &c;
  }
  return nullptr;
}

/// Whether Istio's default injection webhooks (namespace, object, and their revisioned variants,
/// for any revision) select a pod with `pod` labels in a namespace with `ns` labels.
bool defaultWebhooksSelect(const Labels& ns, const Labels& pod) {
  const std::string* ns_injection = workloads::label(ns, workloads::kInjectionLabel);
  const std::string* ns_rev = workloads::label(ns, workloads::kRevisionLabel);
  const std::string* pod_inject = workloads::label(pod, workloads::kSidecarInject);
  const std::string* pod_rev = workloads::label(pod, workloads::kRevisionLabel);
  const bool not_opted_out = pod_inject == nullptr || *pod_inject != "false";
  if (ns_injection != nullptr) return *ns_injection == "enabled" && not_opted_out;
  if (ns_rev != nullptr) return not_opted_out;
  if (pod_rev != nullptr) return not_opted_out;
  return pod_inject != nullptr && *pod_inject == "true";
}

class ImageAutoAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "injection.ImageAutoAnalyzer",
        "Makes sure that Pods and Deployments with `image: auto` are going to be injected",
        {Kind::Namespace, Kind::Pod, Kind::Deployment, Kind::MutatingWebhookConfiguration},
        {Code::IST0146, Code::IST0147}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    std::vector<const Webhook*> webhooks;  // Istio's injection webhooks (names ending in istio.io)
    for (const auto* cfg : g.typed<WebhookConfiguration>(Kind::MutatingWebhookConfiguration)) {
      for (const Webhook& w : cfg->webhooks) {
        if (w.name.value.ends_with("istio.io")) webhooks.push_back(&w);
      }
    }

    for (const Workload* pod : g.typed<Workload>(Kind::Pod)) {
      const model::Container* c = autoProxy(*pod);
      if (pod->synthetic || c == nullptr) continue;
      rules::Finding& f = ctx.report(Code::IST0147, *pod, c->image.span, "Pod", pod->name());
      f.message += " The injector replaces the image when it injects the pod; label namespace " +
                   displayNs(*pod) + " istio-injection=enabled (or the pod sidecar.istio.io/inject=\"true\") and "
                   "recreate the pod";
    }

    const workloads::PodOwnership& pods = workloads::PodOwnership::of(g);
    for (const Workload* dep : g.typed<Workload>(Kind::Deployment)) {
      const model::Container* c = autoProxy(*dep);
      if (dep->synthetic || c == nullptr || pods.hasPods(*dep)) continue;  // its Pods tell what happened
      const model::Resource* ns = g.find(Kind::Namespace, "", displayNs(*dep));
      static const Labels kNone;
      const Labels& ns_labels = ns != nullptr ? ns->meta.labels : kNone;
      bool selected = false;
      if (!webhooks.empty()) {
        for (const Webhook* w : webhooks) {
          bool ns_ok = !w->namespace_selector || w->namespace_selector->matches(ns_labels);
          bool obj_ok = !w->object_selector || w->object_selector->matches(dep->pod_labels);
          if (ns_ok && obj_ok) selected = true;
        }
      } else {
        // No webhook configuration in the input: judge by Istio's default injection webhooks, and
        // only when the namespace's labels are known.
        if (ns == nullptr) continue;
        selected = defaultWebhooksSelect(ns_labels, dep->pod_labels);
      }
      if (selected) continue;
      rules::Finding& f = ctx.report(Code::IST0146, *dep, c->image.span, "Deployment", dep->name());
      f.message += " Its pods would start with an unresolved image; label namespace " + displayNs(*dep) +
                   " istio-injection=enabled, or the pod template sidecar.istio.io/inject=\"true\"";
    }
  }

 private:
  static std::string displayNs(const model::Resource& r) { return r.ns().empty() ? "default" : r.ns(); }
};

}  // namespace

AnalyzerPtr makeInjectionImageAutoAnalyzer() { return std::make_unique<ImageAutoAnalyzer>(); }

}  // namespace istio_lint::analyzers
