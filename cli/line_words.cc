#include "cli/line_words.h"

#include <algorithm>

#include "model/ascii.h"

namespace istio_lint::cli {
namespace {

using model::isBlank;

}  // namespace

std::string hexByte(unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("0x") + kHex[c >> 4] + kHex[c & 0xF];
}

size_t columnAt(std::string_view line, size_t offset) {
  size_t column = 1;
  offset = std::min(offset, line.size());
  for (size_t i = 0; i < offset;) {
    const size_t n = model::utf8Length(line, i);
    i += n == 0 ? 1 : n;
    ++column;
  }
  return column;
}

std::string printable(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (size_t i = 0; i < line.size();) {
    uint32_t cp = 0;
    const size_t n = model::utf8Length(line, i, &cp);
    if (cp == '\t') {
      out += ' ';
      ++i;
    } else if (n == 0 || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
      out += '?';
      i += n == 0 ? 1 : n;
    } else {
      out.append(line.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::optional<LexError> checkLineBytes(std::string_view line) {
  if (line.size() > kMaxLineBytes) {
    return LexError{kMaxLineBytes, "the line is too long: " + std::to_string(line.size()) + " bytes (at most " +
                                   std::to_string(kMaxLineBytes) + ")"};
  }
  for (size_t i = 0; i < line.size();) {
    const unsigned char b = static_cast<unsigned char>(line[i]);
    if (b >= 0x20 && b < 0x7F) {  // printable ASCII, most of every line
      ++i;
      continue;
    }
    uint32_t cp = 0;
    size_t n = model::utf8Length(line, i, &cp);
    if (n == 0) {
      return LexError{i, "invalid UTF-8 (byte " + hexByte(static_cast<unsigned char>(line[i])) + ")"};
    }
    if ((cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp <= 0x9F)) {
      const std::string hex = hexByte(static_cast<unsigned char>(cp)).substr(2);
      const std::string what = cp == 0 ? "a NUL byte" : "a control character (" + std::string(cp < 0x80 ? "0x" : "U+00") + hex + ")";
      return LexError{i, what + " is not allowed in a request line"};
    }
    i += n;
  }
  return std::nullopt;
}

std::optional<LexError> splitWords(std::string_view line, std::vector<Word>& words) {
  const size_t n = line.size();
  size_t i = 0;
  for (;;) {
    while (i < n && isBlank(line[i])) ++i;
    if (i >= n) break;
    Word w;
    w.start = i;
    auto push = [&w](char c, size_t offset) {
      w.text += c;
      w.src.push_back(static_cast<uint32_t>(offset));
    };
    while (i < n && !isBlank(line[i])) {
      const char c = line[i];
      if (c == '\'' || c == '"') {
        const size_t open = i++;
        if (!w.quoted()) w.quoted_from = w.text.size();
        while (i < n && line[i] != c) {
          if (c == '"' && line[i] == '\\' && i + 1 < n && (line[i + 1] == '"' || line[i + 1] == '\\')) ++i;
          push(line[i], i);
          ++i;
        }
        if (i >= n) return LexError{open, std::string("unterminated ") + c + " quote"};
        ++i;
      } else if (c == '\\') {
        if (i + 1 >= n) return LexError{i, "a backslash at the end of the line escapes nothing"};
        if (!w.quoted()) w.quoted_from = w.text.size();
        push(line[i + 1], i + 1);
        i += 2;
      } else {
        push(c, i);
        ++i;
      }
    }
    w.end = i;
    words.push_back(std::move(w));
  }
  return std::nullopt;
}

}  // namespace istio_lint::cli
