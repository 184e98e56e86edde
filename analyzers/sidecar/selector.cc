// sidecar.SelectorAnalyzer: a Sidecar's workloadSelector selects workloads of its namespace, no
// workload is selected by two Sidecars, a namespace has at most one Sidecar without a selector,
// and Sidecars do not target ambient workloads (which have no sidecar to configure).

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

using model::Sidecar;
using model::Workload;

constexpr std::string_view kAmbientRedirection = "ambient.istio.io/redirection";

bool podInAmbient(const Workload& w) {
  auto it = w.pod_annotations.find(std::string(kAmbientRedirection));
  return it != w.pod_annotations.end() && it->second.value == "enabled";
}

/// istio.io/dataplane-mode=ambient, unless the namespace is also labelled for sidecar injection.
bool namespaceInAmbient(const model::Resource* ns) {
  if (ns == nullptr) return false;
  const model::Labels& l = ns->meta.labels;
  auto get = [&](const char* k) {
    auto it = l.find(k);
    return it == l.end() ? std::string() : it->second;
  };
  if (get("istio-injection") == "enabled") return false;
  if (!get("istio.io/rev").empty()) return false;
  return get("istio.io/dataplane-mode") == "ambient";
}

std::string selectorText(const model::Labels& l) {
  std::string out;
  for (const auto& [k, v] : l) out += (out.empty() ? "" : ",") + k + "=" + v;
  return out;
}

std::string joinNames(const std::vector<const Sidecar*>& list) {
  std::string out;
  for (const Sidecar* s : list) out += (out.empty() ? "" : " ") + s->name();
  return out;
}

bool byName(const model::Resource* a, const model::Resource* b) {
  return std::tie(a->ns(), a->name(), a->kind) < std::tie(b->ns(), b->name(), b->kind);
}

class SelectorAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "sidecar.SelectorAnalyzer",
        "Validates that sidecars that define a workload selector match at least one pod, and that there "
        "aren't multiple sidecar resources that select overlapping pods",
        {Kind::Sidecar, Kind::Pod, Kind::Namespace},
        {Code::IST0101, Code::IST0110, Code::IST0111, Code::IST0167}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    std::map<const Workload*, std::vector<const Sidecar*>, decltype(&byName)> selected(&byName);
    std::map<std::string, std::vector<const Sidecar*>> namespace_wide;
    for (const Sidecar* sc : g.typed<Sidecar>(Kind::Sidecar)) {
      if (!sc->workload_selector || sc->workload_selector->empty()) {
        namespace_wide[sc->ns()].push_back(sc);
        continue;
      }
      std::vector<const Workload*> pods = g.workloads().select(*sc->workload_selector, sc->ns(), false);
      if (pods.empty()) {
        rules::Finding& f = ctx.report(Code::IST0101, *sc, sc->selector_span, "selector",
                                       selectorText(*sc->workload_selector));
        f.notes.push_back({"no Pod or workload template in namespace " + (sc->ns().empty() ? "(none)" : sc->ns()) +
                               " has these labels; the Sidecar applies to nothing",
                           model::Span{}});
        continue;
      }
      for (const Workload* w : pods) selected[w].push_back(sc);
    }

    std::set<const Sidecar*> ineffective;
    for (const auto& [w, sidecars] : selected) {
      bool ambient = podInAmbient(*w);
      if (sidecars.size() == 1 && !ambient) continue;
      for (const Sidecar* sc : sidecars) {
        if (ambient) {
          if (ineffective.insert(sc).second) {
            rules::Finding& f = ctx.report(Code::IST0167, *sc, sc->selector_span,
                                           "selected workload is in ambient mode, the policy has no impact");
            f.notes.push_back({w->origin() + " is in ambient mode (" + std::string(kAmbientRedirection) +
                                   ": enabled); it has no sidecar to configure",
                               w->span});
          }
          continue;
        }
        rules::Finding& f = ctx.report(Code::IST0110, *sc, sc->selector_span, joinNames(sidecars), w->ns(), w->name());
        for (const Sidecar* other : sidecars) {
          if (other == sc) continue;
          f.notes.push_back({"Sidecar " + other->name() + " also selects " + w->name() +
                                 "; make the workload selectors disjoint or merge the Sidecars",
                             other->selector_span});
        }
      }
    }

    for (const auto& [ns, sidecars] : namespace_wide) {
      if (namespaceInAmbient(g.find(Kind::Namespace, "", ns))) {
        for (const Sidecar* sc : sidecars) {
          if (!ineffective.insert(sc).second) continue;
          rules::Finding& f = ctx.report(Code::IST0167, *sc, sc->meta.name.span,
                                         "namespace is in ambient mode, the policy has no impact");
          f.notes.push_back({"namespace " + ns + " is labelled istio.io/dataplane-mode=ambient", model::Span{}});
        }
        continue;
      }
      if (sidecars.size() < 2) continue;
      for (const Sidecar* sc : sidecars) {
        rules::Finding& f = ctx.report(Code::IST0111, *sc, sc->meta.name.span, joinNames(sidecars), ns);
        f.notes.push_back({"only one Sidecar per namespace may omit workloadSelector; give the others a selector "
                               "or merge them",
                           model::Span{}});
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeSidecarSelectorAnalyzer() { return std::make_unique<SelectorAnalyzer>(); }

}  // namespace istio_lint::analyzers
