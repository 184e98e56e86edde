#pragma once

// Levenshtein distance, for "did you mean" suggestions (fields, codes, annotations, commands).

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

namespace istio_lint::model {

enum class LetterCase { Sensitive, Insensitive };

/// Insertions, deletions and substitutions that turn `a` into `b` (two rows, O(|a|·|b|) time).
inline size_t editDistance(std::string_view a, std::string_view b, LetterCase letter_case = LetterCase::Sensitive) {
  auto same = [letter_case](char x, char y) {
    if (letter_case == LetterCase::Sensitive) return x == y;
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  };
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace istio_lint::model
