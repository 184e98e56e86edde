// meshnetworks.MeshNetworksAnalyzer: every `fromRegistry` of the mesh networks names a service
// registry istiod knows: Kubernetes, External, Mock, or a cluster added by a remote secret.

#include <set>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "model/ascii.h"
#include "model/resources/kube.h"
#include "model/resources/mesh_networks.h"

namespace istio_lint::analyzers {
namespace {

class MeshNetworksAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{"meshnetworks.MeshNetworksAnalyzer",
                                        "Check the validity of MeshNetworks in the cluster",
                                        {Kind::MeshNetworks, Kind::Secret},
                                        {Code::IST0126}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    std::set<std::string> registries{"Mock", "Kubernetes", "External"};
    // Remote secrets (label istio/multiCluster=true) add one registry per key: the cluster id.
    // `stringData` counts too: the API server merges it into `data`.
    for (const model::Resource* r : g.ofKind(Kind::Secret)) {
      auto it = r->meta.labels.find("istio/multiCluster");
      if (it == r->meta.labels.end() || it->second != "true") continue;
      const auto& s = static_cast<const model::Secret&>(*r);
      for (const auto& [key, value] : s.data) registries.insert(key);
      for (const auto& [key, value] : s.string_data) registries.insert(key);
    }
    for (const model::Resource* r : g.ofKind(Kind::MeshNetworks)) {
      const auto& mn = static_cast<const model::MeshNetworks&>(*r);
      for (const model::MeshNetwork& net : mn.networks) {
        for (const model::MeshNetwork::Endpoint& e : net.endpoints) {
          const model::Str& reg = e.from_registry;
          if (reg.empty() || registries.count(reg.value)) continue;
          rules::Finding& f = ctx.report(Code::IST0126, mn, reg.span.known() ? reg.span : e.span, reg.value,
                                         net.name.value);
          std::string suggestion;
          for (const std::string& known : registries) {
            if (model::equalsIgnoreCase(known, reg.value)) suggestion = known;
          }
          f.message += suggestion.empty()
                           ? ". Use Kubernetes (the local cluster), External, or the cluster id of a remote secret "
                             "(a Secret labelled istio/multiCluster=true)"
                           : ". Registry names are case-sensitive: did you mean \"" + suggestion + "\"?";
        }
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeMeshNetworksMeshNetworksAnalyzer() { return std::make_unique<MeshNetworksAnalyzer>(); }

}  // namespace istio_lint::analyzers
