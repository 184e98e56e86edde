// istioctl's line format, with file:line:col: `Error [IST0101] (VirtualService ns/name f.yaml:3:7) msg`.
// On a terminal, each finding is followed by its source line and a caret under the column.

#include <fstream>
#include <map>

#include "cli/report/reporter.h"

namespace istio_lint::cli {
namespace {

constexpr const char* kReset = "\033[0m";

const char* levelColor(rules::Level l) {
  switch (l) {
    case rules::Level::Error: return "\033[1;31m";
    case rules::Level::Warning: return "\033[33m";
    case rules::Level::Info: return "";
  }
  return "";
}

/// Lines of the files findings point at, read on demand (only when excerpts are shown).
class SourceCache {
 public:
  explicit SourceCache(const model::FileTable& files) : files_(files) {}
  const std::string* line(const model::Span& s) {
    if (!s.known() || s.file == 0) return nullptr;
    auto it = cache_.find(s.file);
    if (it == cache_.end()) {
      std::vector<std::string> lines;
      std::ifstream in(files_.path(s.file), std::ios::binary);
      for (std::string l; in && std::getline(in, l);) {
        if (!l.empty() && l.back() == '\r') l.pop_back();
        lines.push_back(std::move(l));
        if (lines.size() > 5000000) break;
      }
      it = cache_.emplace(s.file, std::move(lines)).first;
    }
    return s.line <= it->second.size() ? &it->second[s.line - 1] : nullptr;
  }

 private:
  const model::FileTable& files_;
  std::map<uint32_t, std::vector<std::string>> cache_;
};

void excerpt(std::ostream& out, SourceCache& cache, const model::Span& span, bool color) {
  const std::string* line = cache.line(span);
  if (line == nullptr || line->size() > 400) return;
  std::string gutter = std::to_string(span.line);
  out << "  " << gutter << " | " << *line << "\n";
  out << "  " << std::string(gutter.size(), ' ') << " | ";
  for (uint32_t i = 1; i < span.col && i - 1 < line->size(); ++i) out << ((*line)[i - 1] == '\t' ? '\t' : ' ');
  out << (color ? "\033[1;32m^\033[0m" : "^") << "\n";
}

}  // namespace

std::string location(const model::FileTable& files, const model::Span& span, bool with_col) {
  if (span.file == 0) return {};
  std::string out = files.path(span.file);
  if (span.known()) {
    out += ":" + std::to_string(span.line);
    if (with_col && span.col) out += ":" + std::to_string(span.col);
  }
  return out;
}

void writeText(std::ostream& out, const std::vector<rules::Finding>& findings, const ReportOptions& o) {
  SourceCache cache(*o.files);
  for (const rules::Finding& f : findings) {
    std::string_view level = rules::levelName(f.level);
    if (o.color && *levelColor(f.level)) {
      out << levelColor(f.level) << level << kReset;
    } else {
      out << level;
    }
    out << " [" << f.type().code << "] ";
    std::string where = location(*o.files, f.span);
    std::string origin = f.origin.empty() ? "" : f.origin.str();
    if (!origin.empty() || !where.empty()) {
      out << "(" << origin << (origin.empty() || where.empty() ? "" : " ") << where << ") ";
    }
    out << f.message << "\n";
    if (o.source_excerpts) {
      excerpt(out, cache, f.span, o.color);
      for (const rules::Note& n : f.notes) {
        out << "  note: " << n.message;
        std::string nw = location(*o.files, n.span);
        if (!nw.empty()) out << " (" << nw << ")";
        out << "\n";
      }
    }
  }
}

}  // namespace istio_lint::cli
