// egress.IntentAnalyzer (IL2006): the `egress:` intent of .istio-lint.yaml — these hosts leave
// through this egress Gateway, from these workloads only — checked by tracing every source
// workload's request for every intended host through the routing model. A listed source whose
// request leaves another way, and an unlisted source whose request leaves through the intended
// gateway, are reported at the source workload, naming the host and the path actually taken.

#include <algorithm>
#include <set>

#include "analyzers/analyzer.h"
#include "analyzers/egress_paths.h"
#include "analyzers/registry_entries.h"
#include "model/host.h"

namespace istio_lint::analyzers {
namespace {

using model::config::EgressIntent;

std::string joined(const std::vector<EgressIntent::Item>& items) {
  std::string out;
  for (const EgressIntent::Item& i : items) out += (out.empty() ? "" : ", ") + i.value;
  return out;
}

/// The hosts an intent's host stands for: a wildcard covers the ServiceEntry hosts under it (each
/// traced on its own), else it is traced as a name under the wildcard.
std::vector<std::string> coveredHosts(const egress::EgressPaths& paths, const std::string& pattern) {
  std::vector<std::string> out;
  if (model::host::isWildcard(pattern)) {
    for (const simulate::ServiceInfo& s : paths.model().registry().all()) {
      if (!s.kube && model::host::subsetOf(s.host, pattern) &&
          std::find(out.begin(), out.end(), s.host) == out.end()) {
        out.push_back(s.host);
      }
    }
  }
  if (out.empty()) out.push_back(pattern);
  return out;
}

class IntentAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "egress.IntentAnalyzer",
        "Checks the egress intent of .istio-lint.yaml: each listed workload reaches its hosts through the intended "
        "egress gateway, and no other workload uses that gateway for them",
        {Kind::VirtualService, Kind::Gateway, Kind::ServiceEntry, Kind::Sidecar, Kind::DestinationRule, Kind::Service,
         Kind::Deployment, Kind::StatefulSet, Kind::DaemonSet, Kind::Pod, Kind::IstioOperator, Kind::ConfigMap},
        {Code::IL2006}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::config::LintConfig& config = ctx.config();
    if (config.egress.empty()) return;
    const model::MeshGraph& g = ctx.graph();
    const egress::EgressPaths& paths = g.derived<egress::EgressPaths>();
    std::set<std::tuple<const model::Workload*, std::string, const EgressIntent*>> done;
    for (const EgressIntent& intent : config.egress) {
      if (intent.via.value.empty()) continue;  // the configuration reader reported it
      const simulate::Proxy* via = paths.model().gatewayProxy(intent.via_namespace, intent.via_name);
      std::string via_note;
      if (g.find(Kind::Gateway, intent.via_namespace, intent.via_name) == nullptr) {
        via_note = " (Gateway " + intent.via.value + " is not in the inputs)";
      } else if (via == nullptr) {
        via_note = " (Gateway " + intent.via.value + " sends no external host out of the mesh)";
      }
      std::string text = config.where(intent.at) + ": " + joined(intent.hosts) + " via " + intent.via.value;
      if (!intent.from.empty()) text += " from " + joined(intent.from);
      for (const EgressIntent::Item& host : intent.hosts) {
        std::vector<egress::Probe> probes;
        for (const std::string& h : coveredHosts(paths, host.value)) {
          for (egress::Probe& p : paths.probes(h, egress::Probe{egress::concreteHost(h), h, 443, egress::Scheme::Tls})) {
            probes.push_back(std::move(p));
          }
        }
        for (const egress::Source& src : paths.sources()) {
          std::vector<const model::Workload*> listed, unlisted;
          for (const model::Workload* w : src.workloads) (intent.covers(w->ns(), w->name()) ? listed : unlisted).push_back(w);
          if (intent.from.empty()) unlisted.clear();
          for (const egress::Probe& probe : probes) {
            simulate::Trace t = paths.trace(src, probe);
            bool through_via = via != nullptr && t.exit_kind == "egress-gateway" && t.exit_gateway == via->id.name;
            if (!through_via && !listed.empty()) {
              std::string why = "the intent sends it through Gateway " + intent.via.value + via_note;
              std::string fix = "Route " + host.value + " for this workload from mesh to the Service of that egress "
                                "gateway, and from the gateway to " + host.value;
              report(ctx, done, intent, listed, host.value, text, probe, t, why, fix);
              listed.clear();
            }
            if (through_via && !unlisted.empty()) {
              std::string why = "the intent lists only " + joined(intent.from) + " as its sources";
              std::string fix = "Keep other workloads off the gateway for this host: scope the mesh rule to the listed "
                                "sources (match.sourceLabels, sourceNamespace or exportTo), and let only them through at "
                                "the gateway with an AuthorizationPolicy";
              report(ctx, done, intent, unlisted, host.value, text, probe, t, why, fix);
              unlisted.clear();
            }
          }
        }
      }
    }
  }

 private:
  static void report(Context& ctx, std::set<std::tuple<const model::Workload*, std::string, const EgressIntent*>>& done,
                     const EgressIntent& intent, const std::vector<const model::Workload*>& workloads,
                     const std::string& host, const std::string& text, const egress::Probe& probe,
                     const simulate::Trace& t, const std::string& why, const std::string& fix) {
    const std::string path = egress::EgressPaths::describePath(t);
    for (const model::Workload* w : workloads) {
      if (!done.emplace(w, host, &intent).second) continue;
      model::Span at = w->meta.name.span.known() ? w->meta.name.span : w->span;
      ctx.report(Code::IL2006, *w, at, text, w->ns() + "/" + w->name(), probe.describe(), path, why, fix);
    }
  }
};

}  // namespace

AnalyzerPtr makeEgressIntentAnalyzer() { return std::make_unique<IntentAnalyzer>(); }

}  // namespace istio_lint::analyzers
