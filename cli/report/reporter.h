#pragma once

// Reporters turn sorted findings into text, JSON or YAML. They take findings and nothing else.

#include <ostream>
#include <string>
#include <vector>

#include "model/source_span.h"
#include "rules/finding.h"

namespace istio_lint::cli {

struct ReportOptions {
  const model::FileTable* files = nullptr;
  bool color = false;            // ANSI colour for the level word and the caret
  bool source_excerpts = false;  // the offending line with a caret under the column
};

/// "file:line:col" (or "file:line", or "file"); empty when there is no file.
std::string location(const model::FileTable& files, const model::Span& span, bool with_col = true);

void writeText(std::ostream& out, const std::vector<rules::Finding>& findings, const ReportOptions& o);
void writeJson(std::ostream& out, const std::vector<rules::Finding>& findings, const ReportOptions& o);
void writeYaml(std::ostream& out, const std::vector<rules::Finding>& findings, const ReportOptions& o);

}  // namespace istio_lint::cli
