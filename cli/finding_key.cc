#include "cli/finding_key.h"

#include <cctype>
#include <cstdio>

#include "model/ascii.h"
#include "model/utf8.h"

namespace istio_lint::cli {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool endsWithManifestExtension(std::string_view s) {
  for (std::string_view ext : {".yaml", ".yml", ".json"}) {
    if (s.size() >= ext.size() && model::equalsIgnoreCase(s.substr(s.size() - ext.size()), ext)) return true;
  }
  return false;
}

}  // namespace

std::string normalizeMessage(std::string_view m) {
  std::string out;
  out.reserve(m.size());
  for (size_t i = 0; i < m.size();) {
    // "<file>.yaml:12" or "<file>.yaml:12:3": drop the numbers.
    if (m[i] == ':' && i + 1 < m.size() && isDigit(m[i + 1]) && endsWithManifestExtension(out)) {
      size_t j = i + 1;
      while (j < m.size() && isDigit(m[j])) ++j;
      if (j + 1 < m.size() && m[j] == ':' && isDigit(m[j + 1])) {
        ++j;
        while (j < m.size() && isDigit(m[j])) ++j;
      }
      i = j;
      continue;
    }
    // "line 12", "column 3", "line: 12": drop the number after these words.
    for (std::string_view word : {"line ", "column ", "line: ", "column: "}) {
      if (m.substr(i).starts_with(word) && i + word.size() < m.size() && isDigit(m[i + word.size()])) {
        out += word;
        i += word.size();
        while (i < m.size() && isDigit(m[i])) ++i;
        break;
      }
    }
    if (i < m.size()) out += m[i++];
  }
  return model::toValidUtf8(out);
}

std::string findingSubject(const rules::Finding& f, const model::FileTable& files) {
  // Valid UTF-8, as a baseline file (JSON) stores it.
  return model::toValidUtf8(f.origin.empty() ? (f.span.file ? files.path(f.span.file) : std::string()) : f.origin.str());
}

std::string findingKey(std::string_view code, std::string_view subject, std::string_view analyzer,
                       std::string_view normalized_message) {
  std::string key;
  key.reserve(code.size() + subject.size() + analyzer.size() + normalized_message.size() + 3);
  key.append(code).append("|").append(subject).append("|").append(analyzer).append("|").append(normalized_message);
  return key;
}

std::string findingKey(const rules::Finding& f, const model::FileTable& files) {
  return findingKey(f.type().code, findingSubject(f, files), f.analyzer, normalizeMessage(f.message));
}

std::string findingFingerprint(const rules::Finding& f, const model::FileTable& files) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : findingKey(f, files)) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace istio_lint::cli
