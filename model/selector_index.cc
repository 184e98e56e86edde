#include "model/selector_index.h"

#include <algorithm>

namespace istio_lint::model {

void SelectorIndex::add(const Workload* w) {
  uint32_t id = static_cast<uint32_t>(all_.size());
  all_.push_back(w);
  for (const auto& [k, v] : w->pod_labels) postings_[pairKey(k, v)].push_back(id);
}

std::vector<const Workload*> SelectorIndex::select(const Labels& selector, std::string_view ns,
                                                   bool any_namespace) const {
  std::vector<uint32_t> ids;
  if (selector.empty()) {
    ids.resize(all_.size());
    for (uint32_t i = 0; i < ids.size(); ++i) ids[i] = i;
  } else {
    std::vector<const std::vector<uint32_t>*> lists;
    for (const auto& [k, v] : selector) {
      auto it = postings_.find(pairKey(k, v));
      if (it == postings_.end()) return {};
      lists.push_back(&it->second);
    }
    std::sort(lists.begin(), lists.end(), [](auto* a, auto* b) { return a->size() < b->size(); });
    ids = *lists[0];
    for (size_t i = 1; i < lists.size() && !ids.empty(); ++i) {
      std::vector<uint32_t> next;
      std::set_intersection(ids.begin(), ids.end(), lists[i]->begin(), lists[i]->end(),
                            std::back_inserter(next));
      ids.swap(next);
    }
  }
  std::vector<const Workload*> out;
  for (uint32_t id : ids) {
    if (!any_namespace && all_[id]->ns() != ns) continue;
    out.push_back(all_[id]);
  }
  std::sort(out.begin(), out.end(), [](const Workload* a, const Workload* b) {
    return std::tie(a->ns(), a->name()) < std::tie(b->ns(), b->name());
  });
  return out;
}

}  // namespace istio_lint::model
