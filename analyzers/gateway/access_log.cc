// gateway.AccessLogAnalyzer: a gateway workload that no Telemetry (by workload selector, its
// namespace, or the root namespace) nor mesh config turns access logging on for.

#include "analyzers/analyzer.h"
#include "analyzers/gateway/exposure.h"
#include "analyzers/gateway/workloads.h"
#include "analyzers/registry_entries.h"
#include "model/resources/telemetry.h"

namespace istio_lint::analyzers {
namespace {

using model::Telemetry;

/// What a Telemetry says about access logging: nullopt when it has no accessLogging entry.
std::optional<bool> accessLogging(const Telemetry& t) {
  if (t.access_logging.empty()) return std::nullopt;
  for (const model::TelemetryAccessLogging& a : t.access_logging) {
    if (!a.disabled.value_or(false)) return true;
  }
  return false;
}

bool selects(const Telemetry& t, const model::Labels& labels) {
  if (!t.target.selector) return false;
  for (const auto& [k, v] : t.target.selector->match_labels) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

class AccessLogAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.AccessLogAnalyzer",
        "Checks that gateways write access logs, turned on by a Telemetry that selects them",
        {Kind::Telemetry, Kind::Deployment, Kind::StatefulSet, Kind::Pod, Kind::IstioOperator, Kind::ConfigMap},
        {Code::IL3001}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    const model::MeshConfig& mesh = g.meshConfig();
    const std::vector<const Telemetry*> telemetries = g.typed<Telemetry>(Kind::Telemetry);
    // Only when the inputs say how telemetry is set up: a mesh config or a Telemetry resource.
    if (mesh.source == "defaults" && telemetries.empty()) return;
    const bool mesh_wide = !mesh.access_log_file.empty() || !mesh.default_access_logging.empty();
    for (const model::GatewayWorkload& gw : g.gatewayInventory().gateways()) {
      if (!gw.declared()) continue;
      const model::Workload& w = *gw.workload;
      // The most specific Telemetry decides: workload selector, then namespace, then root.
      std::optional<bool> on, ns_level, root_level;
      const Telemetry* off_by = nullptr;
      for (const Telemetry* t : telemetries) {
        std::optional<bool> says = accessLogging(*t);
        if (!says || t->target.targeted()) continue;
        if (t->ns() == w.ns() && t->target.selector && selects(*t, w.pod_labels)) {
          if (!on || *says) on = says;
          if (!*says) off_by = t;
        } else if (t->target.namespaceWide() && t->ns() == w.ns()) {
          ns_level = says;
        } else if (t->target.namespaceWide() && t->ns() == mesh.root_namespace) {
          root_level = says;
        }
      }
      bool enabled = on ? *on : ns_level ? *ns_level : root_level ? *root_level : mesh_wide;
      if (enabled) continue;
      std::string why;
      if (on && off_by != nullptr) {
        why = "Telemetry " + off_by->qualifiedName() + " selects it with accessLogging disabled";
      } else if (ns_level || root_level) {
        why = std::string("the ") + (ns_level ? "namespace's" : "root namespace's") +
              " Telemetry turns access logging off and no Telemetry selecting the gateway turns it on";
      } else {
        why = "no Telemetry selects it with accessLogging, and the mesh config (" + mesh.source +
              ") sets neither accessLogFile nor defaultProviders.accessLogging";
      }
      ctx.report(Code::IL3001, gw.owner(), gw.span(), gw.name(), why, w.ns(),
                 gateway::suggestedSelector(w.pod_labels));
    }
  }
};

}  // namespace

AnalyzerPtr makeGatewayAccessLogAnalyzer() { return std::make_unique<AccessLogAnalyzer>(); }

}  // namespace istio_lint::analyzers
