#pragma once

// Every JSON document istio-lint prints goes through jsonText(): strings that are not valid UTF-8
// (a file name with other bytes, say) come out with U+FFFD in place of the bad bytes instead of
// making nlohmann::json throw in the middle of a report.

#include <nlohmann/json.hpp>

#include <string>

namespace istio_lint::cli {

/// `j` as text; `indent` < 0 for one line.
inline std::string jsonText(const nlohmann::json& j, int indent = -1) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace istio_lint::cli
