#pragma once

// The mesh graph: owns every resource of a run and the indexes built once over them. Read-only
// after build(); analyzers and the routing model share it.

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <typeindex>
#include <unordered_map>
#include <vector>

#include "model/credential_store.h"
#include "model/gateway_inventory.h"
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
  /// "Now" and the expiry window of the certificate checks.
  CertificateOptions certificates;
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

/// Data derived from a graph on first use (see MeshGraph::derived).
class DerivedCache {
 public:
  template <typename T, typename Build>
  const T& get(Build&& build) {
    Slot* slot;
    {
      std::lock_guard<std::mutex> lock(mu_);
      std::unique_ptr<Slot>& s = slots_[std::type_index(typeid(T))];
      if (!s) s = std::make_unique<Slot>();
      slot = s.get();
    }
    std::call_once(slot->once, [&] { slot->value = std::shared_ptr<const void>(build()); });
    return *static_cast<const T*>(slot->value.get());
  }

 private:
  struct Slot {
    std::once_flag once;
    std::shared_ptr<const void> value;
  };
  std::mutex mu_;
  std::unordered_map<std::type_index, std::unique_ptr<Slot>> slots_;
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
  /// `# istio-lint: ignore=...` comments of every input file (model/suppression_comments.h).
  const std::vector<SuppressionComment>& suppressionComments() const { return suppression_comments_; }

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
  /// Resources of kind k with this name in any namespace (for "did you mean ns/name?"), in
  /// (namespace, name) order. The name index of a kind is built on the first call for that kind.
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
  /// The credentials of Secrets, each parsed once on first use.
  const CertificateStore& certificates() const { return *certificates_; }

  /// Gateway workloads, their Services and exposure, revisions and control planes (built once).
  const GatewayInventory& gatewayInventory() const { return *gateway_inventory_; }

  /// A `T` built from this graph as `T(graph)` on the first call and shared by every later one
  /// (what several analyzers compute from the same resources). Safe to call from several threads;
  /// the value lives as long as the graph and never changes.
  template <typename T>
  const T& derived() const {
    return derived_->get<T>([this] { return std::make_unique<const T>(*this); });
  }

  std::string domainSuffix() const { return "cluster.local"; }
  size_t size() const { return owned_.size(); }
  /// Resources declared in the inputs (not assumed or generated by istio-lint).
  size_t declaredCount() const {
    return static_cast<size_t>(std::count_if(owned_.begin(), owned_.end(), [](const ResourcePtr& r) { return !r->synthetic; }));
  }

 private:
  MeshGraph() = default;
  void index();
  void addDefaultIngress(const GraphOptions& options, std::vector<ResourcePtr>& resources);
  void addOperatorGateways(const GraphOptions& options, std::vector<ResourcePtr>& resources);
  void indexRouting();
  void indexWorkloadsAndRegistry();
  void resolveMeshConfig(const GraphOptions& options);
  void loadMeshNetworks(const GraphOptions& options, std::vector<ResourcePtr>& out);
  void loadMeshNetworksFromConfigMap(const GraphOptions& options, std::vector<ResourcePtr>& out);
  /// Reads a whole file for the mesh config / networks options; a problem when it cannot.
  std::optional<yaml::DocumentPtr> readConfigFile(const std::string& path, uint32_t& id);

  FileTable files_;
  MeshConfig mesh_config_;
  std::vector<LoadProblem> problems_;
  std::vector<ResourcePtr> owned_;
  std::vector<Duplicate> duplicates_;
  std::vector<SuppressionComment> suppression_comments_;
  std::vector<const Resource*> all_;
  std::vector<std::vector<const Resource*>> by_kind_;
  /// (kind, namespace, name), viewing the strings of a resource the graph owns.
  struct Key {
    Kind kind;
    std::string_view ns, name;
    std::string_view cluster = {};  // only while resolving duplicates; lookups leave it empty
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const noexcept {
      size_t h = std::hash<std::string_view>{}(k.name);
      h ^= std::hash<std::string_view>{}(k.ns) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
      if (!k.cluster.empty()) h ^= std::hash<std::string_view>{}(k.cluster) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
      return h ^ (static_cast<size_t>(k.kind) * 0x9e3779b97f4a7c15ULL);
    }
  };
  static Key keyOf(const Resource& r) { return {r.kind, r.ns(), r.name()}; }

  std::unordered_map<Key, const Resource*, KeyHash> by_key_;
  /// Per kind: name -> resources, built on first use (only the hint paths of a few analyzers need it).
  struct NameIndex {
    std::array<std::once_flag, kKindCount> once;
    std::array<std::unordered_map<std::string_view, std::vector<const Resource*>>, kKindCount> by_kind;
  };
  std::unique_ptr<NameIndex> by_name_ = std::make_unique<NameIndex>();
  SelectorIndex workloads_;
  HostIndex<RegistryEntry> registry_;
  HostIndex<const DestinationRule*> destination_rules_;
  std::unordered_map<const Resource*, std::vector<BoundGateway>> vs_gateways_;
  std::unordered_map<const Resource*, std::vector<const VirtualService*>> gateway_vs_;
  std::shared_ptr<const GatewayInventory> gateway_inventory_;
  std::unique_ptr<CertificateStore> certificates_;
  std::unique_ptr<DerivedCache> derived_ = std::make_unique<DerivedCache>();
};

}  // namespace istio_lint::model
