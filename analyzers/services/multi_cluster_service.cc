// services.MultiClusterServiceAnalyzer: a Service that exists in several clusters (inputs given
// with --cluster NAME=PATH) must look the same in each: headless or not, type, and ports (IST0170).
// Istio merges the endpoints of same-named Services across clusters; when the definitions differ,
// which one a proxy sees depends on which cluster's registry answered first.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "analyzers/workloads.h"

namespace istio_lint::analyzers {
namespace {

using model::KubeServicePort;
using model::Service;

/// A port as the API server stores it: protocol defaults to TCP and targetPort to the port.
/// nodePort is left out on purpose: each cluster allocates its own.
using NormalPort = std::tuple<std::string, uint32_t, std::string, std::string, std::string>;

std::vector<NormalPort> normalPorts(const Service& s) {
  std::vector<NormalPort> out;
  out.reserve(s.ports.size());
  for (const KubeServicePort& p : s.ports) {
    out.emplace_back(p.name.value, p.port, p.protocol.value.empty() ? "TCP" : p.protocol.value,
                     p.target_port.empty() ? std::to_string(p.port) : p.target_port, p.app_protocol.value);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string serviceType(const Service& s) { return s.type.value.empty() ? "ClusterIP" : s.type.value; }
bool headless(const Service& s) { return s.cluster_ip == "None"; }

std::string describePorts(const std::vector<NormalPort>& ports) {
  std::string out;
  for (const auto& [name, port, proto, target, app] : ports) {
    if (!out.empty()) out += ", ";
    out += (name.empty() ? "" : name + " ") + std::to_string(port) + "->" + target + "/" + proto;
    if (!app.empty()) out += " (" + app + ")";
  }
  return out.empty() ? "none" : out;
}

class MultiClusterServiceAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{"services.MultiClusterServiceAnalyzer",
                                        "Check the validity of services in the multi-cluster environment",
                                        {Kind::Service},
                                        {Code::IST0170}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    // (namespace, name) -> cluster -> Service, both sorted, so "first" is deterministic.
    std::map<std::pair<std::string, std::string>, std::map<std::string, const Service*>> by_name;
    for (const Service* svc : ctx.graph().typed<Service>(Kind::Service)) {
      if (svc->cluster.empty() || svc->synthetic) continue;
      by_name[{svc->ns(), svc->name()}].emplace(svc->cluster, svc);
    }
    for (const auto& [full_name, per_cluster] : by_name) {
      if (per_cluster.size() < 2) continue;
      const auto& [first_cluster, first] = *per_cluster.begin();
      const std::vector<NormalPort> first_ports = normalPorts(*first);
      std::set<std::string> clusters, reasons;
      std::vector<std::string> details;
      bool mixed_headless = false;
      for (const auto& [cluster, svc] : per_cluster) {
        if (svc == first) continue;
        if (!mixed_headless && headless(*first) != headless(*svc)) {
          mixed_headless = true;
          for (const auto& entry : per_cluster) clusters.insert(entry.first);
          reasons.insert("service has mixed mode like headless and clusterIP");
        }
        if (serviceType(*first) != serviceType(*svc)) {
          clusters.insert(cluster);
          reasons.insert("service type is inconsistent");
          details.push_back("type " + serviceType(*svc) + " in " + cluster + " but " + serviceType(*first) +
                            " in " + first_cluster);
        }
        std::vector<NormalPort> ports = normalPorts(*svc);
        if (ports != first_ports) {
          clusters.insert(cluster);
          reasons.insert("service ports are inconsistent");
          details.push_back("ports [" + describePorts(ports) + "] in " + cluster + " but [" +
                            describePorts(first_ports) + "] in " + first_cluster);
        }
      }
      if (clusters.empty()) continue;
      clusters.insert(first_cluster);
      std::string cluster_list, reason_list;
      for (const std::string& c : clusters) cluster_list += (cluster_list.empty() ? "\"" : " \"") + c + "\"";
      for (const std::string& r : reasons) reason_list += (reason_list.empty() ? "" : "; ") + r;
      rules::Finding& f =
          ctx.report(Code::IST0170, *first, first->span, full_name.second, full_name.first, cluster_list, reason_list);
      for (const std::string& d : details) f.message += " " + d + ".";
      f.message += " Give the Service the same type, clusterIP mode and ports in every cluster.";
    }
  }
};

}  // namespace

AnalyzerPtr makeServicesMultiClusterServiceAnalyzer() { return std::make_unique<MultiClusterServiceAnalyzer>(); }

}  // namespace istio_lint::analyzers
