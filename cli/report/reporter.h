#pragma once

// Reporters turn sorted findings into text, JSON, YAML, SARIF or JUnit XML. They take findings
// (and, for JUnit, the list of what was checked) and nothing else.

#include <ostream>
#include <string>
#include <vector>

#include "model/source_span.h"
#include "rules/finding.h"

namespace istio_lint::cli {

/// One thing an analyzer looked at: a resource ("Kind ns/name") or, for analyzers of the input
/// itself, a file. JUnit turns each into a testcase.
struct CheckedSubject {
  std::string analyzer;
  std::string name;  // "Kind ns/name" or a file path
  std::string file;  // where it is declared; may be empty
};

struct ReportOptions {
  const model::FileTable* files = nullptr;
  bool color = false;            // ANSI colour for the level word and the caret
  bool source_excerpts = false;  // the offending line with a caret under the column
  /// JUnit: every (analyzer, subject) pair that was checked, so passing checks are listed too.
  const std::vector<CheckedSubject>* checked = nullptr;
};

/// "file:line:col" (or "file:line", or "file"); empty when there is no file.
std::string location(const model::FileTable& files, const model::Span& span, bool with_col = true);

void writeText(std::ostream& out, const std::vector<rules::Finding>& findings, const ReportOptions& o);
void writeJson(std::ostream& out, const std::vector<rules::Finding>& findings, const ReportOptions& o);
void writeYaml(std::ostream& out, const std::vector<rules::Finding>& findings, const ReportOptions& o);
/// SARIF 2.1.0: one rule per catalog code (help text from its doc page), one result per finding.
void writeSarif(std::ostream& out, const std::vector<rules::Finding>& findings, const ReportOptions& o);
/// JUnit XML: a testsuite per analyzer, a testcase per checked subject, a failure per finding.
void writeJUnit(std::ostream& out, const std::vector<rules::Finding>& findings, const ReportOptions& o);

}  // namespace istio_lint::cli
