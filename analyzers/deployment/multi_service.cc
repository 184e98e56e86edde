// deployment.MultiServiceAnalyzer: the Services that select an in-mesh Deployment must agree on
// each port's protocol (IST0116), and must not map one targetPort from different ports (IST0137).

#include <map>
#include <unordered_map>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "analyzers/workloads.h"

namespace istio_lint::analyzers {
namespace {

using model::KubeServicePort;
using model::Service;
using model::Workload;

/// Whether the Deployment's Pods get a sidecar: an istio-proxy container, else the pod template's
/// sidecar.istio.io/inject label, else the annotation, else the Namespace's injection labels.
bool inMesh(const model::MeshGraph& g, const Workload& dep) {
  if (const model::Container* c = workloads::istioProxy(dep); c != nullptr && !c->image.empty()) return true;
  if (const std::string* v = workloads::label(dep.pod_labels, workloads::kSidecarInject)) return *v == "true";
  auto a = dep.pod_annotations.find(std::string(workloads::kSidecarInject));
  if (a != dep.pod_annotations.end()) return a->second.value == "true";
  const model::Resource* ns = g.find(Kind::Namespace, "", dep.ns());
  if (ns == nullptr) return false;
  const std::string* injection = workloads::label(ns->meta.labels, workloads::kInjectionLabel);
  if (injection != nullptr) return *injection == "enabled";
  // A revision label alone injects too (the revisioned injector's namespace selector).
  return workloads::label(ns->meta.labels, workloads::kRevisionLabel) != nullptr;
}

bool isWaypoint(const Workload& dep) {
  const std::string* managed = workloads::label(dep.meta.labels, "gateway.istio.io/managed");
  return managed != nullptr && *managed == "istio.io-mesh-controller";
}

/// The protocol the sidecar serves a Service port with; "detected" when istiod sniffs it.
std::string protocolOf(const KubeServicePort& p) {
  std::string proto = workloads::portProtocol(p);
  return proto.empty() ? "detected" : proto;
}

struct PortUse {
  const Service* svc;
  const KubeServicePort* port;
};

class MultiServiceAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "deployment.MultiServiceAnalyzer",
        "Checks association between services and pods",
        {Kind::Service, Kind::Deployment, Kind::Namespace},
        {Code::IST0116, Code::IST0137}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    // Services per Deployment, from each Service's selector through the selector index.
    std::unordered_map<const Workload*, std::vector<const Service*>> selecting;
    for (const Service* svc : g.typed<Service>(Kind::Service)) {
      if (!svc->selector || svc->selector->empty()) continue;
      for (const Workload* w : g.workloads().select(*svc->selector, svc->ns(), false)) {
        if (w->kind == Kind::Deployment) selecting[w].push_back(svc);
      }
    }
    for (const Workload* dep : g.typed<Workload>(Kind::Deployment)) {
      if (dep->synthetic || workloads::isSystemNamespace(dep->ns()) || workloads::isControlPlane(*dep) ||
          isWaypoint(*dep)) {
        continue;
      }
      auto it = selecting.find(dep);
      if (it == selecting.end() || !inMesh(g, *dep)) continue;
      checkProtocols(ctx, *dep, it->second);
      checkTargetPorts(ctx, *dep, it->second);
    }
  }

 private:
  static void checkProtocols(Context& ctx, const Workload& dep, const std::vector<const Service*>& svcs) {
    // port -> protocol -> uses. UDP is not intercepted by the sidecar, so it cannot conflict.
    std::map<uint32_t, std::map<std::string, std::vector<PortUse>>> ports;
    for (const Service* svc : svcs) {
      for (const KubeServicePort& p : svc->ports) {
        if (p.protocol.value == "UDP" || p.protocol.value == "SCTP") continue;
        ports[p.port][protocolOf(p)].push_back({svc, &p});
      }
    }
    for (const auto& [port, by_proto] : ports) {
      if (by_proto.size() < 2) continue;
      std::vector<std::string> names;
      std::string detail;
      std::vector<PortUse> uses;
      for (const auto& [proto, list] : by_proto) {
        for (const PortUse& u : list) {
          names.push_back(u.svc->qualifiedName());
          uses.push_back(u);
          detail += (detail.empty() ? "" : ", ") + u.svc->qualifiedName() + ": " + proto;
        }
      }
      std::sort(names.begin(), names.end());
      rules::Finding& f = ctx.report(Code::IST0116, dep, dep.meta.name.span, dep.name(), port, workloads::joinList(names));
      f.message += " (" + detail + "). Give the port the same protocol (port name prefix or appProtocol) in "
                   "every Service that selects the deployment";
      for (const PortUse& u : uses) {
        f.notes.push_back({"Service " + u.svc->qualifiedName() + " port " + std::to_string(port) + " is " +
                               protocolOf(*u.port) + " here",
                           u.port->span});
      }
    }
  }

  static void checkTargetPorts(Context& ctx, const Workload& dep, const std::vector<const Service*>& svcs) {
    // targetPort -> port -> use (as Kubernetes does, an absent targetPort is the port itself).
    std::map<std::string, std::map<uint32_t, PortUse>> targets;
    for (const Service* svc : svcs) {
      for (const KubeServicePort& p : svc->ports) {
        std::string tp = p.target_port.empty() || p.target_port == "0" ? std::to_string(p.port) : p.target_port;
        targets[tp].insert_or_assign(p.port, PortUse{svc, &p});
      }
    }
    for (const auto& [tp, by_port] : targets) {
      if (by_port.size() < 2) continue;
      std::vector<std::string> names, ports;
      for (const auto& [port, use] : by_port) {
        names.push_back(use.svc->qualifiedName());
        ports.push_back(std::to_string(port));
      }
      std::sort(names.begin(), names.end());
      rules::Finding& f = ctx.report(Code::IST0137, dep, dep.meta.name.span, dep.name(), workloads::joinList(names), tp,
                                     workloads::joinList(ports));
      f.message += " Use the same port for targetPort " + tp + " in every Service that selects the deployment";
      for (const auto& [port, use] : by_port) {
        f.notes.push_back({"Service " + use.svc->qualifiedName() + " maps port " + std::to_string(port) + " to it here",
                           use.port->span});
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeDeploymentMultiServiceAnalyzer() { return std::make_unique<MultiServiceAnalyzer>(); }

}  // namespace istio_lint::analyzers
