#include <algorithm>
#include <cctype>

#include "cli/commands.h"

namespace istio_lint::cli {
namespace {

size_t editDistance(std::string_view a, std::string_view b) {
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

std::vector<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates) {
  size_t best = std::max<size_t>(2, word.size() / 3) + 1;
  std::vector<std::string> out;
  for (const std::string& c : candidates) {
    size_t d = editDistance(word, c);
    if (d < best) {
      best = d;
      out = {c};
    } else if (d == best && !out.empty()) {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace istio_lint::cli
