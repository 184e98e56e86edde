#include "cli/markdown.h"

#include <vector>

#include "model/ascii.h"

namespace istio_lint::cli::markdown {
namespace {

std::vector<std::string_view> lines(std::string_view md) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < md.size()) {
    size_t nl = md.find('\n', start);
    std::string_view l = md.substr(start, nl == std::string_view::npos ? md.npos : nl - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    out.push_back(l);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

/// Heading level (1-6) of an ATX heading line, else 0.
int headingLevel(std::string_view l) {
  size_t n = 0;
  while (n < l.size() && n < 7 && l[n] == '#') ++n;
  if (n == 0 || n > 6 || n >= l.size() || l[n] != ' ') return 0;
  return static_cast<int>(n);
}

std::string_view headingText(std::string_view l) {
  std::string_view t = l.substr(static_cast<size_t>(headingLevel(l)) + 1);
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  return t;
}

bool isFence(std::string_view l) {
  size_t i = l.find_first_not_of(' ');
  return i != std::string_view::npos && l.substr(i).starts_with("```");
}


/// Inline markup: `code` (optionally highlighted), **bold** and [text](link) -> text.
std::string inlineText(std::string_view s, const char* code_on = nullptr, const char* code_off = nullptr) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '`') {
      size_t end = s.find('`', i + 1);
      if (end != std::string_view::npos) {
        if (code_on) out += code_on;
        out += s.substr(i + 1, end - i - 1);
        if (code_off) out += code_off;
        i = end;
        continue;
      }
    } else if (c == '*' && i + 1 < s.size() && s[i + 1] == '*') {
      ++i;
      continue;
    } else if (c == '[') {
      size_t close = s.find("](", i);
      size_t paren = close == std::string_view::npos ? close : s.find(')', close);
      if (paren != std::string_view::npos && s.substr(i, close - i).find('\n') == std::string_view::npos) {
        out += s.substr(i + 1, close - i - 1);
        i = paren;
        continue;
      }
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string section(std::string_view md, std::string_view title) {
  std::string out;
  int level = 0;
  bool in_code = false;
  for (std::string_view l : lines(md)) {
    if (isFence(l)) in_code = !in_code;
    int h = in_code ? 0 : headingLevel(l);
    if (level == 0) {
      if (h != 0 && headingText(l) == title) level = h;
      continue;
    }
    if (h != 0 && h <= level) break;
    out += l;
    out += '\n';
  }
  size_t a = out.find_first_not_of('\n');
  return a == std::string::npos ? std::string() : out.substr(a);
}

std::string firstParagraph(std::string_view md) {
  std::string out;
  for (std::string_view l : lines(md)) {
    std::string_view t = model::trimBlanks(l);
    if (t.empty()) {
      if (out.empty()) continue;
      break;
    }
    if (headingLevel(t) != 0 || isFence(t)) {
      if (out.empty()) continue;
      break;
    }
    if (!out.empty()) out += ' ';
    out += t;
  }
  return inlineText(out);
}

std::string renderTerminal(std::string_view md, bool color) {
  const char* bold = color ? "\033[1m" : "";
  const char* head = color ? "\033[1;36m" : "";
  const char* code = color ? "\033[2m" : "";
  const char* inl = color ? "\033[36m" : "";
  const char* off = color ? "\033[0m" : "";
  std::string out;
  bool in_code = false;
  bool first = true;
  for (std::string_view l : lines(md)) {
    if (isFence(l)) {
      in_code = !in_code;
      continue;
    }
    if (in_code) {
      out += "    ";
      out += code;
      out += l;
      out += off;
      out += '\n';
      continue;
    }
    if (int h = headingLevel(l)) {
      std::string text(headingText(l));
      if (!first && !out.empty() && !out.ends_with("\n\n")) out += '\n';
      std::string plain = inlineText(text);
      out += h == 1 ? bold : head;
      out += plain;
      out += off;
      out += '\n';
      if (!color) out += std::string(plain.size(), h == 1 ? '=' : '-') + "\n";
      first = false;
      continue;
    }
    first = false;
    std::string_view t = l;
    size_t indent = t.find_first_not_of(' ');
    if (indent != std::string_view::npos && (t.substr(indent).starts_with("- ") || t.substr(indent).starts_with("* "))) {
      out += std::string(indent + 2, ' ') + "• " + inlineText(t.substr(indent + 2), inl, off) + "\n";
      continue;
    }
    out += "  " + inlineText(t, inl, off) + "\n";
  }
  // Drop trailing blank-looking lines ("  ").
  while (out.ends_with("  \n") || out.ends_with("\n\n")) out.erase(out.size() - (out.ends_with("\n\n") ? 1 : 3));
  for (size_t p; (p = out.find("\n  \n")) != std::string::npos;) out.replace(p, 4, "\n\n");
  return out;
}

}  // namespace istio_lint::cli::markdown
