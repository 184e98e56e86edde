#pragma once

// `-o FORMAT[=PATH]`, repeatable: `-o text -o sarif=out.sarif -o junit=report.xml`. A bare format
// goes to stdout (at most one may), FORMAT=PATH writes the file.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/report/reporter.h"

namespace istio_lint::cli {

enum class OutputFormat { Text, Json, Yaml, Sarif, JUnit };

struct OutputSpec {
  OutputFormat format;
  std::string path;  // empty: stdout
};

/// Parses the -o values (formats case-insensitive; "log" is text). No values means text on
/// stdout. On a mistake returns nullopt and sets `error` to a message for the user.
std::optional<std::vector<OutputSpec>> parseOutputs(const std::vector<std::string>& values, std::string& error);

/// Writes one report. Text gets colour and source excerpts only when `o` asks (stdout on a TTY).
void writeReport(std::ostream& out, OutputFormat format, const std::vector<rules::Finding>& findings,
                 const ReportOptions& o);

}  // namespace istio_lint::cli
