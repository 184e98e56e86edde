#pragma once

// Istio host names: a leading `*` is the only wildcard. Semantics follow istio's host.Name.

#include <string>
#include <string_view>

namespace istio_lint::model::host {

inline bool isWildcard(std::string_view h) { return !h.empty() && h[0] == '*'; }

/// Symmetric overlap: `*` matches everything, `*.foo.com` matches `bar.foo.com` (not `foo.com`),
/// two wildcards match when one suffix ends the other, two concrete names only when equal.
bool matches(std::string_view a, std::string_view b);
/// One-directional: every name `a` covers is covered by `b`.
bool subsetOf(std::string_view a, std::string_view b);
/// Expands a short name (no dot, no wildcard) to `name.<ns>.svc.<domain>`, as istio's analyzers do.
std::string toFqdn(std::string_view h, std::string_view ns, std::string_view domain = "cluster.local");

}  // namespace istio_lint::model::host
