#pragma once

// The message catalog (rules/catalog.def) as C++: codes, names, levels, templates.

#include <concepts>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace istio_lint::rules {

enum class Level : uint8_t { Info = 0, Warning = 1, Error = 2 };
std::string_view levelName(Level l);
std::optional<Level> parseLevel(std::string_view s);  // case-insensitive

enum class Code : uint16_t {
#define RULE(id, code, name, level, ist, tmpl) id,
#include "rules/catalog.def"
#undef RULE
};

struct MessageType {
  Code id;
  std::string_view code;  // "IST0101"
  std::string_view name;  // "ReferencedResourceNotFound"
  Level level;
  std::string_view istioctl;  // equivalent istioctl code, or empty
  std::string_view format;    // fmt template
};

const MessageType& messageType(Code c);
std::span<const MessageType> allMessageTypes();
std::optional<Code> codeFromString(std::string_view code);  // "IST0101" or "ist0101"
/// Number of `{}` placeholders in a template.
size_t arity(std::string_view format);
/// https://istio.io/... for IST codes, the rule page in this repository for IL codes.
std::string documentationUrl(Code c);
/// The rule's page in this repository: docs/rules/<CODE>-<kebab-case name>.md.
std::string docPage(Code c);

/// One value for a template's `{}`, written out as fmt's `{}` writes it. Only catalog.cc sees fmt:
/// its headers, in the header-only build that a static link uses, double the compile time of
/// every file that includes them.
class MessageArg {
 public:
  MessageArg(std::string_view s) : text_(s) {}        // NOLINT(google-explicit-constructor)
  MessageArg(const std::string& s) : text_(s) {}      // NOLINT(google-explicit-constructor)
  MessageArg(const char* s) : text_(s) {}             // NOLINT(google-explicit-constructor)
  MessageArg(char c) : text_(1, c) {}                 // NOLINT(google-explicit-constructor)
  MessageArg(bool b) : text_(b ? "true" : "false") {}  // NOLINT(google-explicit-constructor)
  template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>)
  MessageArg(T v) : text_(std::to_string(v)) {}  // NOLINT(google-explicit-constructor)
  MessageArg(float v);                           // NOLINT(google-explicit-constructor)
  MessageArg(double v);                          // NOLINT(google-explicit-constructor)
  template <class T>
  MessageArg(const T*) = delete;  // not a pointer turned into "true"
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

/// The message of `c` with `args` in its `{}` placeholders, in order.
std::string renderArgs(Code c, std::span<const MessageArg> args);

template <typename... Args>
std::string render(Code c, Args&&... args) {
  if constexpr (sizeof...(Args) == 0) {
    return renderArgs(c, {});
  } else {
    const MessageArg list[] = {MessageArg(std::forward<Args>(args))...};
    return renderArgs(c, list);
  }
}

}  // namespace istio_lint::rules
