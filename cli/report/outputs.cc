#include "cli/report/outputs.h"
#include "model/ascii.h"

#include <algorithm>
#include <cctype>

namespace istio_lint::cli {

std::optional<std::vector<OutputSpec>> parseOutputs(const std::vector<std::string>& values, std::string& error) {
  std::vector<OutputSpec> out;
  bool to_stdout = false;
  for (const std::string& v : values) {
    size_t eq = v.find('=');
    const std::string name = model::asciiLower(v.substr(0, eq));
    OutputSpec spec{};
    if (name == "text" || name == "log") {
      spec.format = OutputFormat::Text;
    } else if (name == "json") {
      spec.format = OutputFormat::Json;
    } else if (name == "yaml") {
      spec.format = OutputFormat::Yaml;
    } else if (name == "sarif") {
      spec.format = OutputFormat::Sarif;
    } else if (name == "junit") {
      spec.format = OutputFormat::JUnit;
    } else {
      error = "-o " + v + ": unknown format \"" + name + "\"; use text, json, yaml, sarif or junit, optionally =PATH";
      return std::nullopt;
    }
    if (eq != std::string::npos) {
      spec.path = v.substr(eq + 1);
      if (spec.path.empty()) {
        error = "-o " + v + ": no file after '='; write -o " + name + " for stdout or -o " + name + "=PATH";
        return std::nullopt;
      }
      if (spec.path == "-") spec.path.clear();
    }
    if (spec.path.empty()) {
      if (to_stdout) {
        error = "-o " + v + ": only one output can go to stdout; give the others a file (FORMAT=PATH)";
        return std::nullopt;
      }
      to_stdout = true;
    } else {
      for (const OutputSpec& other : out) {
        if (other.path == spec.path) {
          error = "-o " + v + ": " + spec.path + " is already the file of another output";
          return std::nullopt;
        }
      }
    }
    out.push_back(std::move(spec));
  }
  if (out.empty()) out.push_back({OutputFormat::Text, ""});
  return out;
}

void writeReport(std::ostream& out, OutputFormat format, const std::vector<rules::Finding>& findings,
                 const ReportOptions& o) {
  switch (format) {
    case OutputFormat::Text: writeText(out, findings, o); return;
    case OutputFormat::Json: writeJson(out, findings, o); return;
    case OutputFormat::Yaml: writeYaml(out, findings, o); return;
    case OutputFormat::Sarif: writeSarif(out, findings, o); return;
    case OutputFormat::JUnit: writeJUnit(out, findings, o); return;
  }
}

}  // namespace istio_lint::cli
