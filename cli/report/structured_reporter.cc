// JSON and YAML: an array of messages with istioctl's keys (code, documentationUrl, level,
// message, origin, reference) plus istio-lint's (analyzer, column, file, line, notes), in key
// order. Text from the inputs (file names, echoed comments) is made valid UTF-8 first, as both
// formats need. JSON is written directly (a report of 100k resources has thousands of findings;
// building a document tree first cost more than the writing).

#include <yaml-cpp/yaml.h>

#include <optional>

#include "cli/report/reporter.h"
#include "model/json_string.h"
#include "model/utf8.h"

namespace istio_lint::cli {
namespace {

/// Calls v.text(key, raw text), v.number(key, n) and v.notes(key, notes) for the fields of one
/// finding, in key order: the one list of fields both formats print. Text may be invalid UTF-8;
/// the visitor repairs it.
template <typename Visitor>
void visitFields(const rules::Finding& f, const model::FileTable& files, Visitor& v) {
  const bool has_file = f.span.file != 0;
  v.text("analyzer", f.analyzer);
  v.text("code", f.type().code);
  if (has_file) v.number("column", f.span.col);
  v.text("documentationUrl", rules::documentationUrl(f.code));
  if (has_file) v.text("file", files.path(f.span.file));
  v.text("level", rules::levelName(f.level));
  if (has_file) v.number("line", f.span.line);
  v.text("message", f.message);
  if (!f.notes.empty()) v.notes("notes", f.notes);
  if (!f.origin.empty()) v.text("origin", f.origin.str());
  if (std::string ref = location(files, f.span, false); !ref.empty()) v.text("reference", ref);
}

/// One finding as a JSON object indented for its place in the top-level array (2 spaces a level).
class JsonObjectWriter {
 public:
  JsonObjectWriter(std::string& out, const model::FileTable& files) : out_(out), files_(files) {}

  void text(std::string_view key, std::string_view value) {
    this->key(key);
    model::appendJsonString(out_, value);
  }
  void number(std::string_view key, uint64_t value) {
    this->key(key);
    out_ += std::to_string(value);
  }
  void notes(std::string_view key, const std::vector<rules::Note>& notes) {
    this->key(key);
    out_ += "[\n";
    for (size_t i = 0; i < notes.size(); ++i) {
      out_ += "      {\n";
      if (std::string where = location(files_, notes[i].span); !where.empty()) {
        out_ += "        \"location\": ";
        model::appendJsonString(out_, where);
        out_ += ",\n";
      }
      out_ += "        \"message\": ";
      model::appendJsonString(out_, notes[i].message);
      out_ += i + 1 < notes.size() ? "\n      },\n" : "\n      }\n";
    }
    out_ += "    ]";
  }

 private:
  void key(std::string_view k) {
    out_ += first_ ? "\n    \"" : ",\n    \"";
    first_ = false;
    out_ += k;
    out_ += "\": ";
  }

  std::string& out_;
  const model::FileTable& files_;
  bool first_ = true;
};

class YamlMapWriter {
 public:
  YamlMapWriter(YAML::Emitter& e, const model::FileTable& files) : e_(e), files_(files) {}

  void text(std::string_view key, std::string_view value) {
    e_ << YAML::Key << std::string(key) << YAML::Value << model::toValidUtf8(value);
  }
  void number(std::string_view key, uint64_t value) { e_ << YAML::Key << std::string(key) << YAML::Value << value; }
  void notes(std::string_view key, const std::vector<rules::Note>& notes) {
    e_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginSeq;
    for (const rules::Note& n : notes) {
      e_ << YAML::BeginMap;
      if (std::string where = location(files_, n.span); !where.empty()) {
        e_ << YAML::Key << "location" << YAML::Value << model::toValidUtf8(where);
      }
      e_ << YAML::Key << "message" << YAML::Value << model::toValidUtf8(n.message);
      e_ << YAML::EndMap;
    }
    e_ << YAML::EndSeq;
  }

 private:
  YAML::Emitter& e_;
  const model::FileTable& files_;
};

}  // namespace

void writeJson(std::ostream& out, const std::vector<rules::Finding>& findings, const ReportOptions& o) {
  if (findings.empty()) {
    out << "[]\n";
    return;
  }
  std::string text = "[";
  for (size_t i = 0; i < findings.size(); ++i) {
    text += i == 0 ? "\n  {" : ",\n  {";
    JsonObjectWriter w(text, *o.files);
    visitFields(findings[i], *o.files, w);
    text += "\n  }";
  }
  text += "\n]\n";
  out << text;
}

void writeYaml(std::ostream& out, const std::vector<rules::Finding>& findings, const ReportOptions& o) {
  YAML::Emitter e;
  e << YAML::BeginSeq;
  for (const rules::Finding& f : findings) {
    e << YAML::BeginMap;
    YamlMapWriter w(e, *o.files);
    visitFields(f, *o.files, w);
    e << YAML::EndMap;
  }
  e << YAML::EndSeq;
  out << (findings.empty() ? "[]" : e.c_str()) << "\n";
}

}  // namespace istio_lint::cli
