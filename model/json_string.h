#pragma once

// JSON string literals written by hand where building an nlohmann::json value first would cost
// more than the text itself: the structured reporters' hot path and the JSON form of a YAML node
// that messages quote (model/decode/policy.cc).

#include <string>
#include <string_view>

namespace istio_lint::model {

/// Appends `s` as a JSON string literal, escaped as nlohmann::json::dump escapes it: `"` and `\`,
/// \b \f \n \r \t by name, other control characters as \u00xx, the rest as is. Bytes that are not
/// valid UTF-8 become U+FFFD (toValidUtf8), so the output is always valid JSON.
void appendJsonString(std::string& out, std::string_view s);

}  // namespace istio_lint::model
