// JUnit XML for CI dashboards (GitLab, Jenkins, Azure): a testsuite per analyzer that ran, a
// testcase per resource (or, for input analyzers, file) it checked, a <failure> per finding.
// Findings about something not in the checked list still get a testcase of their own.

#include <map>
#include <set>

#include "cli/report/reporter.h"
#include "model/utf8.h"

namespace istio_lint::cli {
namespace {

/// XML 1.0 text: the five special characters escaped, characters XML forbids replaced by '?',
/// bytes that are not UTF-8 (a file name's, say) by U+FFFD.
std::string xml(std::string_view raw) {
  const std::string s = model::toValidUtf8(raw);
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += '?';
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

struct Case {
  std::string file;
  std::vector<const rules::Finding*> failures;
};

}  // namespace

void writeJUnit(std::ostream& out, const std::vector<rules::Finding>& findings, const ReportOptions& o) {
  // analyzer -> subject -> case; std::map keeps the output sorted.
  std::map<std::string, std::map<std::string, Case>> suites;
  if (o.checked != nullptr) {
    for (const CheckedSubject& s : *o.checked) suites[s.analyzer][s.name].file = s.file;
  }
  for (const rules::Finding& f : findings) {
    std::string file = f.span.file ? o.files->path(f.span.file) : std::string();
    std::string subject = f.origin.empty() ? (file.empty() ? std::string("(inputs)") : file) : f.origin.str();
    Case& c = suites[f.analyzer.empty() ? std::string("istio-lint") : f.analyzer][subject];
    if (c.file.empty()) c.file = file;
    c.failures.push_back(&f);
  }
  size_t tests = 0, failed = 0;
  for (const auto& [name, cases] : suites) {
    tests += cases.size();
    for (const auto& [subject, c] : cases) failed += c.failures.empty() ? 0 : 1;
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"istio-lint\" tests=\"" << tests << "\" failures=\"" << failed << "\" errors=\"0\">\n";
  for (const auto& [analyzer, cases] : suites) {
    size_t suite_failed = 0;
    for (const auto& [subject, c] : cases) suite_failed += c.failures.empty() ? 0 : 1;
    out << "  <testsuite name=\"" << xml(analyzer) << "\" tests=\"" << cases.size() << "\" failures=\"" << suite_failed
        << "\" errors=\"0\" skipped=\"0\">\n";
    for (const auto& [subject, c] : cases) {
      out << "    <testcase classname=\"" << xml(analyzer) << "\" name=\"" << xml(subject) << "\"";
      if (!c.file.empty()) out << " file=\"" << xml(c.file) << "\"";
      if (c.failures.empty()) {
        out << "/>\n";
        continue;
      }
      out << ">\n";
      for (const rules::Finding* f : c.failures) {
        std::string where = location(*o.files, f->span);
        out << "      <failure type=\"" << xml(f->type().code) << "\" message=\"" << xml(f->message) << "\">"
            << xml(std::string(rules::levelName(f->level)) + " [" + std::string(f->type().code) + "] " +
                   (where.empty() ? "" : where + ": ") + f->message + "\n" + rules::documentationUrl(f->code))
            << "</failure>\n";
      }
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace istio_lint::cli
