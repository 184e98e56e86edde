// destinationrule.SubsetSelectPodAnalyzer: a DestinationRule's host is a service the mesh knows,
// and each of its subsets selects at least one workload. Subset labels are matched against Pod
// labels as istiod sees them on endpoints: augmented with the topology labels of the Node the Pod
// runs on.

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "analyzers/service_lookup.h"
#include "model/host.h"

namespace istio_lint::analyzers {
namespace {

using model::DestinationRule;
using model::Labels;
using model::Workload;

constexpr std::string_view kRegion = "topology.kubernetes.io/region";
constexpr std::string_view kZone = "topology.kubernetes.io/zone";
constexpr std::string_view kSubzone = "topology.istio.io/subzone";
constexpr std::string_view kHostname = "kubernetes.io/hostname";

bool isTopologyKey(std::string_view k) { return k == kRegion || k == kZone || k == kSubzone || k == kHostname; }

class SubsetSelectPodAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "destinationrule.SubsetSelectPodAnalyzer",
        "Checks if pods are selected by subsets in destination rules.",
        {Kind::DestinationRule, Kind::Pod, Kind::Service, Kind::ServiceEntry, Kind::Node},
        {Code::IST0173, Code::IST0174}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    std::optional<std::vector<std::string>> reversed_hosts;  // built on the first wildcard host
    std::unordered_map<std::string, const Labels*> nodes;  // Node name -> labels; looked up only
    for (const model::Resource* n : g.ofKind(Kind::Node)) nodes.emplace(n->name(), &n->meta.labels);

    for (const DestinationRule* dr : g.typed<DestinationRule>(Kind::DestinationRule)) {
      if (dr->host.empty()) continue;  // a schema error
      std::string fqdn = model::host::toFqdn(dr->host.value, dr->ns(), g.domainSuffix());
      const model::Resource* target = lookupServiceHost(g, dr->ns(), dr->export_to, fqdn);
      // A wildcard host (`*.svc.cluster.local`, `*.corp.example`) applies to every service it
      // covers; it is unknown only when it covers none.
      if (target == nullptr && !(model::host::isWildcard(fqdn) && coversAnyService(g, fqdn, reversed_hosts))) {
        ctx.report(Code::IST0174, *dr, dr->host.span, dr->host.value);
        continue;
      }
      Labels base;  // a ServiceEntry's workloadSelector narrows every subset
      if (target != nullptr && target->kind == Kind::ServiceEntry) {
        const auto& se = static_cast<const model::ServiceEntry&>(*target);
        if (se.workload_selector) base = *se.workload_selector;
      }
      for (const model::Subset& s : dr->subsets) {
        Labels want = base;
        for (const auto& [k, v] : s.labels) want[k] = v;
        if (selectsAny(g, nodes, want)) continue;
        rules::Finding& f = ctx.report(Code::IST0173, *dr, s.name.span.known() ? s.name.span : s.span, s.name.value);
        if (target != nullptr) {
          f.notes.push_back({"the DestinationRule's host " + dr->host.value + " is " + target->origin() +
                                 "; give the subset labels its workloads carry",
                             target->span});
        }
      }
    }
  }

 private:
  /// Whether a wildcard host (`*<suffix>`) covers some Service or ServiceEntry host. The hosts
  /// are sorted by their reversed spelling once per run, so each question is one binary search.
  static bool coversAnyService(const model::MeshGraph& g, const std::string& wildcard,
                               std::optional<std::vector<std::string>>& reversed) {
    if (!reversed) {
      reversed.emplace();
      for (const model::Resource* r : g.ofKind(Kind::Service)) {
        std::string h = r->name() + "." + r->ns() + ".svc." + g.domainSuffix();
        reversed->emplace_back(h.rbegin(), h.rend());
      }
      for (const model::Resource* r : g.ofKind(Kind::ServiceEntry)) {
        for (const model::Str& h : static_cast<const model::ServiceEntry&>(*r).hosts) {
          reversed->emplace_back(h.value.rbegin(), h.value.rend());
        }
      }
      std::sort(reversed->begin(), reversed->end());
    }
    std::string suffix(wildcard.rbegin(), wildcard.rend() - 1);  // reversed, without the `*`
    auto it = std::lower_bound(reversed->begin(), reversed->end(), suffix);
    return it != reversed->end() && it->starts_with(suffix);
  }

  /// Whether some workload carries every label of `want`. Topology labels are read from the
  /// workload's Node (a Pod's spec.nodeName; a pod template's nodeSelector), as istiod adds them.
  static bool selectsAny(const model::MeshGraph& g, const std::unordered_map<std::string, const Labels*>& nodes,
                         const Labels& want) {
    Labels plain, topology;
    for (const auto& [k, v] : want) (isTopologyKey(k) ? topology : plain).emplace(k, v);
    if (topology.empty()) return g.workloads().selectsAny(plain);
    return g.workloads().forEach(plain, {}, true, [&](const Workload* w) {
      for (const auto& [k, v] : topology) {
        std::optional<std::string> have = topologyLabel(*w, nodes, k);
        if (!have || *have != v) return false;
      }
      return true;
    });
  }

  static std::optional<std::string> topologyLabel(const Workload& w,
                                                  const std::unordered_map<std::string, const Labels*>& nodes,
                                                  const std::string& key) {
    auto own = [&]() -> std::optional<std::string> {
      auto it = w.pod_labels.find(key);
      return it == w.pod_labels.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    if (w.kind != Kind::Pod) {
      auto it = w.node_selector.find(key);
      return it != w.node_selector.end() ? std::optional<std::string>(it->second) : own();
    }
    if (w.node_name.empty()) return own();
    auto node = nodes.find(w.node_name);
    if (node == nodes.end()) return own();
    if (key == kHostname) return w.node_name;
    auto it = node->second->find(key);
    // An empty locality label on the Node is not copied to the endpoint.
    if (it != node->second->end() && !it->second.empty()) return it->second;
    return own();
  }
};

}  // namespace

AnalyzerPtr makeDestinationRuleSubsetSelectPodAnalyzer() { return std::make_unique<SubsetSelectPodAnalyzer>(); }

}  // namespace istio_lint::analyzers
