// SARIF 2.1.0 (OASIS): one run, every catalog code as a rule (name, description and help from
// its doc page, default level, documentation link) and one result per finding with its file,
// line, column, level, the resource as a logical location and notes as related locations.
// tests/cli/sarif_schema_test.py validates the output against the 2.1.0 JSON schema.

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>

#include "cli/finding_key.h"
#include "cli/markdown.h"
#include "cli/json_text.h"
#include "cli/report/reporter.h"
#include "cli/rule_docs.h"

#ifndef ISTIO_LINT_VERSION
#define ISTIO_LINT_VERSION "0.0.0"
#endif

namespace istio_lint::cli {
namespace {

std::string sarifLevel(rules::Level l) {
  switch (l) {
    case rules::Level::Error: return "error";
    case rules::Level::Warning: return "warning";
    case rules::Level::Info: return "note";
  }
  return "none";
}

/// A file path as a URI reference: relative paths stay relative ("./" dropped), absolute ones
/// become file:// URIs; characters outside RFC 3986's unreserved set and "/" are %-encoded.
std::string pathUri(std::string_view path) {
  while (path.starts_with("./")) path.remove_prefix(2);
  std::string out = path.starts_with("/") ? "file://" : "";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

/// "ReferencedResourceNotFound" -> "Referenced resource not found".
std::string words(std::string_view camel) {
  std::string out;
  for (size_t i = 0; i < camel.size(); ++i) {
    char c = camel[i];
    if (i > 0 && std::isupper(static_cast<unsigned char>(c)) &&
        (std::islower(static_cast<unsigned char>(camel[i - 1])) ||
         (i + 1 < camel.size() && std::islower(static_cast<unsigned char>(camel[i + 1]))))) {
      out += ' ';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

nlohmann::json rule(const rules::MessageType& t) {
  nlohmann::json r;
  r["id"] = std::string(t.code);
  r["name"] = std::string(t.name);
  r["shortDescription"] = {{"text", words(t.name)}};
  std::string page = rules::docPage(t.id);
  std::string_view doc = ruleDoc(page);
  std::string what = markdown::firstParagraph(markdown::section(doc, "What it does"));
  r["fullDescription"] = {{"text", what.empty() ? words(t.name) : what}};
  std::string url = rules::documentationUrl(t.id);
  std::string help = doc.empty() ? std::string(t.format) : std::string(doc);
  r["help"] = {{"text", markdown::renderTerminal(help, false) + "\nDocumentation: " + url + "\n"},
               {"markdown", help}};
  if (url.starts_with("https://")) r["helpUri"] = url;
  r["defaultConfiguration"] = {{"level", sarifLevel(t.level)}};
  nlohmann::json props;
  props["documentation"] = page;
  if (!t.istioctl.empty()) props["istioctlCode"] = std::string(t.istioctl);
  props["tags"] = nlohmann::json::array({"istio", t.code.starts_with("IST") ? "istioctl-parity" : "istio-lint"});
  r["properties"] = std::move(props);
  return r;
}

nlohmann::json physical(const model::FileTable& files, const model::Span& span) {
  nlohmann::json p;
  p["artifactLocation"] = {{"uri", pathUri(files.path(span.file))}};
  if (span.known()) {
    nlohmann::json region = {{"startLine", span.line}};
    if (span.col) region["startColumn"] = span.col;
    p["region"] = std::move(region);
  }
  return p;
}

}  // namespace

void writeSarif(std::ostream& out, const std::vector<rules::Finding>& findings, const ReportOptions& o) {
  nlohmann::json rules_json = nlohmann::json::array();
  auto all = rules::allMessageTypes();
  for (const rules::MessageType& t : all) rules_json.push_back(rule(t));

  nlohmann::json results = nlohmann::json::array();
  for (const rules::Finding& f : findings) {
    nlohmann::json r;
    r["ruleId"] = std::string(f.type().code);
    r["ruleIndex"] = static_cast<size_t>(&f.type() - all.data());
    r["level"] = sarifLevel(f.level);
    r["message"] = {{"text", f.message}};
    nlohmann::json loc = nlohmann::json::object();
    if (f.span.file != 0) loc["physicalLocation"] = physical(*o.files, f.span);
    if (!f.origin.empty()) {
      loc["logicalLocations"] = nlohmann::json::array({{{"fullyQualifiedName", f.origin.str()}, {"kind", "resource"}}});
    }
    if (!loc.empty()) r["locations"] = nlohmann::json::array({loc});
    nlohmann::json related = nlohmann::json::array();
    for (const rules::Note& n : f.notes) {
      nlohmann::json rl;
      rl["id"] = related.size();
      rl["message"] = {{"text", n.message}};
      if (n.span.file != 0) rl["physicalLocation"] = physical(*o.files, n.span);
      related.push_back(std::move(rl));
    }
    if (!related.empty()) r["relatedLocations"] = std::move(related);
    r["partialFingerprints"] = {{"istioLintFinding/v1", findingFingerprint(f, *o.files)}};
    r["properties"] = {{"analyzer", f.analyzer}};
    results.push_back(std::move(r));
  }

  std::string version = ISTIO_LINT_VERSION;
  nlohmann::json driver;
  driver["name"] = "istio-lint";
  driver["version"] = version;
  driver["semanticVersion"] = version;
  driver["rules"] = std::move(rules_json);
  nlohmann::json run;
  run["tool"] = {{"driver", std::move(driver)}};
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = std::move(results);
  nlohmann::json log;
  log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = nlohmann::json::array({std::move(run)});
  out << jsonText(log, 2) << "\n";
}

}  // namespace istio_lint::cli
