#pragma once

// The lexical layer of the `simulate -i` request line (cli/request_line.h): which bytes a line may
// hold, how it splits into words, and the character columns errors name.
//
// Words are separated by blanks (space, tab). '...' keeps everything literally; "..." understands
// \" and \\; a backslash outside quotes keeps the next character. A word remembers the byte offset
// of each of its characters, so errors inside it name the column of the character.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/utf8.h"

namespace istio_lint::cli {

/// Longer lines are rejected before any other work.
inline constexpr size_t kMaxLineBytes = 8192;

struct Word {
  std::string text;            // after quote removal
  std::vector<uint32_t> src;   // src[k]: byte offset in the line of text[k]
  size_t start = 0;            // byte offset where the word begins (its first quote, if any)
  size_t end = 0;              // byte offset just past it
  size_t quoted_from = std::string::npos;  // index in text where quoting or escaping began
  bool quoted() const { return quoted_from != std::string::npos; }
};

struct LexError {
  size_t offset = 0;  // byte offset in the line
  std::string message;
};

/// The line is at most kMaxLineBytes long, valid UTF-8, and holds no control character but tabs.
std::optional<LexError> checkLineBytes(std::string_view line);

/// Splits a line that passed checkLineBytes() into `words`; an unterminated quote or a backslash
/// at the end is an error. Linear in the line.
std::optional<LexError> splitWords(std::string_view line, std::vector<Word>& words);

/// The column (1-based, in characters: UTF-8 code points, an invalid byte counting as one) of
/// byte `offset` of `line`.
size_t columnAt(std::string_view line, size_t offset);

/// `line` for an error message to echo: each character that does not print (control characters,
/// bytes of invalid UTF-8) becomes `?` and a tab a blank, so columnAt() columns stay aligned.
std::string printable(std::string_view line);

/// "0x1B".
std::string hexByte(unsigned char c);

}  // namespace istio_lint::cli
