#include <algorithm>
#include <cctype>

#include "cli/commands.h"
#include "model/edit_distance.h"

namespace istio_lint::cli {
namespace {

}  // namespace

std::vector<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates) {
  size_t best = std::max<size_t>(2, word.size() / 3) + 1;
  std::vector<std::string> out;
  for (const std::string& c : candidates) {
    size_t d = model::editDistance(word, c, model::LetterCase::Insensitive);
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
