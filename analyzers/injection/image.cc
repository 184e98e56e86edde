// injection.ImageAnalyzer: the istio-proxy image of the Pods in injection-enabled namespaces is
// the one the sidecar injector would inject now (IST0158, one finding per namespace). Pods that
// run another image were injected by an older control plane and need a restart.

#include <map>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "analyzers/workloads.h"
#include "model/resources/proxy_config.h"
#include "model/yaml_tree.h"

namespace istio_lint::analyzers {
namespace {

using model::ProxyConfig;
using model::Workload;

struct Injector {
  std::string image;
  const model::Resource* config_map = nullptr;
};

/// image.imageType of a proxy.istio.io/config annotation, or empty.
std::string annotationImageType(const std::string& text) {
  model::yaml::ParseResult parsed = model::yaml::parse(text, 0);
  if (!parsed.problems.empty() || parsed.documents.empty()) return "";
  const model::yaml::Node* root = parsed.documents.front()->root();
  if (root == nullptr || !root->isMap()) return "";
  const model::yaml::Node* image = root->get("image");
  if (image == nullptr || !image->isMap()) return "";
  const model::yaml::Node* t = image->get("imageType");
  return t != nullptr && t->isScalar() && !t->isNull() ? t->str() : "";
}

class ImageAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "injection.ImageAnalyzer",
        "Checks the image of auto-injection configured with the running proxies on pods",
        {Kind::Namespace, Kind::Pod, Kind::ConfigMap, Kind::MeshConfig, Kind::ProxyConfig},
        {Code::IST0158}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    std::map<std::string, Injector> injectors;  // revision -> injector
    for (const model::Resource* r : g.ofKind(Kind::ConfigMap)) {
      std::string revision;
      if (!workloads::isInjectorConfigMap(*r, &revision)) continue;
      workloads::InjectorValues v = workloads::readInjectorValues(static_cast<const model::ConfigMap&>(*r));
      if (!v.proxy_image.empty()) injectors.emplace(revision, Injector{v.proxy_image, r});
    }
    if (injectors.empty()) return;

    std::map<std::string, std::vector<const ProxyConfig*>> proxy_configs;  // namespace -> ProxyConfigs
    for (const ProxyConfig* pc : g.typed<ProxyConfig>(Kind::ProxyConfig)) proxy_configs[pc->ns()].push_back(pc);

    std::map<std::string, std::pair<const model::Resource*, std::string>> namespaces;  // name -> (Namespace, revision)
    for (const model::Resource* ns : g.ofKind(Kind::Namespace)) {
      const std::string* revision = workloads::label(ns->meta.labels, workloads::kRevisionLabel);
      const std::string* injection = workloads::label(ns->meta.labels, workloads::kInjectionLabel);
      if (revision != nullptr) {
        namespaces[ns->name()] = {ns, *revision};
      } else if (injection != nullptr && *injection == "enabled") {
        namespaces[ns->name()] = {ns, "default"};
      }
    }

    struct Mismatch {
      const Workload* pod;
      const model::Container* proxy;
      std::string expected;
      const model::Resource* config_map;
    };
    std::map<std::string, std::vector<Mismatch>> mismatched;  // namespace -> pods
    for (const Workload* pod : g.typed<Workload>(Kind::Pod)) {
      if (pod->synthetic) continue;
      auto ns = namespaces.find(pod->ns());
      if (ns == namespaces.end()) continue;
      if (pod->meta.annotations.count("sidecar.istio.io/proxyImage")) continue;  // chosen on purpose
      const model::Container* proxy = workloads::istioProxy(*pod);
      if (proxy == nullptr || proxy->image.empty()) continue;
      auto inj = injectors.find(ns->second.second);
      if (inj == injectors.end()) continue;  // no injector of that revision in the input
      const std::string& expected = inj->second.image;
      std::string variant = imageType(g, proxy_configs, *pod);
      if (proxy->image.value == expected || (!variant.empty() && proxy->image.value == expected + "-" + variant)) continue;
      mismatched[pod->ns()].push_back({pod, proxy, variant.empty() ? expected : expected + "-" + variant,
                                       inj->second.config_map});
    }

    for (const auto& [ns, pods] : mismatched) {
      const model::Resource& nsr = *namespaces.at(ns).first;
      std::vector<std::string> names;
      for (const Mismatch& m : pods) names.push_back(m.pod->name());
      rules::Finding& f = ctx.report(Code::IST0158, nsr, nsr.meta.name.span, workloads::joinList(names));
      for (const Mismatch& m : pods) {
        f.notes.push_back({"pod " + m.pod->name() + " runs " + m.proxy->image.value + "; ConfigMap " +
                               m.config_map->ns() + "/" + m.config_map->name() + " injects " + m.expected,
                           m.proxy->image.span});
      }
    }
  }

 private:
  /// The pod's image type: mesh config defaultConfig, then the root namespace's ProxyConfig, the
  /// pod namespace's, a ProxyConfig selecting the pod, and its proxy.istio.io/config annotation.
  static std::string imageType(const model::MeshGraph& g,
                               const std::map<std::string, std::vector<const ProxyConfig*>>& proxy_configs,
                               const Workload& pod) {
    std::string type = g.meshConfig().image_type;
    auto apply = [&](const std::string& ns, bool selecting) {
      auto it = proxy_configs.find(ns);
      if (it == proxy_configs.end()) return;
      for (const ProxyConfig* pc : it->second) {
        bool has_selector = pc->selector && !pc->selector->empty();
        if (has_selector != selecting || pc->image_type.empty()) continue;
        if (selecting) {
          bool all = true;
          for (const auto& [k, v] : *pc->selector) {
            const std::string* l = workloads::label(pod.pod_labels, k);
            all = all && l != nullptr && *l == v;
          }
          if (!all) continue;
        }
        type = pc->image_type.value;
        return;
      }
    };
    apply(g.meshConfig().root_namespace, false);
    if (pod.ns() != g.meshConfig().root_namespace) apply(pod.ns(), false);
    apply(pod.ns(), true);
    if (auto a = pod.pod_annotations.find("proxy.istio.io/config"); a != pod.pod_annotations.end()) {
      if (std::string t = annotationImageType(a->second.value); !t.empty()) type = t;
    }
    return type == "default" ? "" : type;
  }
};

}  // namespace

AnalyzerPtr makeInjectionImageAnalyzer() { return std::make_unique<ImageAnalyzer>(); }

}  // namespace istio_lint::analyzers
