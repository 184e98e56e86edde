#pragma once

// Applies `.istio-lint.yaml` to a run's findings: codes switched off are dropped, severity
// overrides change a finding's level, and suppressions (code + resource glob + optional file
// glob) remove the findings they match.

#include <vector>

#include "model/config/lint_config.h"
#include "model/source_span.h"
#include "rules/finding.h"

namespace istio_lint::analyzers {

/// Whether suppression `s` matches finding `f` (whose file path is `file`).
bool suppressionMatches(const model::config::Suppression& s, const rules::Finding& f, std::string_view file);

/// Applies the configuration in place; returns, per entry of config.suppressions, how many
/// findings it removed (so that a suppression that matches nothing can be pointed out).
std::vector<size_t> applyConfig(std::vector<rules::Finding>& findings, const model::config::LintConfig& config,
                                const model::FileTable& files);

}  // namespace istio_lint::analyzers
