#pragma once

// VirtualService delegation: a root VirtualService's http route with `delegate` is replaced by the
// delegate VirtualService's http routes, each with its match conditions merged into the root
// route's (istiod: pilot/pkg/model/virtualservice.go, mergeHTTPRoute / mergeHTTPMatchRequests /
// hasConflict). Only one level: a delegate's own `delegate` routes are not followed.

#include <optional>
#include <vector>

#include "model/resources/networking.h"

namespace istio_lint::simulate {

/// The merged match list of a delegate route under a root route: every delegate match merged
/// with each root match it does not conflict with (root conditions fill what the delegate leaves
/// open; a delegate condition must narrow, not widen, the root's). nullopt when some delegate
/// match conflicts with every root match: istiod drops the delegate route.
std::optional<std::vector<model::HttpMatch>> mergeDelegateMatches(const std::vector<model::HttpMatch>& root,
                                                                  const std::vector<model::HttpMatch>& delegate);

/// True when the leaf (delegate) match is not a narrowing of the root match (istiod hasConflict).
bool delegateMatchConflicts(const model::HttpMatch& root, const model::HttpMatch& leaf);

}  // namespace istio_lint::simulate
