#pragma once

// Host → entries, the Envoy way: an exact hash map plus wildcard suffixes bucketed by length,
// longest first. A lookup costs one hash probe plus one per distinct wildcard length, never a scan
// of all hosts.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace istio_lint::model {

template <typename T>
class HostIndex {
 public:
  void add(std::string_view host, T value) {
    if (!host.empty() && host[0] == '*') {
      std::string suffix(host.substr(1));  // "*.foo.com" -> ".foo.com", "*" -> ""
      wild_[suffix.size()][suffix].push_back(std::move(value));
    } else {
      exact_[std::string(host)].push_back(std::move(value));
    }
  }

  /// Entries registered for exactly this name (wildcards included verbatim, e.g. "*.foo.com").
  const std::vector<T>* exact(std::string_view host) const {
    if (!host.empty() && host[0] == '*') {
      std::string_view suffix = host.substr(1);
      auto b = wild_.find(suffix.size());
      if (b == wild_.end()) return nullptr;
      auto it = b->second.find(std::string(suffix));
      return it == b->second.end() ? nullptr : &it->second;
    }
    auto it = exact_.find(std::string(host));
    return it == exact_.end() ? nullptr : &it->second;
  }

  /// Calls fn for the entries of each wildcard that covers the concrete `host`, most specific
  /// (longest suffix) first. fn returns false to stop.
  void forEachWildcardCovering(std::string_view host, const std::function<bool(const std::vector<T>&)>& fn) const {
    for (const auto& [len, bucket] : wild_) {
      if (len > host.size()) continue;
      auto it = bucket.find(std::string(host.substr(host.size() - len)));
      if (it != bucket.end() && !fn(it->second)) return;
    }
  }

  /// Most specific match for a concrete host: exact, else the longest covering wildcard.
  const std::vector<T>* lookup(std::string_view host) const {
    if (const auto* e = exact(host)) return e;
    const std::vector<T>* found = nullptr;
    forEachWildcardCovering(host, [&](const std::vector<T>& v) {
      found = &v;
      return false;
    });
    return found;
  }

  bool empty() const { return exact_.empty() && wild_.empty(); }

 private:
  std::unordered_map<std::string, std::vector<T>> exact_;
  std::map<size_t, std::unordered_map<std::string, std::vector<T>>, std::greater<>> wild_;
};

}  // namespace istio_lint::model
