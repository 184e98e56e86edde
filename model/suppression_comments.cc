#include "model/suppression_comments.h"

#include <algorithm>
#include <cctype>
#include <limits>

#include "model/ascii.h"

namespace istio_lint::model {
namespace {

constexpr std::string_view kMarker = "istio-lint:";

/// Offset of the '#' that starts a comment on this line, or npos. A '#' starts a comment at the
/// start of the line or after a space or tab, outside quoted scalars.
size_t commentStart(std::string_view line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if ((c == '"' || c == '\'') && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t' || line[i - 1] == '[' ||
                                    line[i - 1] == '{' || line[i - 1] == ',' || line[i - 1] == ':')) {
      quote = c;
    } else if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return i;
    }
  }
  return std::string_view::npos;
}

std::string_view trimLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

/// Reads "ignore=A,B reason=\"...\"" into `c`; sets c.problem on anything it does not understand.
void parseDirective(std::string_view rest, SuppressionComment& c) {
  bool have_ignore = false;
  while (true) {
    rest = trimLeft(rest);
    if (rest.empty() || rest.front() == '#') break;
    size_t eq = rest.find('=');
    size_t sp = rest.find_first_of(" \t");
    if (eq == std::string_view::npos || (sp != std::string_view::npos && sp < eq)) {
      c.problem = "expected key=value, found \"" + std::string(rest.substr(0, sp)) + "\"";
      return;
    }
    std::string_view key = rest.substr(0, eq);
    rest.remove_prefix(eq + 1);
    std::string_view value;
    if (!rest.empty() && (rest.front() == '"' || rest.front() == '\'')) {
      size_t close = rest.find(rest.front(), 1);
      if (close == std::string_view::npos) {
        c.problem = "unterminated quote in " + std::string(key) + "=";
        return;
      }
      value = rest.substr(1, close - 1);
      rest.remove_prefix(close + 1);
    } else {
      size_t end = rest.find_first_of(" \t");
      value = rest.substr(0, end);
      rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
    }
    if (key == "ignore") {
      have_ignore = true;
      size_t start = 0;
      while (start <= value.size()) {
        size_t comma = value.find(',', start);
        std::string code = asciiUpper(trimBlanks(value.substr(start, comma == std::string_view::npos ? value.npos : comma - start)));
        if (!code.empty()) c.codes.push_back(std::move(code));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
    } else if (key == "reason") {
      c.reason = std::string(trimBlanks(value));
    } else {
      c.problem = "unknown key \"" + std::string(key) + "\"; expected ignore= and reason=";
      return;
    }
  }
  if (!have_ignore || c.codes.empty()) c.problem = "expected ignore=CODE[,CODE...]";
}

}  // namespace

std::vector<SuppressionComment> scanSuppressionComments(std::string_view bytes, uint32_t file) {
  std::vector<SuppressionComment> out;
  if (bytes.find(kMarker) == std::string_view::npos) return out;
  std::vector<size_t> document_level;  // indices into out, of the current document
  std::vector<size_t> next_line;       // indices into out waiting for the next content line
  uint32_t doc_start = 1;
  bool doc_has_content = false;
  auto closeDocument = [&](uint32_t last) {
    for (size_t i : document_level) out[i].last_line = last;
    document_level.clear();
    next_line.clear();  // an own-line comment at the end of a document covers nothing
  };
  uint32_t line_no = 0;
  for (size_t start = 0; start < bytes.size();) {
    size_t nl = bytes.find('\n', start);
    std::string_view line = bytes.substr(start, nl == std::string_view::npos ? bytes.npos : nl - start);
    start = nl == std::string_view::npos ? bytes.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);

    bool doc_marker = line.starts_with("---") && (line.size() == 3 || line[3] == ' ' || line[3] == '\t');
    if (doc_marker || line == "...") {
      // Document-level comments above an empty "document" (the top of the file before the first
      // `---`) belong to the document that follows.
      if (doc_has_content) {
        closeDocument(line_no - 1);
        doc_start = line_no;
      }
      doc_has_content = false;
    }
    size_t hash = commentStart(line);
    std::string_view before = trimBlanks(line.substr(0, hash == std::string_view::npos ? line.size() : hash));
    bool content = !before.empty() && !doc_marker && line != "..." && before.front() != '%';
    if (content) {
      for (size_t i : next_line) out[i].first_line = out[i].last_line = line_no;
      next_line.clear();
    }
    if (hash != std::string_view::npos) {
      std::string_view comment = trimLeft(line.substr(hash + 1));
      if (comment.starts_with(kMarker)) {
        SuppressionComment c;
        c.span = Span{file, line_no, static_cast<uint32_t>(hash + 1)};
        std::string_view rest = comment.substr(kMarker.size());
        size_t other = rest.find(" #");  // another comment after the directive ends it
        c.text = std::string(trimBlanks(comment.substr(0, kMarker.size() + (other == std::string_view::npos ? rest.size() : other))));
        parseDirective(other == std::string_view::npos ? rest : rest.substr(0, other), c);
        if (content) {
          c.first_line = c.last_line = line_no;
        } else if (doc_marker || !doc_has_content) {
          c.document_level = true;
          c.first_line = doc_start;
          document_level.push_back(out.size());
        } else {
          next_line.push_back(out.size());
        }
        out.push_back(std::move(c));
      }
    }
    if (content) doc_has_content = true;
  }
  closeDocument(std::numeric_limits<uint32_t>::max());
  return out;
}

}  // namespace istio_lint::model
