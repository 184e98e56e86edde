// Unknown-field detection: Istio rejects fields its protobuf schema does not have, and a typo such
// as `gateway:` for `gateways:` silently changes what a resource means.

#include <algorithm>

#include "model/decode/reader.h"
#include "model/edit_distance.h"

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
      size_t d = editDistance(key, want, LetterCase::Insensitive);
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
