#include "cli/prompt_models.h"

#include <algorithm>

#include "cli/simulate_output.h"

namespace istio_lint::cli {

PromptModels::PromptModels(const model::MeshGraph& graph, const std::optional<std::string>& first,
                           simulate::ModelOptions options)
    : graph_(graph), options_(std::move(options)) {
  simulate::ModelOptions mo = options_;
  mo.sidecars = std::vector<std::string>{};
  if (first) mo.sidecars->push_back(*first);
  base_ = simulate::RoutingModel::build(graph, mo);
  for (const model::Workload* w : graph.workloads().all()) {
    std::string name = w->ns() + "/" + w->name();
    const simulate::Proxy* p = base_->proxy(name);
    if (p != nullptr && p->id.type == simulate::ProxyIdentity::Type::Gateway) continue;
    sidecars_.push_back(std::move(name));
  }
  std::sort(sidecars_.begin(), sidecars_.end());
  sidecars_.erase(std::unique(sidecars_.begin(), sidecars_.end()), sidecars_.end());
}

size_t PromptModels::gatewayCount() const {
  return static_cast<size_t>(std::count_if(base_->proxies().begin(), base_->proxies().end(), [](const auto& p) {
    return p->id.type == simulate::ProxyIdentity::Type::Gateway;
  }));
}

bool PromptModels::isGatewayWorkload(const std::string& name, std::string& error) const {
  const simulate::Proxy* gw = base_->proxy(name);
  if (gw == nullptr || gw->id.type != simulate::ProxyIdentity::Type::Gateway) return false;
  error = name + " is a gateway workload, it has no sidecar: enter with `via NS/GATEWAY`";
  return true;
}

bool PromptModels::isSidecar(const EntryPoint& workload, std::string& error) const {
  const std::string name = workload.text();
  if (std::binary_search(sidecars_.begin(), sidecars_.end(), name)) return true;
  if (!isGatewayWorkload(name, error)) {
    entryProxy(*base_, EntryPoint{EntryPoint::Kind::Sidecar, workload.ns, workload.name}, error);  // the message
  }
  return false;
}

const simulate::RoutingModel& PromptModels::sidecarModel(const std::vector<std::string>& names) {
  std::string key;
  for (const std::string& n : names) key += (key.empty() ? "" : " ") + n;
  for (auto it = cache_.begin(); it != cache_.end(); ++it) {
    if (it->first != key) continue;
    cache_.splice(cache_.begin(), cache_, it);
    return *cache_.front().second;
  }
  simulate::ModelOptions mo = options_;
  mo.sidecars = names;
  cache_.emplace_front(key, simulate::RoutingModel::build(graph_, mo));
  ++compiled_;
  if (cache_.size() > kMaxSidecarModels) cache_.pop_back();
  return *cache_.front().second;
}

PromptModels::Entry PromptModels::enter(const EntryPoint& entry, std::string& error,
                                        const std::optional<EntryPoint>& deliver_to) {
  const std::string name = entry.text();
  if (deliver_to) {
    const std::string to = deliver_to->text();
    if (!isSidecar(*deliver_to, error)) return {nullptr, nullptr, nullptr, true};
    if (entry.kind != EntryPoint::Kind::Gateway && !isSidecar(entry, error)) return {};
    // A model with the destination's sidecar (and the entry's, for a sidecar entry); the base
    // model when it already holds them.
    const simulate::RoutingModel* m = base_.get();
    if (base_->sidecarProxy(deliver_to->ns, deliver_to->name) == nullptr ||
        (entry.kind != EntryPoint::Kind::Gateway && base_->sidecarProxy(entry.ns, entry.name) == nullptr)) {
      std::vector<std::string> names{to};
      if (entry.kind != EntryPoint::Kind::Gateway && name != to) names.push_back(name);
      std::sort(names.begin(), names.end());
      m = &sidecarModel(names);
    }
    const simulate::Proxy* start =
        entry.kind == EntryPoint::Kind::Gateway ? entryProxy(*m, entry, error) : m->sidecarProxy(entry.ns, entry.name);
    if (start == nullptr && error.empty()) error = "the sidecar of " + name + " could not be compiled";
    return {m, start, m->sidecarProxy(deliver_to->ns, deliver_to->name)};
  }
  if (entry.kind == EntryPoint::Kind::Gateway) return {base_.get(), entryProxy(*base_, entry, error)};
  if (const simulate::Proxy* p = base_->sidecarProxy(entry.ns, entry.name)) return {base_.get(), p};
  if (!std::binary_search(sidecars_.begin(), sidecars_.end(), name)) {
    if (isGatewayWorkload(name, error)) return {};
    return {base_.get(), entryProxy(*base_, entry, error)};  // not in the inputs: the message
  }
  const simulate::RoutingModel& m = sidecarModel({name});
  const simulate::Proxy* p = m.sidecarProxy(entry.ns, entry.name);
  if (p == nullptr) error = "the sidecar of " + name + " could not be compiled";
  return {&m, p};
}

}  // namespace istio_lint::cli
