#include "model/gateway_inventory.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <tuple>

#include "model/ascii.h"
#include "model/mesh_graph.h"

namespace istio_lint::model {
namespace {

constexpr std::string_view kRevLabel = "istio.io/rev";
constexpr std::string_view kTagLabel = "istio.io/tag";
constexpr std::string_view kTemplatesAnnotation = "inject.istio.io/templates";
constexpr std::string_view kInjectLabel = "sidecar.istio.io/inject";
constexpr std::string_view kGeneratedFrom = "istio-lint.io/generated-from";

const std::string* label(const Labels& l, std::string_view key) {
  auto it = l.find(std::string(key));
  return it == l.end() ? nullptr : &it->second;
}

bool subsetOf(const Labels& want, const Labels& have) {
  for (const auto& [k, v] : want) {
    auto it = have.find(k);
    if (it == have.end() || it->second != v) return false;
  }
  return true;
}

/// The labels a workload's pods carry (a Pod's own, a controller's template).
const Labels& podLabels(const Workload& w) { return w.pod_labels; }

bool listsGatewayTemplate(std::string_view templates) {
  size_t start = 0;
  while (start <= templates.size()) {
    size_t comma = templates.find(',', start);
    std::string_view item = templates.substr(start, comma == std::string_view::npos ? templates.npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == "gateway") return true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

/// Why a declared workload is a gateway, if it is one by its own labels and annotations.
std::optional<GatewaySource> ownSource(const Workload& w) {
  auto a = w.pod_annotations.find(std::string(kTemplatesAnnotation));
  if (a != w.pod_annotations.end() && listsGatewayTemplate(a->second.value)) return GatewaySource::InjectionTemplate;
  if (const std::string* chart = label(w.meta.labels, "helm.sh/chart")) {
    if (chart->starts_with("gateway-") || chart->starts_with("istio-ingress") || chart->starts_with("istio-egress")) {
      return GatewaySource::HelmChart;
    }
  }
  const Labels& l = podLabels(w);
  if (const std::string* istio = label(l, "istio"); istio != nullptr && istio->ends_with("gateway")) {
    return GatewaySource::GatewayLabel;
  }
  if (const std::string* app = label(l, "app");
      app != nullptr && (*app == "istio-ingressgateway" || *app == "istio-egressgateway")) {
    return GatewaySource::GatewayLabel;
  }
  return std::nullopt;
}

bool looksEgress(const Workload& w) {
  for (const char* key : {"istio", "app", "app.kubernetes.io/name"}) {
    if (const std::string* v = label(podLabels(w), key); v != nullptr && v->find("egress") != std::string::npos) {
      return true;
    }
  }
  return w.name().find("egress") != std::string::npos;
}

bool isIstiod(const Workload& w) {
  if (w.synthetic) return false;
  const std::string* app = label(w.meta.labels, "app");
  if (app == nullptr) app = label(podLabels(w), "app");
  return (app != nullptr && *app == "istiod") || w.name() == "istiod" || w.name().starts_with("istiod-");
}

int exposureRank(Exposure e) { return static_cast<int>(e); }

}  // namespace

std::string_view exposureName(Exposure e) {
  switch (e) {
    case Exposure::Unknown: return "unknown";
    case Exposure::ClusterOnly: return "cluster-internal";
    case Exposure::NodePort: return "NodePort";
    case Exposure::Internal: return "internal";
    case Exposure::Public: return "public";
  }
  return "unknown";
}

std::string_view gatewaySourceName(GatewaySource s) {
  switch (s) {
    case GatewaySource::OperatorComponent: return "IstioOperator component";
    case GatewaySource::AssumedDefault: return "assumed default ingress gateway";
    case GatewaySource::InjectionTemplate: return "gateway injection template";
    case GatewaySource::HelmChart: return "Helm gateway chart";
    case GatewaySource::GatewayLabel: return "gateway labels";
    case GatewaySource::SelectedByGateway: return "selected by a Gateway";
  }
  return "";
}

std::string internalLoadBalancerAnnotation(const Service& svc) {
  // key, the values that mean internal (empty: any value but "false").
  struct Rule {
    std::string_view key;
    std::vector<std::string_view> values;
  };
  static const std::vector<Rule> kRules = {
      {"service.beta.kubernetes.io/aws-load-balancer-internal", {}},                 // AWS (in-tree)
      {"service.beta.kubernetes.io/aws-load-balancer-scheme", {"internal"}},         // AWS LB controller
      {"networking.gke.io/load-balancer-type", {"internal"}},                        // GCP
      {"cloud.google.com/load-balancer-type", {"internal"}},                         // GCP (legacy)
      {"service.beta.kubernetes.io/azure-load-balancer-internal", {"true"}},         // Azure
      {"service.beta.kubernetes.io/oci-load-balancer-internal", {"true"}},           // Oracle
      {"service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type", {"private"}},  // IBM
      {"service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type", {"intranet"}},  // Alibaba
      {"service.beta.kubernetes.io/openstack-internal-load-balancer", {"true"}},     // OpenStack
  };
  for (const Rule& rule : kRules) {
    const Str* v = svc.annotation(std::string(rule.key));
    if (v == nullptr) continue;
    std::string value = asciiLower(v->value);
    bool internal = rule.values.empty()
                        ? value != "false" && !value.empty()
                        : std::find(rule.values.begin(), rule.values.end(), value) != rule.values.end();
    if (internal) return std::string(rule.key);
  }
  return "";
}

Exposure serviceExposure(const Service& svc) {
  if (svc.type.value == "LoadBalancer") {
    return internalLoadBalancerAnnotation(svc).empty() ? Exposure::Public : Exposure::Internal;
  }
  if (svc.type.value == "NodePort") return Exposure::NodePort;
  return Exposure::ClusterOnly;
}

std::shared_ptr<const GatewayInventory> GatewayInventory::build(const MeshGraph& g) {
  auto inv = std::make_shared<GatewayInventory>();
  std::vector<GatewayWorkload>& out = inv->gateways_;

  // Candidates: controllers first, so that their Pods can be folded into them.
  std::map<const Workload*, GatewaySource> candidates;
  for (Kind k : {Kind::Deployment, Kind::StatefulSet, Kind::DaemonSet, Kind::Pod}) {
    for (const Resource* r : g.ofKind(k)) {
      const auto* w = static_cast<const Workload*>(r);
      if (isIstiod(*w)) continue;
      if (w->synthetic) {
        if (w->annotation(std::string(kGeneratedFrom)) != nullptr) {
          candidates.emplace(w, GatewaySource::OperatorComponent);
        } else if (k == Kind::Pod) {
          candidates.emplace(w, GatewaySource::AssumedDefault);
        }
        continue;
      }
      if (auto s = ownSource(*w)) candidates.emplace(w, *s);
    }
  }
  for (const Gateway* gw : g.typed<Gateway>(Kind::Gateway)) {
    if (gw->selector.empty()) continue;  // an empty selector picks every workload: no evidence
    for (const Workload* w : g.workloads().select(gw->selector)) {
      if (!isIstiod(*w)) candidates.emplace(w, GatewaySource::SelectedByGateway);
    }
  }

  // Operator components: map the generated Deployment back to its component.
  std::map<const Workload*, std::pair<const IstioOperator*, const OperatorGateway*>> components;
  for (const Resource* r : g.ofKind(Kind::IstioOperator)) {
    const auto* op = static_cast<const IstioOperator*>(r);
    for (const OperatorGateway& c : op->gateways) {
      if (!c.enabled || c.name.empty()) continue;
      std::string ns = !c.ns.empty() ? c.ns.value : (op->ns().empty() ? "istio-system" : op->ns());
      const Resource* dep = g.find(Kind::Deployment, ns, c.name.value);
      if (dep != nullptr && dep->synthetic) components[static_cast<const Workload*>(dep)] = {op, &c};
    }
  }

  // Services by namespace, Namespaces' revision labels, HPAs by target.
  std::map<std::string, std::vector<const Service*>> services;
  for (const Resource* r : g.ofKind(Kind::Service)) {
    const auto* s = static_cast<const Service*>(r);
    if (s->selector && !s->selector->empty()) services[s->ns()].push_back(s);
  }
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<const HorizontalPodAutoscaler*>> hpas;
  for (const Resource* r : g.ofKind(Kind::HorizontalPodAutoscaler)) {
    const auto* h = dynamic_cast<const HorizontalPodAutoscaler*>(r);
    if (h != nullptr) hpas[{h->ns(), h->target_kind.value, h->target_name.value}].push_back(h);
  }
  std::map<std::string, std::vector<const PodDisruptionBudget*>> pdbs;
  for (const Resource* r : g.ofKind(Kind::PodDisruptionBudget)) {
    const auto* p = dynamic_cast<const PodDisruptionBudget*>(r);
    if (p != nullptr && p->match_labels && !p->match_labels->empty()) pdbs[p->ns()].push_back(p);
  }

  // Pods owned by a candidate controller of their namespace (they carry every label of its pod
  // template) are represented by it, whether or not they look like gateways themselves.
  std::map<const Workload*, const Workload*> owner_of;
  for (const auto& [w, s] : candidates) {
    if (w->kind == Kind::Pod || podLabels(*w).empty()) continue;
    for (const Workload* pod : g.workloads().select(podLabels(*w))) {
      if (pod->kind == Kind::Pod && pod->ns() == w->ns() && !pod->synthetic) owner_of.emplace(pod, w);
    }
  }

  for (const auto& [w, source] : candidates) {
    if (owner_of.count(w)) continue;
    GatewayWorkload e;
    e.workload = w;
    e.source = source;
    if (auto it = components.find(w); it != components.end()) {
      e.op = it->second.first;
      e.component = it->second.second;
      e.source = GatewaySource::OperatorComponent;
    }
    e.egress = e.component != nullptr ? e.component->egress : looksEgress(*w);
    auto a = w->pod_annotations.find(std::string(kTemplatesAnnotation));
    e.injection_template = a != w->pod_annotations.end() && listsGatewayTemplate(a->second.value);
    const std::string* inject = label(podLabels(*w), kInjectLabel);
    e.inject_label = inject != nullptr && *inject == "true";
    if (const std::string* rev = label(podLabels(*w), kRevLabel)) {
      e.revision = *rev;
      e.revision_span = w->revision_label_span;
    } else if (const std::string* mrev = label(w->meta.labels, kRevLabel)) {
      e.revision = *mrev;
      e.revision_span = w->revision_label_span;
    } else if (e.op != nullptr && !e.op->revision.empty()) {
      e.revision = e.op->revision.value;
      e.revision_span = e.op->revision.span;
    } else if (const Resource* ns = g.find(Kind::Namespace, "", w->ns())) {
      if (const std::string* nrev = label(ns->meta.labels, kRevLabel)) {
        e.revision = *nrev;
        e.revision_span = ns->meta.labels_span;
      }
    }
    if (auto it = services.find(w->ns()); it != services.end() && source != GatewaySource::AssumedDefault) {
      for (const Service* s : it->second) {
        if (!subsetOf(*s->selector, podLabels(*w))) continue;
        GatewayService gs{s, serviceExposure(*s), internalLoadBalancerAnnotation(*s)};
        if (exposureRank(gs.exposure) > exposureRank(e.exposure)) e.exposure = gs.exposure;
        e.services.push_back(std::move(gs));
      }
    }
    if (auto it = hpas.find({w->ns(), std::string(kindName(w->kind)), w->name()}); it != hpas.end()) {
      e.autoscalers = it->second;
    }
    if (auto it = pdbs.find(w->ns()); it != pdbs.end()) {
      for (const PodDisruptionBudget* p : it->second) {
        if (subsetOf(*p->match_labels, podLabels(*w))) e.disruption_budgets.push_back(p);
      }
    }
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(), [](const GatewayWorkload& a, const GatewayWorkload& b) {
    return std::make_tuple(a.workload->ns(), a.workload->name(), a.workload->kind) <
           std::make_tuple(b.workload->ns(), b.workload->name(), b.workload->kind);
  });
  for (size_t i = 0; i < out.size(); ++i) inv->index_[out[i].workload] = i;
  for (const auto& [pod, owner] : owner_of) inv->index_[pod] = inv->index_.at(owner);

  // Control planes and the revisions they provide.
  auto addRevision = [&](const std::string& name, const Resource* from, const std::string& tag_of = "") {
    inv->revisions_.try_emplace(name.empty() ? "default" : name, Revision{name.empty() ? "default" : name, tag_of, from});
  };
  for (Kind k : {Kind::Deployment, Kind::Pod}) {
    for (const Resource* r : g.ofKind(k)) {
      const auto* w = static_cast<const Workload*>(r);
      if (!isIstiod(*w)) continue;
      inv->control_planes_.push_back(w);
      const std::string* rev = label(w->meta.labels, kRevLabel);
      if (rev == nullptr) rev = label(podLabels(*w), kRevLabel);
      addRevision(rev ? *rev : (w->name().starts_with("istiod-") ? w->name().substr(7) : ""), w);
    }
  }
  for (const Resource* r : g.ofKind(Kind::IstioOperator)) {
    const auto* op = static_cast<const IstioOperator*>(r);
    if (!op->installsControlPlane()) continue;
    inv->control_planes_.push_back(op);
    addRevision(op->revision.value, op);
  }
  for (const Resource* r : g.ofKind(Kind::MutatingWebhookConfiguration)) {
    const std::string* rev = label(r->meta.labels, kRevLabel);
    const std::string* tag = label(r->meta.labels, kTagLabel);
    bool injector = r->name().starts_with("istio-sidecar-injector") || r->name().starts_with("istio-revision-tag-");
    if (!injector && rev == nullptr) continue;
    inv->control_planes_.push_back(r);
    if (tag != nullptr) {
      addRevision(*tag, r, rev ? *rev : "default");
    } else {
      addRevision(rev ? *rev : "", r);
    }
  }
  for (const Resource* r : g.ofKind(Kind::ConfigMap)) {
    const std::string& n = r->name();
    if (n != "istio-sidecar-injector" && !n.starts_with("istio-sidecar-injector-")) continue;
    inv->control_planes_.push_back(r);
    addRevision(n.size() > 23 ? n.substr(23) : "", r);
  }
  return inv;
}

const GatewayWorkload* GatewayInventory::find(const Workload& w) const {
  auto it = index_.find(&w);
  return it == index_.end() ? nullptr : &gateways_[it->second];
}

std::vector<const GatewayWorkload*> GatewayInventory::forGateway(const MeshGraph& g, const Gateway& gw) const {
  std::vector<const GatewayWorkload*> out;
  std::set<const GatewayWorkload*> seen;
  for (const Workload* w : g.workloads().select(gw.selector)) {
    const GatewayWorkload* e = find(*w);
    if (e != nullptr && seen.insert(e).second) out.push_back(e);
  }
  return out;
}

Exposure GatewayInventory::exposureOf(const MeshGraph& g, const Gateway& gw) const {
  Exposure best = Exposure::Unknown;
  for (const GatewayWorkload* e : forGateway(g, gw)) {
    if (e->declared() && exposureRank(e->exposure) > exposureRank(best)) best = e->exposure;
  }
  return best;
}

}  // namespace istio_lint::model
