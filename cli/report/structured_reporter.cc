// JSON and YAML: an array of messages with istioctl's keys (code, documentationUrl, level,
// message, origin, reference) plus istio-lint's (analyzer, column, file, line, notes). Text
// from the inputs (file names, echoed comments) is made valid UTF-8 first, as both formats need.

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "cli/json_text.h"
#include "cli/report/reporter.h"
#include "cli/utf8.h"

namespace istio_lint::cli {
namespace {

nlohmann::json toJson(const rules::Finding& f, const model::FileTable& files) {
  nlohmann::json j;
  j["code"] = std::string(f.type().code);
  j["level"] = std::string(rules::levelName(f.level));
  if (!f.origin.empty()) j["origin"] = toValidUtf8(f.origin.str());
  std::string ref = location(files, f.span, false);
  if (!ref.empty()) j["reference"] = toValidUtf8(ref);
  j["message"] = toValidUtf8(f.message);
  j["documentationUrl"] = rules::documentationUrl(f.code);
  j["analyzer"] = f.analyzer;
  if (f.span.file != 0) {
    j["file"] = toValidUtf8(files.path(f.span.file));
    j["line"] = f.span.line;
    j["column"] = f.span.col;
  }
  if (!f.notes.empty()) {
    nlohmann::json notes = nlohmann::json::array();
    for (const rules::Note& n : f.notes) {
      nlohmann::json nj;
      nj["message"] = toValidUtf8(n.message);
      std::string where = location(files, n.span);
      if (!where.empty()) nj["location"] = toValidUtf8(where);
      notes.push_back(std::move(nj));
    }
    j["notes"] = std::move(notes);
  }
  return j;
}

}  // namespace

void writeJson(std::ostream& out, const std::vector<rules::Finding>& findings, const ReportOptions& o) {
  nlohmann::json arr = nlohmann::json::array();
  for (const rules::Finding& f : findings) arr.push_back(toJson(f, *o.files));
  out << jsonText(arr, 2) << "\n";
}

void writeYaml(std::ostream& out, const std::vector<rules::Finding>& findings, const ReportOptions& o) {
  YAML::Emitter e;
  e << YAML::BeginSeq;
  for (const rules::Finding& f : findings) {
    nlohmann::json j = toJson(f, *o.files);
    e << YAML::BeginMap;
    for (auto it = j.begin(); it != j.end(); ++it) {
      e << YAML::Key << it.key() << YAML::Value;
      if (it->is_string()) {
        e << it->get<std::string>();
      } else if (it->is_number()) {
        e << it->get<uint64_t>();
      } else if (it->is_array()) {
        e << YAML::BeginSeq;
        for (const auto& n : *it) {
          e << YAML::BeginMap;
          for (auto nit = n.begin(); nit != n.end(); ++nit) e << YAML::Key << nit.key() << YAML::Value << nit->get<std::string>();
          e << YAML::EndMap;
        }
        e << YAML::EndSeq;
      }
    }
    e << YAML::EndMap;
  }
  e << YAML::EndSeq;
  out << (findings.empty() ? "[]" : e.c_str()) << "\n";
}

}  // namespace istio_lint::cli
