#pragma once

// label selector → workloads. Postings per "key=value"; a selector intersects the postings of its
// pairs, starting from the shortest, so the cost follows the answer, not the number of workloads.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/resources/kube.h"

namespace istio_lint::model {

class SelectorIndex {
 public:
  void add(const Workload* w);
  /// Workloads whose pod labels contain every pair of `selector`, in `ns` (empty: any namespace).
  /// An empty selector selects every workload (of the namespace). Sorted by (namespace, name).
  std::vector<const Workload*> select(const Labels& selector, std::string_view ns = {},
                                      bool any_namespace = true) const;
  const std::vector<const Workload*>& all() const { return all_; }

 private:
  static std::string pairKey(const std::string& k, const std::string& v) { return k + '\x1f' + v; }
  std::vector<const Workload*> all_;
  std::unordered_map<std::string, std::vector<uint32_t>> postings_;
};

}  // namespace istio_lint::model
