// telemetry.SelectorAnalyzer: a Telemetry's selector picks at least one workload of its namespace,
// and no workload is picked by several Telemetries.

#include <algorithm>
#include <map>
#include <tuple>

#include "analyzers/analyzer.h"
#include "analyzers/policy_helpers.h"
#include "analyzers/registry_entries.h"
#include "model/resources/telemetry.h"

namespace istio_lint::analyzers {
namespace {

using model::Telemetry;
using model::Workload;

class SelectorAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "telemetry.SelectorAnalyzer",
        "Validates that telemetries that define a selector match at least one pod, and that there aren't "
        "multiple telemetry resources that select overlapping pods",
        {Kind::Telemetry, Kind::Pod},
        {Code::IST0101, Code::IST0159}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    // Workload (kind, namespace, name) -> the Telemetries selecting it, in (namespace, name) order.
    std::map<std::tuple<std::string, std::string, int>, std::pair<const Workload*, std::vector<const Telemetry*>>> picked;
    for (const Telemetry* t : g.typed<Telemetry>(Kind::Telemetry)) {
      const auto& sel = t->target.selector;
      if (!sel || sel->match_labels.empty()) continue;  // namespace-wide, or targetRefs
      std::vector<const Workload*> ws = g.workloads().select(sel->match_labels, t->ns(), false);
      if (ws.empty()) {
        rules::Finding& f = ctx.report(Code::IST0101, *t, sel->labels_span, "selector",
                                       policy::labelsString(sel->match_labels));
        f.message += ". No Pod, Deployment, StatefulSet or DaemonSet in namespace " +
                     (t->ns().empty() ? std::string("(none)") : t->ns()) +
                     " has these labels, so this Telemetry applies to nothing: fix the selector or add the workload "
                     "to the inputs";
        continue;
      }
      for (const Workload* w : ws) {
        auto& entry = picked[{w->ns(), w->name(), static_cast<int>(w->kind)}];
        entry.first = w;
        entry.second.push_back(t);
      }
    }
    // One finding per Telemetry and distinct set of Telemetries sharing workloads, naming the first
    // workload of that set (istioctl repeats it for every workload).
    std::map<std::vector<const Telemetry*>, std::vector<const Workload*>> conflicts;
    std::vector<std::vector<const Telemetry*>> order;
    for (auto& [key, entry] : picked) {
      if (entry.second.size() < 2) continue;
      auto [it, inserted] = conflicts.try_emplace(entry.second);
      if (inserted) order.push_back(entry.second);
      it->second.push_back(entry.first);
    }
    for (const std::vector<const Telemetry*>& set : order) {
      const std::vector<const Workload*>& workloads = conflicts[set];
      std::vector<std::string> names;
      for (const Telemetry* t : set) names.push_back(t->name());
      std::sort(names.begin(), names.end());
      const Workload* w = workloads.front();
      for (const Telemetry* t : set) {
        rules::Finding& f = ctx.report(Code::IST0159, *t, t->target.selector->labels_span, policy::goList(names),
                                       w->ns(), w->name());
        f.message += " Istio applies only one of them to the workload; make the selectors disjoint or merge the "
                     "Telemetries";
        for (const Telemetry* other : set) {
          if (other != t) {
            f.notes.push_back({"Telemetry " + other->qualifiedName() + " selects it too", other->target.selector->labels_span});
          }
        }
        f.notes.push_back({std::string(model::kindName(w->kind)) + " " + w->qualifiedName() + " is declared here", w->span});
        if (workloads.size() > 1) {
          f.notes.push_back({"they also select " + std::to_string(workloads.size() - 1) + " other workload(s)",
                             workloads[1]->span});
        }
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeTelemetrySelectorAnalyzer() { return std::make_unique<SelectorAnalyzer>(); }

}  // namespace istio_lint::analyzers
