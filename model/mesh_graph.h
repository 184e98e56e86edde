#pragma once

// The mesh graph: owns every resource of a run and the indexes built once over them. Read-only
// after build(); analyzers and the routing model share it.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/gateway_ref.h"
#include "model/host_index.h"
#include "model/loader.h"
#include "model/mesh_config.h"
#include "model/resources/kube.h"
#include "model/resources/networking.h"
#include "model/selector_index.h"

namespace istio_lint::model {

/// What to assume about the Istio default ingress gateway when the inputs do not declare it.
enum class DefaultIngress { Off, IfMissing, Overwrite };

struct GraphOptions {
  DefaultIngress default_ingress = DefaultIngress::IfMissing;
  /// A mesh config file that overrides everything found in the inputs.
  std::optional<std::string> mesh_config_file;
  /// A MeshNetworks file (`networks:` by name with endpoints and gateways).
  std::optional<std::string> mesh_networks_file;
  std::string istio_namespace = "istio-system";
  /// Only these kinds are added as defaults (the harness adds the ingress Pod/Service only when
  /// the analyzer reads them).
  std::optional<std::set<Kind>> only_kinds;
};

/// A Service or ServiceEntry host in the service registry, with the scope it is visible in.
struct RegistryEntry {
  const Resource* resource;
  std::string scope;  // "*" or a namespace
};

/// A VirtualService's gateway reference, resolved.
struct BoundGateway {
  GatewayRef ref;
  const Gateway* gateway = nullptr;  // null when no such Gateway exists (or ref.mesh)
  const Str* at = nullptr;           // the reference in the VirtualService
  bool top_level = true;             // spec.gateways (false: a match-level reference)
};

/// A resource that was declared twice; the later one is kept.
struct Duplicate {
  const Resource* kept;
  ResourcePtr dropped;
};

class MeshGraph {
 public:
  static MeshGraph build(LoadResult&& loaded, const GraphOptions& options);

  MeshGraph(MeshGraph&&) = default;
  MeshGraph& operator=(MeshGraph&&) = default;

  const FileTable& files() const { return files_; }
  const MeshConfig& meshConfig() const { return mesh_config_; }
  const std::vector<LoadProblem>& problems() const { return problems_; }
  const std::vector<Duplicate>& duplicates() const { return duplicates_; }

  /// Every resource of a kind, sorted by (namespace, name).
  const std::vector<const Resource*>& ofKind(Kind k) const { return by_kind_[static_cast<size_t>(k)]; }
  template <typename T>
  std::vector<const T*> typed(Kind k) const {
    std::vector<const T*> out;
    out.reserve(ofKind(k).size());
    for (const Resource* r : ofKind(k)) out.push_back(static_cast<const T*>(r));
    return out;
  }
  const Resource* find(Kind k, std::string_view ns, std::string_view name) const;
  /// Resources of kind k with this name in any namespace (for "did you mean ns/name?").
  const std::vector<const Resource*>& findByName(Kind k, std::string_view name) const;
  const std::vector<const Resource*>& all() const { return all_; }

  /// Pods and pod templates of Deployments, StatefulSets and DaemonSets.
  const SelectorIndex& workloads() const { return workloads_; }
  /// Services (name.ns.svc.<domain>) and ServiceEntry hosts.
  const HostIndex<RegistryEntry>& registry() const { return registry_; }

  /// DestinationRules by host (FQDN or wildcard), in (namespace, name) order.
  const HostIndex<const DestinationRule*>& destinationRules() const { return destination_rules_; }
  /// The gateway references of a VirtualService (spec.gateways, then match-level), resolved.
  const std::vector<BoundGateway>& gatewaysOf(const VirtualService& vs) const;
  /// VirtualServices whose spec.gateways names this Gateway, in (namespace, name) order.
  const std::vector<const VirtualService*>& virtualServicesOf(const Gateway& gw) const;

  std::string domainSuffix() const { return "cluster.local"; }
  size_t size() const { return owned_.size(); }

 private:
  MeshGraph() = default;
  void index(const GraphOptions& options);
  void addDefaultIngress(const GraphOptions& options, std::vector<ResourcePtr>& resources);
  void addOperatorGateways(const GraphOptions& options, std::vector<ResourcePtr>& resources);
  void indexRouting();
  void resolveMeshConfig(const GraphOptions& options);
  void loadMeshNetworks(const GraphOptions& options, std::vector<ResourcePtr>& out);
  /// Reads a whole file for the mesh config / networks options; a problem when it cannot.
  std::optional<yaml::DocumentPtr> readConfigFile(const std::string& path, uint32_t& id);

  FileTable files_;
  MeshConfig mesh_config_;
  std::vector<LoadProblem> problems_;
  std::vector<ResourcePtr> owned_;
  std::vector<Duplicate> duplicates_;
  std::vector<const Resource*> all_;
  std::vector<std::vector<const Resource*>> by_kind_;
  std::unordered_map<std::string, const Resource*> by_key_;
  std::unordered_map<std::string, std::vector<const Resource*>> by_name_;
  SelectorIndex workloads_;
  HostIndex<RegistryEntry> registry_;
  HostIndex<const DestinationRule*> destination_rules_;
  std::unordered_map<const Resource*, std::vector<BoundGateway>> vs_gateways_;
  std::unordered_map<const Resource*, std::vector<const VirtualService*>> gateway_vs_;
};

}  // namespace istio_lint::model
