// Unknown-field detection: Istio rejects fields its protobuf schema does not have, and a typo such
// as `gateway:` for `gateways:` silently changes what a resource means.

#include <algorithm>

#include "model/decode/reader.h"

namespace istio_lint::model::decode {
namespace {

std::string snake(std::string_view camel) {
  std::string out;
  for (char c : camel) {
    if (c >= 'A' && c <= 'Z') {
      out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

size_t distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

void Reader::known(const Node& n, std::initializer_list<std::string_view> keys) {
  if (!n.isMap()) return;
  for (uint32_t i = 0; i < n.size; ++i) {
    const Node& k = n.key(i);
    std::string_view key = k.text;
    bool ok = std::any_of(keys.begin(), keys.end(), [&](std::string_view want) {
      return want == key || (key.find('_') != std::string_view::npos && snake(want) == key);
    });
    if (ok) continue;
    std::string_view best;
    size_t best_d = std::max<size_t>(2, key.size() / 3) + 1;
    for (std::string_view want : keys) {
      size_t d = distance(key, want);
      if (d < best_d) {
        best_d = d;
        best = want;
      }
    }
    std::string msg = "unknown field \"" + std::string(key) + "\"";
    if (!best.empty()) msg += "; did you mean \"" + std::string(best) + "\"?";
    issue(k, msg);
  }
}

}  // namespace istio_lint::model::decode
