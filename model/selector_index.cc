#include "model/selector_index.h"

#include <algorithm>
#include <stdexcept>
#include <tuple>

namespace istio_lint::model {
namespace {

void pairKey(std::string& out, std::string_view k, std::string_view v) {
  out.assign(k);
  out += '\x1f';
  out += v;
}

}  // namespace

void SelectorIndex::add(const Workload* w) {
  all_.push_back(w);
  finished_ = false;
}

void SelectorIndex::finish() {
  std::stable_sort(all_.begin(), all_.end(), [](const Workload* a, const Workload* b) {
    return std::tie(a->ns(), a->name()) < std::tie(b->ns(), b->name());
  });
  postings_.clear();
  std::string key;
  for (uint32_t id = 0; id < all_.size(); ++id) {
    for (const auto& [k, v] : all_[id]->pod_labels) {
      pairKey(key, k, v);
      auto it = postings_.find(std::string_view(key));
      if (it == postings_.end()) it = postings_.emplace(key, Posting{}).first;
      it->second.push_back(id);  // ascending: ids are visited in order
    }
  }
  finished_ = true;
}

std::pair<uint32_t, uint32_t> SelectorIndex::range(std::string_view ns, bool any_namespace) const {
  if (!finished_) throw std::logic_error("SelectorIndex queried before finish()");
  if (any_namespace) return {0, static_cast<uint32_t>(all_.size())};
  auto b = std::lower_bound(all_.begin(), all_.end(), ns,
                            [](const Workload* w, std::string_view n) { return std::string_view(w->ns()) < n; });
  auto e = std::upper_bound(b, all_.end(), ns,
                            [](std::string_view n, const Workload* w) { return n < std::string_view(w->ns()); });
  return {static_cast<uint32_t>(b - all_.begin()), static_cast<uint32_t>(e - all_.begin())};
}

bool SelectorIndex::lists(const Labels& selector, uint32_t lo, uint32_t hi, std::vector<IdRange>& out) const {
  std::string key;
  out.reserve(selector.size());
  for (const auto& [k, v] : selector) {
    pairKey(key, k, v);
    auto it = postings_.find(std::string_view(key));
    if (it == postings_.end()) return false;
    const Posting& p = it->second;
    const uint32_t* b = std::lower_bound(p.data(), p.data() + p.size(), lo);
    const uint32_t* e = std::lower_bound(b, p.data() + p.size(), hi);
    if (b == e) return false;
    out.emplace_back(b, e);
  }
  std::sort(out.begin(), out.end(), [](const IdRange& a, const IdRange& b) {
    return a.second - a.first < b.second - b.first;
  });
  return true;
}

std::vector<const Workload*> SelectorIndex::select(const Labels& selector, std::string_view ns,
                                                   bool any_namespace) const {
  std::vector<const Workload*> out;
  forEach(selector, ns, any_namespace, [&](const Workload* w) {
    out.push_back(w);
    return false;
  });
  return out;
}

}  // namespace istio_lint::model
