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

PromptModels::Entry PromptModels::enter(const EntryPoint& entry, std::string& error) {
  if (entry.kind == EntryPoint::Kind::Gateway) return {base_.get(), entryProxy(*base_, entry, error)};
  if (const simulate::Proxy* p = base_->sidecarProxy(entry.ns, entry.name)) return {base_.get(), p};
  const std::string name = entry.text();
  if (!std::binary_search(sidecars_.begin(), sidecars_.end(), name)) {
    const simulate::Proxy* gw = base_->proxy(name);
    if (gw != nullptr && gw->id.type == simulate::ProxyIdentity::Type::Gateway) {
      error = name + " is a gateway workload, it has no sidecar: enter with `via NS/GATEWAY`";
      return {};
    }
    return {base_.get(), entryProxy(*base_, entry, error)};  // not in the inputs: the message
  }
  for (auto it = cache_.begin(); it != cache_.end(); ++it) {
    if (it->first != name) continue;
    cache_.splice(cache_.begin(), cache_, it);
    return {it->second.get(), it->second->sidecarProxy(entry.ns, entry.name)};
  }
  simulate::ModelOptions mo = options_;
  mo.sidecars = std::vector<std::string>{name};
  cache_.emplace_front(name, simulate::RoutingModel::build(graph_, mo));
  ++compiled_;
  if (cache_.size() > kMaxSidecarModels) cache_.pop_back();
  const simulate::RoutingModel& m = *cache_.front().second;
  const simulate::Proxy* p = m.sidecarProxy(entry.ns, entry.name);
  if (p == nullptr) error = "the sidecar of " + name + " could not be compiled";
  return {&m, p};
}

}  // namespace istio_lint::cli
