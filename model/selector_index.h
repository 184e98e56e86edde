#pragma once

// label selector → workloads. Workloads are numbered in (namespace, name) order once, when the
// index is finished, so every posting list ("key=value" → ids) is sorted and a namespace is a
// contiguous id range. A query walks the shortest posting list of its pairs (inside the namespace's
// range) and probes the others with a galloping search, so its cost follows the shortest list, not
// the number of workloads, and answers come out already sorted.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/resources/kube.h"

namespace istio_lint::model {

class SelectorIndex {
 public:
  /// Adds a workload; queries need finish() after the last add().
  void add(const Workload* w);
  /// Numbers the workloads in (namespace, name) order (ties keep the order of add()) and builds
  /// the posting lists. MeshGraph calls it once after indexing.
  void finish();

  /// Workloads whose pod labels contain every pair of `selector`, in `ns` (empty: any namespace).
  /// An empty selector selects every workload (of the namespace). Sorted by (namespace, name).
  std::vector<const Workload*> select(const Labels& selector, std::string_view ns = {},
                                      bool any_namespace = true) const;
  /// Whether select() would return anything; stops at the first match.
  bool selectsAny(const Labels& selector, std::string_view ns = {}, bool any_namespace = true) const {
    return forEach(selector, ns, any_namespace, [](const Workload*) { return true; });
  }
  /// Calls `visit(const Workload*)` for what select() would return, in the same order, without
  /// building the vector. `visit` returns true to stop; forEach then returns true.
  template <typename Visit>
  bool forEach(const Labels& selector, std::string_view ns, bool any_namespace, Visit&& visit) const;

  /// Every workload, sorted by (namespace, name).
  const std::vector<const Workload*>& all() const { return all_; }

 private:
  using Posting = std::vector<uint32_t>;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  /// The ids of namespace `ns`: [first, second).
  std::pair<uint32_t, uint32_t> range(std::string_view ns, bool any_namespace) const;
  using IdRange = std::pair<const uint32_t*, const uint32_t*>;
  /// The part inside [lo, hi) of each pair's posting list, shortest first; false when one is empty.
  bool lists(const Labels& selector, uint32_t lo, uint32_t hi, std::vector<IdRange>& out) const;
  /// Advances `r.first` to the first id >= `id` (galloping: ids are probed in ascending order, so
  /// the cost is logarithmic in the distance moved); whether it is `id`.
  static bool gallop(IdRange& r, uint32_t id) {
    const uint32_t* p = r.first;
    const uint32_t* end = r.second;
    if (p == end || *p >= id) return p != end && *p == id;
    size_t step = 1;
    while (step < static_cast<size_t>(end - p) && p[step] < id) step *= 2;
    const uint32_t* hi = step < static_cast<size_t>(end - p) ? p + step + 1 : end;
    r.first = std::lower_bound(p + step / 2, hi, id);
    return r.first != end && *r.first == id;
  }

  std::vector<const Workload*> all_;
  std::unordered_map<std::string, Posting, Hash, std::equal_to<>> postings_;
  bool finished_ = true;  // an empty index is finished
};

template <typename Visit>
bool SelectorIndex::forEach(const Labels& selector, std::string_view ns, bool any_namespace, Visit&& visit) const {
  auto [lo, hi] = range(ns, any_namespace);
  if (lo >= hi) return false;
  if (selector.empty()) {
    for (uint32_t id = lo; id < hi; ++id) {
      if (visit(all_[id])) return true;
    }
    return false;
  }
  // Each pair's ids inside [lo, hi); the shortest drives, the others are probed.
  std::vector<IdRange> ranges;
  if (!lists(selector, lo, hi, ranges)) return false;
  for (const uint32_t* p = ranges[0].first; p != ranges[0].second; ++p) {
    bool all = true;
    for (size_t i = 1; i < ranges.size() && all; ++i) {
      if (!gallop(ranges[i], *p)) {
        if (ranges[i].first == ranges[i].second) return false;  // no larger id can match either
        all = false;
      }
    }
    if (all && visit(all_[*p])) return true;
  }
  return false;
}

}  // namespace istio_lint::model
