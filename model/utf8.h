#pragma once

// UTF-8 validity: for the input (the loader finds the first byte libyaml would reject) and for
// text that leaves istio-lint in a format that must be Unicode (JSON, YAML, SARIF, JUnit XML).
// File names on Linux are arbitrary bytes and comments are not checked by the YAML parser, so a
// path or an echoed comment can hold bytes that are not UTF-8.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace istio_lint::model {

/// Length of the valid UTF-8 sequence at byte `i`, or 0 when the byte there does not start one
/// (stray continuation bytes, overlong forms, surrogates, code points past U+10FFFF, truncation).
size_t utf8Length(std::string_view s, size_t i, uint32_t* code_point = nullptr);

/// True when all of `s` is valid UTF-8.
bool isValidUtf8(std::string_view s);

/// `s` with each byte that does not start a valid UTF-8 sequence replaced by U+FFFD, the
/// replacement character (as JSON libraries and Python's errors="replace" do). Valid input comes
/// back unchanged.
std::string toValidUtf8(std::string_view s);

}  // namespace istio_lint::model
