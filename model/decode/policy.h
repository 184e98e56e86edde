#pragma once

// Readers for the pieces Istio policy kinds share: selector / targetRef / targetRefs, provider
// references, and free-form values (kept as JSON text).

#include <string>
#include <vector>

#include "model/decode/reader.h"
#include "model/resources/policy.h"

namespace istio_lint::model::decode {

/// Reads `selector`, `targetRef` and `targetRefs` from a policy spec into `out`, and reports what
/// Istio's validation rejects: both a selector and target references, or both targetRef and
/// targetRefs, and references without a kind or name. A selector without labels is a warning
/// naming `kind`.
void readPolicyTarget(Reader& r, const yaml::Node& spec, PolicyTarget& out, std::string_view kind);

/// Reads a list of `{name: ...}` provider references under `key`; an empty name is an issue.
std::vector<ProviderRef> readProviderRefs(Reader& r, const yaml::Node& parent, std::string_view key);

/// Compact JSON for a free-form YAML value (plain scalars keep their YAML type). Output longer than
/// `limit` bytes is cut off and ends with "...".
std::string toJson(const yaml::Node& n, size_t limit = 256 * 1024);

}  // namespace istio_lint::model::decode
