#pragma once

// Longest-affix lookup, the way Envoy finds wildcard virtual hosts: one hash map per affix length,
// probed from the longest length down, so a lookup costs one probe per distinct length instead of
// a scan over every wildcard.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace istio_lint::simulate {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

enum class Affix : uint8_t { Suffix, Prefix };

template <Affix Kind>
class AffixIndex {
 public:
  void clear() { groups_.clear(); }

  /// Adds an affix; the first value added for an affix keeps it. Call finish() when done.
  void add(std::string_view affix, uint32_t value) {
    auto it = std::find_if(groups_.begin(), groups_.end(), [&](const Group& g) { return g.length == affix.size(); });
    if (it == groups_.end()) it = groups_.insert(groups_.end(), Group{affix.size(), {}});
    it->values.emplace(std::string(affix), value);
  }

  void finish() {
    std::sort(groups_.begin(), groups_.end(), [](const Group& a, const Group& b) { return a.length > b.length; });
  }

  /// The value of the longest affix of `s` that is strictly shorter than `s`.
  std::optional<uint32_t> find(std::string_view s) const {
    for (const Group& g : groups_) {
      if (g.length >= s.size()) continue;
      std::string_view part = Kind == Affix::Suffix ? s.substr(s.size() - g.length) : s.substr(0, g.length);
      if (auto it = g.values.find(part); it != g.values.end()) return it->second;
    }
    return std::nullopt;
  }

  bool empty() const { return groups_.empty(); }

 private:
  struct Group {
    size_t length;
    StringMap<uint32_t> values;
  };
  std::vector<Group> groups_;  // longest first after finish()
};

}  // namespace istio_lint::simulate
