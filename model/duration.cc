#include "model/duration.h"

namespace istio_lint::model {
namespace {

/// Microseconds per unit; 0 for an unknown unit. Nanoseconds count as a thousandth.
double unitMicros(std::string_view u) {
  if (u == "h") return 3600e6;
  if (u == "m") return 60e6;
  if (u == "s") return 1e6;
  if (u == "ms") return 1e3;
  if (u == "us" || u == "\xc2\xb5s" || u == "\xce\xbcs") return 1;
  if (u == "ns") return 1e-3;
  return 0;
}

}  // namespace

std::optional<int64_t> parseDurationMicros(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s == "0") return 0;
  constexpr double kMax = 100.0 * 365 * 24 * 3600e6;
  double total = 0;
  size_t i = 0;
  while (i < s.size()) {
    // A number: digits, optionally a fraction.
    double whole = 0, frac = 0, scale = 1;
    bool digits = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      whole = whole * 10 + (s[i++] - '0');
      digits = true;
      if (whole > kMax) return std::nullopt;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        scale /= 10;
        frac += (s[i++] - '0') * scale;
        digits = true;
      }
    }
    if (!digits) return std::nullopt;
    size_t u = i;
    while (i < s.size() && !(s[i] >= '0' && s[i] <= '9') && s[i] != '.') ++i;
    double per = unitMicros(s.substr(u, i - u));
    if (per == 0) return std::nullopt;
    total += (whole + frac) * per;
    if (total > kMax) return std::nullopt;
  }
  return static_cast<int64_t>(total + 0.5);
}

}  // namespace istio_lint::model
