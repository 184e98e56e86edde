#include "model/mesh_graph.h"

#include <algorithm>
#include <tuple>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "model/ascii.h"
#include "model/decode/decode.h"
#include "model/decode/reader.h"
#include "model/host.h"
#include "model/parallel.h"
#include "model/resources/mesh_networks.h"
#include "model/visit.h"

namespace istio_lint::model {
namespace {

bool resourceLess(const Resource* a, const Resource* b) {
  return std::tie(a->ns(), a->name(), a->span) < std::tie(b->ns(), b->name(), b->span);
}

std::vector<std::string> exportScopes(const std::vector<std::string>& export_to, const std::string& ns) {
  std::vector<std::string> out;
  if (export_to.empty()) return {"*"};
  for (const std::string& e : export_to) {
    if (e == "*") return {"*"};
    out.push_back(e == "." ? ns : e);
  }
  return out;
}

}  // namespace

MeshGraph MeshGraph::build(LoadResult&& loaded, const GraphOptions& options) {
  MeshGraph g;
  // load() queued the credential of every Secret it read (LoadResult::credentials); resources
  // from elsewhere (loadBytes, tests) are queued below.
  const bool queued_by_loader = loaded.credentials != nullptr;
  std::shared_ptr<CredentialCache> credentials = std::move(loaded.credentials);
  if (!credentials) credentials = std::make_shared<CredentialCache>();
  g.certificates_ = std::make_unique<CertificateStore>(options.certificates, credentials);
  g.files_ = std::move(loaded.files);
  g.problems_ = std::move(loaded.problems);
  g.suppression_comments_ = std::move(loaded.suppression_comments);
  std::vector<ResourcePtr> resources = std::move(loaded.resources);
  g.owned_ = std::move(resources);
  g.resolveMeshConfig(options);
  std::vector<ResourcePtr> defaults;
  g.loadMeshNetworks(options, defaults);
  g.addOperatorGateways(options, defaults);
  g.addDefaultIngress(options, defaults);

  // Later declarations of the same kind/namespace/name replace earlier ones, as `kubectl apply`
  // of the files in order would. Synthetic defaults only fill gaps unless told to overwrite.
  std::unordered_map<Key, size_t, KeyHash> slot;
  slot.reserve(g.owned_.size() + defaults.size());
  std::vector<ResourcePtr> kept;
  kept.reserve(g.owned_.size() + defaults.size());
  auto place = [&](ResourcePtr r, bool replace) {
    // Resources of different clusters never replace each other: the same Service in two
    // clusters is one multi-cluster service, not a duplicate.
    Key k = keyOf(*r);
    k.cluster = r->cluster;
    auto [it, inserted] = slot.emplace(k, kept.size());
    if (inserted) {
      kept.push_back(std::move(r));
    } else if (replace) {
      size_t at = it->second;
      // The key views the replaced resource's strings, which may be freed below: view r's.
      auto node = slot.extract(it);
      node.key() = keyOf(*r);
      node.key().cluster = r->cluster;
      slot.insert(std::move(node));
      if (!r->synthetic) g.duplicates_.push_back({r.get(), std::move(kept[at])});
      kept[at] = std::move(r);
    }
  };
  for (ResourcePtr& r : g.owned_) place(std::move(r), true);
  for (ResourcePtr& r : defaults) place(std::move(r), options.default_ingress == DefaultIngress::Overwrite);
  g.owned_ = std::move(kept);

  // Parsing credentials is the one expensive step of the gateway TLS analyzers (OpenSSL's loading
  // and first use alone take ~2.5 ms): they parse on a background thread while the indexes are
  // built, and the analyzers find every credential parsed. Nothing else here touches Secrets.
  if (!queued_by_loader) {
    for (const ResourcePtr& r : g.owned_) {
      if (r->kind == Kind::Secret) credentials->prefetch(static_cast<const Secret&>(*r));
    }
  }
  g.index();
  g.gateway_inventory_ = GatewayInventory::build(g);
  credentials->finish();
  return g;
}

void MeshGraph::resolveMeshConfig(const GraphOptions& options) {
  if (options.mesh_config_file) {
    uint32_t id = 0;
    if (auto doc = readConfigFile(*options.mesh_config_file, id); doc && *doc) {
      mesh_config_.merge(*(*doc)->root(), id);
    }
    mesh_config_.source = *options.mesh_config_file;
    return;
  }
  for (const ResourcePtr& r : owned_) {
    if (r->kind == Kind::ConfigMap && r->name() == "istio" && r->ns() == options.istio_namespace) {
      const auto& cm = static_cast<const ConfigMap&>(*r);
      auto it = cm.data.find("mesh");
      if (it == cm.data.end()) continue;
      // data.mesh is YAML inside a string; for a block scalar (`mesh: |`) line N of the text
      // is line N of the file after the key, so positions can be mapped back.
      const Str& text = it->second;
      bool block = text.value.find('\n') != std::string::npos;
      auto fileSpan = [&](const Span& inner) {
        return block ? Span{text.span.file, text.span.line + inner.line, text.span.col}
                     : text.span;
      };
      yaml::ParseResult parsed = yaml::parse(text.value, text.span.file);
      mesh_config_.source = "ConfigMap " + options.istio_namespace + "/istio";
      for (const yaml::ParseProblem& p : parsed.problems) {
        mesh_config_.issues.push_back({false, "data.mesh is not valid YAML: " + p.message, fileSpan(p.span)});
      }
      if (!parsed.documents.empty()) {
        size_t before = mesh_config_.issues.size();
        mesh_config_.merge(*parsed.documents.front()->root(), text.span.file);
        mesh_config_.span = text.span;
        for (size_t i = before; i < mesh_config_.issues.size(); ++i) {
          mesh_config_.issues[i].span = fileSpan(mesh_config_.issues[i].span);
        }
      }
      return;
    }
  }
  for (const ResourcePtr& r : owned_) {
    if (r->kind != Kind::IstioOperator) continue;
    const auto& op = static_cast<const IstioOperator&>(*r);
    if (op.mesh_config != nullptr) {
      mesh_config_.merge(*op.mesh_config, r->span.file);
      mesh_config_.source = "IstioOperator " + r->ns() + "/" + r->name();
      return;
    }
  }
}

std::optional<yaml::DocumentPtr> MeshGraph::readConfigFile(const std::string& path, uint32_t& id) {
  id = files_.add(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems_.push_back({LoadProblem::Type::Unreadable, "cannot read " + path + ": " + std::strerror(errno), Span{id, 0, 0}});
    return std::nullopt;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  yaml::ParseResult parsed = yaml::parse(bytes, id);
  for (const yaml::ParseProblem& p : parsed.problems) {
    problems_.push_back({p.type == yaml::ParseProblem::Type::Syntax ? LoadProblem::Type::Syntax
                                                                    : LoadProblem::Type::Limit,
                         p.message, p.span});
  }
  if (parsed.documents.empty()) return yaml::DocumentPtr{};
  return parsed.documents.front();
}

void MeshGraph::loadMeshNetworks(const GraphOptions& options, std::vector<ResourcePtr>& out) {
  if (!options.mesh_networks_file) {
    loadMeshNetworksFromConfigMap(options, out);
    return;
  }
  uint32_t id = 0;
  auto doc = readConfigFile(*options.mesh_networks_file, id);
  if (!doc || !*doc) return;
  std::vector<SchemaIssue> issues;
  decode::Reader r(id, issues);
  ResourcePtr mn = decode::decodeMeshNetworks(r, *(*doc)->root());
  mn->kind = Kind::MeshNetworks;
  mn->synthetic = true;
  mn->span = (*doc)->root()->span(id);
  mn->meta.name.value = "meshnetworks";
  mn->meta.ns.value = options.istio_namespace;
  mn->schema_issues = std::move(issues);
  out.push_back(std::move(mn));
}

void MeshGraph::loadMeshNetworksFromConfigMap(const GraphOptions& options, std::vector<ResourcePtr>& out) {
  // Without --meshNetworksFile, istiod reads data.meshNetworks of the `istio` ConfigMap.
  const ConfigMap* cm = nullptr;
  for (const ResourcePtr& r : owned_) {
    if (r->kind == Kind::ConfigMap && r->name() == "istio" && r->ns() == options.istio_namespace) {
      cm = static_cast<const ConfigMap*>(r.get());
    }
  }
  if (cm == nullptr) return;
  auto it = cm->data.find("meshNetworks");
  if (it == cm->data.end()) return;
  const Str& text = it->second;
  yaml::ParseResult parsed = yaml::parse(text.value, text.span.file);
  if (parsed.documents.empty() || parsed.documents.front()->root() == nullptr) return;
  const yaml::Node& root = *parsed.documents.front()->root();
  if (root.isNull()) return;
  // As for data.mesh: line N of a block scalar is line N of the file after the key.
  bool block = text.value.find('\n') != std::string::npos;
  auto fileSpan = [&](Span& s) {
    s = block && s.known() ? Span{text.span.file, text.span.line + s.line, text.span.col} : text.span;
  };
  std::vector<SchemaIssue> issues;
  decode::Reader r(text.span.file, issues);
  ResourcePtr res = decode::decodeMeshNetworks(r, root);
  auto* mn = static_cast<MeshNetworks*>(res.get());
  for (MeshNetwork& net : mn->networks) {
    fileSpan(net.name.span);
    for (MeshNetwork::Endpoint& e : net.endpoints) {
      fileSpan(e.span);
      fileSpan(e.from_registry.span);
      fileSpan(e.from_cidr.span);
    }
    for (MeshNetwork::NetworkGateway& g : net.gateways) {
      fileSpan(g.span);
      fileSpan(g.registry_service_name.span);
      fileSpan(g.address.span);
    }
  }
  for (yaml::ParseProblem& p : parsed.problems) issues.push_back({false, "data.meshNetworks is not valid YAML: " + p.message, p.span});
  for (SchemaIssue& i : issues) fileSpan(i.span);
  mn->kind = Kind::MeshNetworks;
  mn->synthetic = true;
  mn->span = text.span;
  mn->meta.name.value = "meshnetworks";
  mn->meta.ns.value = options.istio_namespace;
  mn->schema_issues = std::move(issues);
  out.push_back(std::move(res));
}

void MeshGraph::addDefaultIngress(const GraphOptions& options, std::vector<ResourcePtr>& out) {
  if (options.default_ingress == DefaultIngress::Off || mesh_config_.ingress_controller_mode == "OFF") return;
  const std::string& name = mesh_config_.ingress_service;
  // An IstioOperator that disables the default ingress gateway component means it does not exist.
  for (const ResourcePtr& r : owned_) {
    if (r->kind != Kind::IstioOperator) continue;
    for (const OperatorGateway& g : static_cast<const IstioOperator&>(*r).gateways) {
      if (!g.egress && g.name.value == name && !g.enabled) return;
    }
  }
  std::string selector = mesh_config_.ingress_selector.empty() ? "ingressgateway" : mesh_config_.ingress_selector;
  auto wanted = [&](Kind k) { return !options.only_kinds || options.only_kinds->count(k); };
  if (wanted(Kind::Pod)) {
    auto pod = std::make_unique<Workload>();
    pod->kind = Kind::Pod;
    pod->api_version = "v1";
    pod->synthetic = true;
    pod->meta.name.value = name + "-dummypod";
    pod->meta.ns.value = options.istio_namespace;
    pod->meta.labels = {{"istio", selector}};
    Container c;
    c.name.value = "istio-proxy";
    pod->containers.push_back(std::move(c));
    out.push_back(std::move(pod));
  }
  if (wanted(Kind::Service)) {
    auto svc = std::make_unique<Service>();
    svc->kind = Kind::Service;
    svc->api_version = "v1";
    svc->synthetic = true;
    svc->meta.name.value = name;
    svc->meta.ns.value = options.istio_namespace;
    svc->selector = Labels{{"istio", selector}};
    const std::pair<uint32_t, const char*> ports[] = {{80, "http2"}, {443, "https"}, {31400, "tcp"}, {15443, "tls"}};
    for (auto [port, pname] : ports) {
      KubeServicePort p;
      p.port = port;
      p.name.value = pname;
      p.protocol.value = "TCP";
      p.protocol_given = true;
      p.target_port = std::to_string(port);
      svc->ports.push_back(std::move(p));
    }
    out.push_back(std::move(svc));
  }
}

void MeshGraph::addOperatorGateways(const GraphOptions& options, std::vector<ResourcePtr>& out) {
  // IstioOperator gateway components become the Deployment and Service the operator would create.
  std::vector<const IstioOperator*> ops;
  for (const ResourcePtr& r : owned_) {
    if (r->kind == Kind::IstioOperator) ops.push_back(static_cast<const IstioOperator*>(r.get()));
  }
  auto wanted = [&](Kind k) { return !options.only_kinds || options.only_kinds->count(k); };
  for (const IstioOperator* op : ops) {
    for (const OperatorGateway& g : op->gateways) {
      if (!g.enabled || g.name.empty()) continue;
      std::string ns = !g.ns.empty() ? g.ns.value : (op->ns().empty() ? options.istio_namespace : op->ns());
      Labels labels = g.egress ? Labels{{"app", "istio-egressgateway"}, {"istio", "egressgateway"}}
                               : Labels{{"app", "istio-ingressgateway"}, {"istio", "ingressgateway"}};
      for (const auto& [k, v] : g.label) labels[k] = v;
      std::string origin = "IstioOperator " + (op->ns().empty() ? "" : op->ns() + "/") + op->name();
      if (wanted(Kind::Deployment)) {
        auto dep = std::make_unique<Workload>();
        dep->kind = Kind::Deployment;
        dep->api_version = "apps/v1";
        dep->synthetic = true;
        dep->span = g.span;
        dep->meta.name = Str{g.name.value, g.name.span};
        dep->meta.ns.value = ns;
        dep->meta.labels = labels;
        dep->pod_labels = labels;
        dep->meta.annotations.emplace("istio-lint.io/generated-from", Str{origin, g.span});
        Container c;
        c.name.value = "istio-proxy";
        c.image.value = "auto";
        dep->containers.push_back(std::move(c));
        out.push_back(std::move(dep));
      }
      if (wanted(Kind::Service)) {
        auto svc = std::make_unique<Service>();
        svc->kind = Kind::Service;
        svc->api_version = "v1";
        svc->synthetic = true;
        svc->span = g.span;
        svc->meta.name = Str{g.name.value, g.name.span};
        svc->meta.ns.value = ns;
        svc->meta.labels = labels;
        svc->meta.annotations = g.service_annotations;
        svc->meta.annotations.emplace("istio-lint.io/generated-from", Str{origin, g.span});
        svc->type = !g.service_type.empty() ? g.service_type : Str{g.egress ? "ClusterIP" : "LoadBalancer", g.span};
        svc->selector = labels;
        svc->ports = g.service_ports;
        if (svc->ports.empty()) {
          std::vector<std::tuple<uint32_t, const char*, const char*>> ports{{80, "http2", "8080"}, {443, "https", "8443"}};
          if (!g.egress) ports.insert(ports.begin(), {15021, "status-port", "15021"});
          for (auto [port, pname, target] : ports) {
            KubeServicePort p;
            p.port = port;
            p.name.value = pname;
            p.protocol.value = "TCP";
            p.protocol_given = true;
            p.target_port = target;
            p.span = g.span;
            svc->ports.push_back(std::move(p));
          }
        }
        out.push_back(std::move(svc));
      }
    }
  }
}

void MeshGraph::index() {
  by_kind_.assign(kKindCount, {});
  all_.reserve(owned_.size());
  for (ResourcePtr& r : owned_) {
    if (r->kind == Kind::Pod) {
      auto& w = static_cast<Workload&>(*r);
      w.pod_labels = w.meta.labels;
      w.pod_annotations = w.meta.annotations;
    }
    all_.push_back(r.get());
    by_kind_[static_cast<size_t>(r->kind)].push_back(r.get());
  }
  // The indexes below are independent in pairs; each pair is built on two cores. Every step
  // writes only its own members and reads resources the graph no longer changes.
  parallel::both(
      [this] {
        by_key_.reserve(owned_.size());
        for (const ResourcePtr& r : owned_) by_key_.emplace(keyOf(*r), r.get());
      },
      [this] {
        for (auto& list : by_kind_) std::sort(list.begin(), list.end(), resourceLess);
      });

  // Selectors and the service registry on one core, routing (which looks Gateways up by key) on
  // the other.
  parallel::both([this] { indexWorkloadsAndRegistry(); }, [this] { indexRouting(); });
}

void MeshGraph::indexWorkloadsAndRegistry() {
  for (Kind k : {Kind::Pod, Kind::Deployment, Kind::StatefulSet, Kind::DaemonSet}) {
    for (const Resource* r : ofKind(k)) workloads_.add(static_cast<const Workload*>(r));
  }
  workloads_.finish();
  const std::string domain = domainSuffix();
  for (const Resource* r : ofKind(Kind::Service)) {
    std::vector<std::string> export_to;
    if (const Str* a = r->annotation("networking.istio.io/exportTo")) {
      size_t start = 0;
      while (start <= a->value.size()) {
        size_t comma = a->value.find(',', start);
        std::string item(trimBlanks(std::string_view(a->value).substr(start, comma - start)));
        if (!item.empty()) export_to.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
    std::string fqdn = r->name() + "." + r->ns() + ".svc." + domain;
    for (std::string& scope : exportScopes(export_to, r->ns())) registry_.add(fqdn, {r, std::move(scope)});
  }
  for (const Resource* r : ofKind(Kind::ServiceEntry)) {
    const auto& se = static_cast<const ServiceEntry&>(*r);
    std::vector<std::string> export_to;
    for (const Str& e : se.export_to) export_to.push_back(e.value);
    std::vector<std::string> scopes = exportScopes(export_to, r->ns());
    for (const Str& h : se.hosts) {
      for (const std::string& scope : scopes) registry_.add(h.value, {r, scope});
    }
  }
}

void MeshGraph::indexRouting() {
  const std::string domain = domainSuffix();
  for (const Resource* r : ofKind(Kind::DestinationRule)) {
    const auto* dr = static_cast<const DestinationRule*>(r);
    destination_rules_.add(host::toFqdn(dr->host.value, dr->ns(), domain), dr);
  }
  for (const Resource* r : ofKind(Kind::VirtualService)) {
    const auto* vs = static_cast<const VirtualService*>(r);
    std::vector<BoundGateway>& bound = vs_gateways_[vs];
    forEachGatewayRef(*vs, [&](const Str& ref, bool top_level) {
      BoundGateway b;
      b.ref = resolveGatewayRef(ref.value, vs->ns(), domain);
      b.at = &ref;
      b.top_level = top_level;
      if (!b.ref.mesh) b.gateway = static_cast<const Gateway*>(find(Kind::Gateway, b.ref.ns, b.ref.name));
      if (b.gateway && top_level) {
        auto& list = gateway_vs_[b.gateway];
        if (list.empty() || list.back() != vs) list.push_back(vs);
      }
      bound.push_back(std::move(b));
    });
  }
}

const std::vector<BoundGateway>& MeshGraph::gatewaysOf(const VirtualService& vs) const {
  static const std::vector<BoundGateway> kNone;
  auto it = vs_gateways_.find(&vs);
  return it == vs_gateways_.end() ? kNone : it->second;
}

const std::vector<const VirtualService*>& MeshGraph::virtualServicesOf(const Gateway& gw) const {
  static const std::vector<const VirtualService*> kNone;
  auto it = gateway_vs_.find(&gw);
  return it == gateway_vs_.end() ? kNone : it->second;
}

const Resource* MeshGraph::find(Kind k, std::string_view ns, std::string_view name) const {
  auto it = by_key_.find(Key{k, ns, name});
  return it == by_key_.end() ? nullptr : it->second;
}

const std::vector<const Resource*>& MeshGraph::findByName(Kind k, std::string_view name) const {
  static const std::vector<const Resource*> kNone;
  const size_t kind = static_cast<size_t>(k);
  std::call_once(by_name_->once[kind], [&] {
    for (const Resource* r : ofKind(k)) by_name_->by_kind[kind][r->name()].push_back(r);  // already sorted
  });
  const auto& names = by_name_->by_kind[kind];
  auto it = names.find(name);
  return it == names.end() ? kNone : it->second;
}

}  // namespace istio_lint::model
