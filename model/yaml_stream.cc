#include "model/yaml_stream.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "model/utf8.h"

namespace istio_lint::model::yaml::stream {

namespace {

/// The number of characters (UTF-8 code points) in bytes[from, to).
size_t countChars(std::string_view bytes, size_t from, size_t to) {
  size_t n = 0;
  for (size_t p = from; p < to; ++p) n += (static_cast<unsigned char>(bytes[p]) & 0xC0u) != 0x80u;
  return n;
}

/// True when a line starting at `p` is a document start marker (`---`).
bool documentStartAt(std::string_view bytes, size_t p) {
  return bytes.compare(p, 3, "---") == 0 &&
         (p + 3 == bytes.size() || std::strchr(" \t\r\n", bytes[p + 3]) != nullptr);
}

/// True when a line starting at `p` is a document end marker (`...`).
bool documentEndAt(std::string_view bytes, size_t p) {
  return bytes.compare(p, 3, "...") == 0 &&
         (p + 3 == bytes.size() || std::strchr(" \t\r\n", bytes[p + 3]) != nullptr);
}

}  // namespace

size_t countLineBreaks(std::string_view bytes, size_t from, size_t to) {
  size_t n = 0;
  for (size_t i = from; i < to; ++i) {
    if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.size() || bytes[i + 1] != '\n'))) ++n;
  }
  return n;
}

size_t byteAtChar(std::string_view bytes, size_t offset, size_t chars) {
  size_t p = offset;
  if (bytes.substr(p).starts_with("\xEF\xBB\xBF")) p += 3;
  for (; p < bytes.size(); ++p) {
    if ((static_cast<unsigned char>(bytes[p]) & 0xC0u) == 0x80u) continue;
    if (chars == 0) return p;
    --chars;
  }
  return bytes.size();
}

yaml_mark_t markAt(std::string_view bytes, size_t offset, size_t pos) {
  pos = std::min(pos, bytes.size());
  yaml_mark_t m{};
  m.line = countLineBreaks(bytes, offset, pos);
  size_t nl = pos == 0 ? std::string_view::npos : bytes.find_last_of("\r\n", pos - 1);
  size_t line_start = nl == std::string_view::npos || nl < offset ? offset : nl + 1;
  m.column = countChars(bytes, line_start, pos);
  const size_t bom = bytes.substr(offset).starts_with("\xEF\xBB\xBF") ? 3 : 0;
  m.index = countChars(bytes, std::min(offset + bom, pos), pos);
  return m;
}

size_t firstRejectedByte(std::string_view b, size_t from) {
  size_t i = from;
  while (i < b.size()) {
    // Printable ASCII and line feeds, most of any manifest, eight bytes at a time. Per byte, with
    // no carry between bytes: the top bit of `low7 + 0x60` is set when the low seven bits are at
    // least 0x20, of `low7 + 0x01` when they are 0x7F, and a line feed is a zero byte of `w ^ 0x0A`.
    constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull, kLow = ~kHigh;
    for (uint64_t w; i + 8 <= b.size(); i += 8) {
      std::memcpy(&w, b.data() + i, 8);
      const uint64_t low7 = w & kLow;
      const uint64_t at_least_20 = low7 + kOnes * 0x60, is_7f = low7 + kOnes * 0x01;
      const uint64_t t = w ^ (kOnes * 0x0A);
      const uint64_t line_feed = ~(((t & kLow) + kLow) | t);
      if ((w | is_7f | (~at_least_20 & ~line_feed)) & kHigh) break;
    }
    // Then the next word's worth one character at a time.
    const size_t stop = std::min(b.size(), i + 8);
    for (; i < stop;) {
      auto c = static_cast<unsigned char>(b[i]);
      if (c < 0x80) {
        if (c == 0x09 || c == 0x0A || c == 0x0D || (c >= 0x20 && c <= 0x7E)) {
          ++i;
          continue;
        }
        return i;
      }
      // Well-formed UTF-8 (utf8Length rejects overlong forms, surrogates and code points past
      // U+10FFFF) of a character YAML calls printable: NEL, U+00A0 and up but U+FFFE and U+FFFF.
      uint32_t v = 0;
      const size_t len = utf8Length(b, i, &v);
      if (len == 0 || !(v == 0x85 || (v >= 0xA0 && v <= 0xFFFD) || v >= 0x10000)) return i;
      i += len;
    }
  }
  return std::string_view::npos;
}

size_t nextDocumentBom(std::string_view bytes, size_t from) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  for (size_t p = bytes.find(kBom, std::max<size_t>(from, 1)); p != std::string_view::npos;
       p = bytes.find(kBom, p + 1)) {
    if (bytes[p - 1] != '\n') continue;
    size_t after = p + kBom.size();
    if (documentStartAt(bytes, after) || documentEndAt(bytes, after)) return p;
    size_t prev_end = p - 1;  // the '\n' ending the previous line
    size_t nl = prev_end == 0 ? std::string_view::npos : bytes.rfind('\n', prev_end - 1);
    size_t prev = nl == std::string_view::npos ? 0 : nl + 1;
    if (documentStartAt(bytes, prev) || documentEndAt(bytes, prev)) return p;
  }
  return std::string_view::npos;
}

size_t lastDocumentStart(std::string_view bytes, size_t offset, size_t pos) {
  size_t p = pos;
  while (p > offset) {
    size_t nl = bytes.rfind('\n', p - 1);
    size_t ls = nl == std::string_view::npos ? 0 : nl + 1;
    if (ls <= offset) break;
    if (documentStartAt(bytes, ls)) return ls;
    p = ls - 1;
  }
  return offset;
}

size_t nextDocumentStart(std::string_view bytes, size_t offset, size_t pos) {
  size_t err = std::min(pos, bytes.size());
  size_t ls = bytes.rfind('\n', err == 0 ? 0 : err - 1);
  ls = (ls == std::string_view::npos || err == 0) ? offset : ls + 1;
  if (ls < offset) ls = offset;
  for (size_t p = ls; p < bytes.size();) {
    if (p > offset && documentStartAt(bytes, p)) return p;
    size_t nl = bytes.find('\n', p);
    if (nl == std::string_view::npos) break;
    p = nl + 1;
  }
  return std::string_view::npos;
}

}  // namespace istio_lint::model::yaml::stream
