#pragma once

// What the egress-isolation rules (IL2xxx) share: the compiled routing model of the egress side of
// the mesh, built once per graph (MeshGraph::derived) and read by every egress analyzer.
//
//   EgressCandidates  cheap, from the graph's indexes: the Gateway resources that may send traffic
//                     out of the mesh, and whether the inputs hold anything egress-related at all.
//                     When they do not, no routing model is built.
//   EgressPaths       the routing model (simulate/) compiled for those Gateways and for one sidecar
//                     scope per group of workloads that route alike, with the egress gateways, the
//                     gateway-side rules that send hosts out, and the hosts meant to leave through
//                     an egress gateway. Paths are proven by tracing requests through the model
//                     (simulate::traceRequest), never re-derived here.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "model/gateway_inventory.h"
#include "simulate/routing_model.h"
#include "simulate/trace.h"

namespace istio_lint::analyzers::egress {

/// The names a VirtualService may use for an egress gateway workload that has no Gateway
/// resource: the workload's name and its `istio` label.
std::vector<std::string> workloadNames(const model::GatewayWorkload& w);

/// A host that leaves the mesh: not a short or cluster-local name, not a Kubernetes Service (also
/// as "name.namespace") and not a MESH_INTERNAL ServiceEntry host.
bool isExternalHost(const model::MeshGraph& g, std::string_view host);

/// The VirtualService applies to sidecars: no spec.gateways, or `mesh` among them.
bool boundToMesh(const model::MeshGraph& g, const model::VirtualService& vs);

/// The cheap first pass (see the file comment).
struct EgressCandidates {
  explicit EgressCandidates(const model::MeshGraph& g);

  /// Gateway resources ("ns/name") to compile: those selecting a declared egress gateway workload,
  /// and those bound by a VirtualService that routes to an external host.
  std::vector<std::string> gateways;
  /// Declared gateway workloads the inventory takes for egress gateways (labels, names, operator
  /// egressGateways components).
  std::vector<const model::GatewayWorkload*> egress_workloads;
  /// A VirtualService names an egress gateway workload in `gateways` although no Gateway resource
  /// of that name exists (the seed's `gateways: ["mesh", "egress-fixed"]`).
  bool workload_named = false;

  /// Some traffic may leave through an egress gateway: a candidate Gateway, or an egress gateway
  /// workload a VirtualService names. (An egress gateway that is only deployed needs no model.)
  bool any() const { return !gateways.empty() || workload_named; }
};

/// A host no ServiceEntry or Service declares: IL2003 traces a call to it to show what sidecars do
/// with unregistered hosts.
inline constexpr std::string_view kUnregisteredProbeHost = "unregistered.egress-check.invalid";

/// How a probe request speaks, as `simulate --scheme` names it.
enum class Scheme : uint8_t { Http, Https, Tls, Tcp };
std::string_view schemeName(Scheme s);

/// A name a request can carry for `host`: "*.example.com" becomes "egress-probe.example.com";
/// empty for "*".
std::string concreteHost(std::string_view host);

/// One request a workload makes to an external host.
struct Probe {
  std::string host;     // a concrete name: a wildcard host is probed as "egress-probe.<suffix>"
  std::string pattern;  // the host as declared (may be a wildcard)
  uint32_t port = 0;
  Scheme scheme = Scheme::Tls;
  /// "api.stripe.com:443 (tls)"
  std::string describe() const;
};

/// A gateway workload that traffic of some external host leaves the mesh through.
struct EgressGateway {
  std::string name;                                  // "ns/workload" (the proxy's name)
  const model::GatewayWorkload* workload = nullptr;  // inventory entry, when the workload is declared
  const simulate::Proxy* proxy = nullptr;            // null: no Gateway resource selects it
  std::vector<const model::Gateway*> gateways;       // the Gateway resources that apply to it
  /// Some VirtualService routes through it (a gateway-side rule sends a host out, or a VirtualService
  /// names it), as opposed to an egress gateway that is only deployed.
  bool in_use = false;
  /// "Gateway istio-system/egress-fixed" or "egress gateway workload istio-system/egress-fixed".
  std::string label() const;
  /// Where findings about the gateway itself go: its first Gateway resource, else the workload.
  const model::Resource& owner() const;
  model::Span span() const;
};

/// A gateway-side rule that sends an external host out of the mesh, or would if the host had a
/// cluster (no ServiceEntry declares it: the model's cluster is missing).
struct EgressRoute {
  const EgressGateway* gateway = nullptr;
  std::string host;  // the host the gateway serves for it (VirtualService host or SNI name)
  Scheme scheme = Scheme::Tls;  // how clients reach the gateway's listener
  uint32_t listener_port = 0;
  const simulate::Cluster* cluster = nullptr;
  const model::VirtualService* vs = nullptr;
  model::Span rule_span;         // the rule (http route, tls/tcp match) in the VirtualService
  model::Span destination_span;  // its destination
  /// Traced at the gateway: the request leaves the mesh there (trace exit egress-gateway).
  bool leaves = false;
};

/// Workloads whose sidecars route alike (same namespace, same Sidecar resource, same labels where
/// a VirtualService matches sourceLabels): one compiled sidecar scope, traced once for all.
struct Source {
  const simulate::Proxy* proxy = nullptr;
  std::string ns;
  std::vector<const model::Workload*> workloads;  // empty: a namespace without workloads in the inputs
  /// "payments/payments", "payments/api, payments/batch", "a sidecar in namespace payments (...)"
  std::string describe(size_t max_names = 3) const;
};

/// "the sidecar of payments/payments", "the sidecars of 46 workloads in 4 namespaces (team-0/a,
/// team-0/b, team-1/c, ...)", "a sidecar in namespace payments (...)".
std::string describeSources(const std::vector<const Source*>& sources);

/// A host meant to leave through an egress gateway, with why it is thought to be.
struct IntendedHost {
  std::string host;  // as declared (may be a wildcard)
  const EgressGateway* gateway = nullptr;
  /// The rule that shows the intent: the gateway-side rule sending the host out, else the
  /// VirtualService that binds both `mesh` and the egress gateway.
  const model::VirtualService* vs = nullptr;
  model::Span span;
  bool gateway_route = false;  // the evidence is a gateway-side rule (else a VirtualService binding)
  std::vector<Probe> probes;   // the requests workloads make for it
};

class EgressPaths {
 public:
  explicit EgressPaths(const model::MeshGraph& g);

  const model::MeshGraph& graph() const { return *graph_; }
  const simulate::RoutingModel& model() const { return *model_; }
  const std::vector<std::unique_ptr<EgressGateway>>& gateways() const { return gateways_; }
  const std::vector<EgressRoute>& routes() const { return routes_; }
  const std::vector<Source>& sources() const { return sources_; }
  const std::vector<IntendedHost>& intended() const { return intended_; }

  /// The egress gateway a trace left through ("ns/workload" of the proxy), or null.
  const EgressGateway* gatewayNamed(std::string_view proxy_name) const;
  /// The requests a workload makes for `host`: one per port a ServiceEntry declares for it, with
  /// the port's protocol; `fallback` when no ServiceEntry declares it.
  std::vector<Probe> probes(std::string_view host, const Probe& fallback) const;
  /// Follows `p` from the source's sidecar through the model.
  simulate::Trace trace(const Source& s, const Probe& p) const;
  /// The path a trace took, in words: "directly from the workload through outbound|443||api.stripe.com
  /// (ServiceEntry payments/stripe-api)", "through egress gateway istio-system/egress-card", ...
  static std::string describePath(const simulate::Trace& t);
  /// The cluster a hop forwarded to, in words: "outbound|443||api.stripe.com (ServiceEntry
  /// payments/stripe-api)", "PassthroughCluster (outboundTrafficPolicy ALLOW_ANY)".
  static std::string describeCluster(const simulate::TraceHop& hop);

 private:
  void findGateways(const EgressCandidates& cand);
  void findRoutes(const EgressGateway& gw);
  void findIntendedHosts();

  const model::MeshGraph* graph_;
  std::unique_ptr<simulate::RoutingModel> model_;
  std::vector<std::unique_ptr<EgressGateway>> gateways_;
  std::vector<EgressRoute> routes_;
  std::vector<Source> sources_;
  std::vector<IntendedHost> intended_;
};

/// The sidecar scopes to trace from (egress_sources.cc): one per group of workloads that route
/// alike; namespaces of `fallback_namespaces` get a workload-less scope when the inputs hold no
/// workload at all. Fills `names` (ModelOptions::sidecars) and `extra` (workload-less scopes).
struct SourcePlan {
  struct Group {
    std::string proxy;  // the proxy name to compile: a representative workload, or "ns/*"
    std::string ns;
    std::vector<const model::Workload*> workloads;
  };
  std::vector<Group> groups;
};
SourcePlan planSources(const model::MeshGraph& g, const std::vector<std::string>& fallback_namespaces);

}  // namespace istio_lint::analyzers::egress
