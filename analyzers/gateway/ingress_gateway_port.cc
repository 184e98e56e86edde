// gateway.IngressGatewayPortAnalyzer: every server port of a Gateway is a port (or target port) of
// a Service that selects the Gateway's workloads, so that traffic through the Service reaches it.

#include <charconv>
#include <optional>
#include <map>
#include <set>
#include <unordered_map>

#include "analyzers/analyzer.h"
#include "analyzers/gateway/workloads.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

using model::Gateway;
using model::Service;

/// The Service ports that reach a workload: Services of its namespace whose (non-empty) selector
/// matches its labels. Kubernetes defaults an omitted `protocol` to TCP; UDP and SCTP ports cannot
/// carry a gateway server. A numeric targetPort counts too (istiod accepts either number).
struct Reach {
  std::set<uint32_t> ports;
  std::set<std::string> services;  // "ns/name"
};

bool selects(const Service& svc, const model::Workload& w) {
  if (!svc.selector || svc.selector->empty()) return false;  // no selector: endpoints managed by hand
  for (const auto& [k, v] : *svc.selector) {
    auto it = w.pod_labels.find(k);
    if (it == w.pod_labels.end() || it->second != v) return false;
  }
  return true;
}

std::optional<uint32_t> numericTargetPort(const std::string& tp) {
  uint32_t v = 0;
  auto [end, ec] = std::from_chars(tp.data(), tp.data() + tp.size(), v);
  if (ec != std::errc() || end != tp.data() + tp.size() || v == 0) return std::nullopt;
  return v;
}

class IngressGatewayPortAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.IngressGatewayPortAnalyzer",
        "Checks a gateway's ports against the gateway's Kubernetes service ports",
        {Kind::Gateway, Kind::Pod, Kind::Service},
        {Code::IST0101, Code::IST0162}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    std::map<std::string, std::vector<const Service*>> services_by_ns;
    for (const Service* svc : g.typed<Service>(Kind::Service)) services_by_ns[svc->ns()].push_back(svc);
    std::unordered_map<const model::Workload*, Reach> memo;  // lookup only
    auto reachOf = [&](const model::Workload* w) -> const Reach& {
      auto [it, inserted] = memo.try_emplace(w);
      if (!inserted) return it->second;
      auto svcs = services_by_ns.find(w->ns());
      if (svcs == services_by_ns.end()) return it->second;
      for (const Service* svc : svcs->second) {
        if (!selects(*svc, *w)) continue;
        it->second.services.insert(svc->qualifiedName());
        for (const model::KubeServicePort& p : svc->ports) {
          if (p.protocol_given && p.protocol.value != "TCP") continue;
          it->second.ports.insert(p.port);
          if (auto tp = numericTargetPort(p.target_port)) it->second.ports.insert(*tp);
        }
      }
      return it->second;
    };

    for (const Gateway* gw : g.typed<Gateway>(Kind::Gateway)) {
      std::vector<const model::Workload*> workloads = gateway::selectedWorkloads(g, *gw);
      if (workloads.empty()) {
        gateway::reportSelectorNotFound(ctx, *gw);
        continue;
      }
      Reach reach;
      for (const model::Workload* w : workloads) {
        const Reach& r = reachOf(w);
        reach.ports.insert(r.ports.begin(), r.ports.end());
        reach.services.insert(r.services.begin(), r.services.end());
      }
      std::set<uint32_t> reported;
      for (const model::GatewayServer& server : gw->servers) {
        if (server.port == 0 || reach.ports.count(server.port) || !reported.insert(server.port).second) continue;
        rules::Finding& f = ctx.report(Code::IST0162, *gw, server.port_span, server.port,
                                       gateway::selectorString(gw->selector));
        if (reach.services.empty()) {
          f.message += " No Service selects the gateway's workloads: add one that exposes port " +
                       std::to_string(server.port) + ".";
        } else {
          std::string names, ports;
          for (const std::string& s : reach.services) names += (names.empty() ? "" : ", ") + s;
          for (uint32_t p : reach.ports) ports += (ports.empty() ? "" : ", ") + std::to_string(p);
          f.message += " Add port " + std::to_string(server.port) + " to the Service (" + names +
                       "), or use one of its TCP ports" + (ports.empty() ? std::string(" (it has none)") : ": " + ports) + ".";
        }
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeGatewayIngressGatewayPortAnalyzer() { return std::make_unique<IngressGatewayPortAnalyzer>(); }

}  // namespace istio_lint::analyzers
