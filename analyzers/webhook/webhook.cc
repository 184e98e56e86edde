// webhook.Analyzer: Istio's injection webhooks must not overlap (a pod selected by two of them is
// injected twice) and must call a Service that exists (IST0139).

#include <map>
#include <set>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "analyzers/workloads.h"
#include "model/resources/webhook.h"

namespace istio_lint::analyzers {
namespace {

using model::Labels;
using model::Webhook;
using model::WebhookConfiguration;

struct Hook {
  const WebhookConfiguration* cfg;
  const Webhook* webhook;
  std::string id;  // "<configuration>/<webhook>"
};

/// The labels of the namespaces and objects whose injection is decided by the webhooks: none, the
/// injection label/annotation either way, and each revision (alone and with the others).
std::vector<Labels> permutations(const std::string& key, const std::string& on, const std::string& off,
                                 const std::set<std::string>& revisions) {
  std::vector<Labels> base = {{}, {{key, on}}, {{key, off}}};
  std::vector<Labels> out = base;
  for (const std::string& rev : revisions) {
    for (const Labels& b : base) {
      Labels with = b;
      with[std::string(workloads::kRevisionLabel)] = rev;
      out.push_back(std::move(with));
    }
  }
  return out;
}

class WebhookAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "webhook.Analyzer",
        "Checks the validity of Istio webhooks",
        {Kind::MutatingWebhookConfiguration, Kind::Service},
        {Code::IST0139}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    std::vector<Hook> hooks;
    std::set<std::string> revisions;
    for (const auto* cfg : g.typed<WebhookConfiguration>(Kind::MutatingWebhookConfiguration)) {
      std::vector<std::string> revs;
      for (const char* key : {"istio.io/rev", "istio.io/tag"}) {
        if (const std::string* v = workloads::label(cfg->meta.labels, key)) revs.push_back(*v);
      }
      bool istio = false;
      for (const Webhook& w : cfg->webhooks) istio = istio || w.name.value.ends_with("istio.io");
      if (revs.empty() && !istio) continue;
      revisions.insert(revs.begin(), revs.end());
      for (const Webhook& w : cfg->webhooks) hooks.push_back({cfg, &w, cfg->name() + "/" + w.name.value});
    }

    // Every namespace/object label permutation must be selected by at most one webhook.
    std::map<size_t, std::set<size_t>> overlaps;  // hook index -> the others it overlaps
    const std::vector<Labels> ns_perms = permutations(std::string(workloads::kInjectionLabel), "enabled", "disabled", revisions);
    const std::vector<Labels> obj_perms = permutations(std::string(workloads::kSidecarInject), "true", "false", revisions);
    for (const Labels& ns : ns_perms) {
      for (const Labels& obj : obj_perms) {
        std::vector<size_t> matched;
        for (size_t i = 0; i < hooks.size(); ++i) {
          const Webhook& w = *hooks[i].webhook;
          if ((!w.namespace_selector || w.namespace_selector->matches(ns)) &&
              (!w.object_selector || w.object_selector->matches(obj))) {
            matched.push_back(i);
          }
        }
        if (matched.size() < 2) continue;
        for (size_t i : matched) {
          for (size_t j : matched) {
            if (i != j) overlaps[i].insert(j);
          }
        }
      }
    }
    for (const auto& [i, others] : overlaps) {
      const Hook& h = hooks[i];
      std::string list;
      std::set<std::string> ids;  // sorted by name, as the message lists them
      for (size_t j : others) ids.insert(hooks[j].id);
      for (const std::string& o : ids) list += (list.empty() ? "" : " ") + o;
      rules::Finding& f = ctx.report(Code::IST0139, *h.cfg, at(*h.webhook),
                                     "Webhook overlaps with others: [" + list + "]. This may cause injection to occur twice.");
      f.message += " Narrow the namespaceSelector / objectSelector so that each pod matches one webhook, or delete the "
                   "webhook configuration left over from another installation";
      for (size_t j : others) f.notes.push_back({"webhook " + hooks[j].id + " selects the same pods", at(*hooks[j].webhook)});
    }

    for (const Hook& h : hooks) {
      const auto& svc = h.webhook->client_config.service;
      if (!svc) continue;  // a URL: an external control plane
      if (g.find(Kind::Service, svc->ns.value, svc->name.value) != nullptr) continue;
      std::string full = svc->ns.value + "/" + svc->name.value;
      rules::Finding& f = ctx.report(Code::IST0139, *h.cfg, svc->name.span.known() ? svc->name.span : svc->span,
                                     "Injector refers to a control plane service that does not exist: " + full + ".");
      f.message += " Point clientConfig.service at istiod's Service (istiod" +
                   std::string(h.cfg->meta.labels.count("istio.io/rev") ? "-<revision>" : "") +
                   " in the Istio namespace), or remove the stale webhook configuration";
    }
  }

 private:
  static model::Span at(const Webhook& w) { return w.name.span.known() ? w.name.span : w.span; }
};

}  // namespace

AnalyzerPtr makeWebhookAnalyzer() { return std::make_unique<WebhookAnalyzer>(); }

}  // namespace istio_lint::analyzers
