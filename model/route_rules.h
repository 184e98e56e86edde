#pragma once

// Route rules of a VirtualService that can never be used: a rule after a rule without matches (a
// catch-all), a rule all of whose matches repeat earlier ones, a match identical to an earlier
// match, and an HTTP prefix match covered by an earlier, shorter prefix with the same conditions.
// Semantics follow istiod's validation (analyzeUnreachableHTTPRules and its TCP/TLS twins).

#include <string>
#include <vector>

#include "model/resources/networking.h"

namespace istio_lint::model {

struct RouteRuleIssue {
  enum class Type { UnreachableRule, IneffectiveMatch };
  Type type;
  std::string rule;          // `"name"` or `#index` (istiod's routeName)
  std::string reason;        // UnreachableRule: why
  std::string match;         // IneffectiveMatch: `"name"` or `#index`, plus " of prefix /p" for overlaps
  std::string earlier_rule;  // IneffectiveMatch: the rule (and match) that takes the traffic first
  Span span;                 // the rule (UnreachableRule) or the match (IneffectiveMatch)
  Span earlier_span;         // the earlier rule or match
};

/// The issues of `vs`, http rules first, then tcp, then tls, each in rule order.
std::vector<RouteRuleIssue> findUnreachableRouteRules(const VirtualService& vs);

}  // namespace istio_lint::model
