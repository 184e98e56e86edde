#pragma once

#include <string_view>

namespace istio_lint::cli {

/// The text of docs/rules/<page>.md as it was at build time; empty when there is none.
std::string_view ruleDoc(std::string_view path);

}  // namespace istio_lint::cli
