#pragma once

// The request-line parser's internals, shared by cli/request_line.cc (words, the target, entry
// points, resolving against the defaults) and cli/request_clauses.cc (the keyword clauses). Not an
// interface: the parser's entry point is parseRequestLine() in cli/request_line.h.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/line_words.h"
#include "cli/request_line.h"
#include "model/ascii.h"

namespace istio_lint::cli::request_line {

using model::isBlank;
inline bool isDigit(char c) { return c >= '0' && c <= '9'; }
inline bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
/// RFC 9110 tchar: the characters of a method or header name.
inline bool isTchar(char c) {
  return isAlpha(c) || isDigit(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}
inline bool isNameChar(char c) { return isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_'; }

/// A character as an error message shows it: `x`, or its byte value when it does not print.
std::string shown(char c);
/// Messages quote what the user typed; long words are cut so a message stays one line.
std::string quoted(std::string_view s);

class Parser {
 public:
  Parser(std::string_view line, const RequestFields& defaults) : line_(line), defaults_(defaults) {}

  ParsedLine run();

 private:
  ParsedLine fail(size_t byte_offset, std::string message) const {
    ParsedLine p;
    p.kind = ParsedLine::Kind::Error;
    p.error = {columnAt(line_, byte_offset), std::move(message)};
    return p;
  }
  // The byte offset of character k of a word, for errors inside it; past its end: just after its
  // last character (or the word's start when it has none).
  static size_t at(const Word& w, size_t k) {
    if (k < w.src.size()) return w.src[k];
    return w.src.empty() ? w.start : w.src.back() + 1;
  }

  std::optional<ParsedLine> clause(size_t& i);
  std::optional<ParsedLine> target(const Word& w);
  std::optional<ParsedLine> setOnce(size_t& first, size_t offset, std::string_view what);
  std::optional<ParsedLine> host(const Word& w, size_t from, size_t to, std::string& out, std::string_view what);
  std::optional<ParsedLine> port(const Word& w, size_t from, size_t to, uint32_t& out);
  std::optional<ParsedLine> path(const Word& w, size_t from, std::string& out);
  std::optional<ParsedLine> entry(const Word& w, EntryPoint::Kind kind, size_t clause_at);
  ParsedLine resolve() const;

  std::string_view line_;
  const RequestFields& defaults_;
  std::vector<Word> words_;
  RequestFields got_;
  // Byte offsets + 1 where the line set each field (0: not set), for "given twice" and later checks.
  size_t entry_at_ = 0, scheme_at_ = 0, host_at_ = 0, sni_at_ = 0, port_at_ = 0, path_at_ = 0, method_at_ = 0,
         random_at_ = 0, target_at_ = 0, mtls_at_ = 0, deliver_at_ = 0;
  size_t entry_value_at_ = 0;    // where the entry point's NS/NAME begins
  size_t deliver_value_at_ = 0;  // where the NS/NAME of `to` beside `from`/`via` begins
  std::vector<size_t> header_at_;
};

}  // namespace istio_lint::cli::request_line
