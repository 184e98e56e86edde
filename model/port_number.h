#pragma once

// A port number written as text (a map key, a log's address, a command-line value).

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace istio_lint::model {

/// `s` as a port number: decimal digits only, 1-65535; nullopt otherwise.
inline std::optional<uint32_t> parsePortNumber(std::string_view s) {
  uint32_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v == 0 || v > 65535) return std::nullopt;
  return v;
}

}  // namespace istio_lint::model
