#pragma once

// The message catalog (rules/catalog.def) as C++: codes, names, levels, templates.

#include <fmt/format.h>

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

template <typename... Args>
std::string render(Code c, Args&&... args) {
  return fmt::format(fmt::runtime(messageType(c).format), std::forward<Args>(args)...);
}

}  // namespace istio_lint::rules
