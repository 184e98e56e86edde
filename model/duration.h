#pragma once

// Durations as Istio's resources write them (google.protobuf.Duration read the way istiod reads
// YAML: Go's time.ParseDuration), e.g. "5s", "1.5s", "250ms", "1m30s".

#include <cstdint>
#include <optional>
#include <string_view>

namespace istio_lint::model {

/// The duration in microseconds; nullopt when `s` is not a duration (empty, no unit, an unknown
/// unit, a negative value, or more than 100 years).
std::optional<int64_t> parseDurationMicros(std::string_view s);

}  // namespace istio_lint::model
