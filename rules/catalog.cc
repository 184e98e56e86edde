#include "rules/catalog.h"

#include <fmt/args.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace istio_lint::rules {
namespace {

constexpr MessageType kTypes[] = {
#define RULE(id, code, name, level, ist, tmpl) {Code::id, code, #name, Level::level, ist, tmpl},
#include "rules/catalog.def"
#undef RULE
};

}  // namespace

std::string_view levelName(Level l) {
  switch (l) {
    case Level::Info: return "Info";
    case Level::Warning: return "Warning";
    case Level::Error: return "Error";
  }
  return "Info";
}

std::optional<Level> parseLevel(std::string_view s) {
  std::string lower(s);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "info") return Level::Info;
  if (lower == "warning") return Level::Warning;
  if (lower == "error") return Level::Error;
  return std::nullopt;
}

const MessageType& messageType(Code c) { return kTypes[static_cast<size_t>(c)]; }

std::span<const MessageType> allMessageTypes() { return kTypes; }

std::optional<Code> codeFromString(std::string_view code) {
  std::string upper(code);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  for (const MessageType& t : kTypes) {
    if (t.code == upper) return t.id;
  }
  return std::nullopt;
}

size_t arity(std::string_view format) {
  size_t n = 0;
  for (size_t i = 0; i + 1 < format.size(); ++i) {
    if (format[i] == '{' && format[i + 1] == '}') ++n;
  }
  return n;
}

std::string documentationUrl(Code c) {
  const MessageType& t = messageType(c);
  std::string lower(t.code);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (t.code.starts_with("IST")) {
    return "https://istio.io/v1.30/docs/reference/config/analysis/" + lower + "/?ref=istioctl-analyze";
  }
  return docPage(c);
}

std::string docPage(Code c) {
  const MessageType& t = messageType(c);
  std::string out = "docs/rules/" + std::string(t.code) + "-";
  for (size_t i = 0; i < t.name.size(); ++i) {
    char ch = t.name[i];
    if (std::isupper(static_cast<unsigned char>(ch))) {
      bool prev_lower = i > 0 && !std::isupper(static_cast<unsigned char>(t.name[i - 1]));
      bool next_lower = i + 1 < t.name.size() && std::islower(static_cast<unsigned char>(t.name[i + 1]));
      if (i > 0 && (prev_lower || next_lower)) out += '-';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    } else {
      out += ch;
    }
  }
  return out + ".md";
}

MessageArg::MessageArg(float v) : text_(fmt::format("{}", v)) {}
MessageArg::MessageArg(double v) : text_(fmt::format("{}", v)) {}

std::string renderArgs(Code c, std::span<const MessageArg> args) {
  fmt::dynamic_format_arg_store<fmt::format_context> store;
  store.reserve(args.size(), 0);
  for (const MessageArg& a : args) store.push_back(std::string_view(a.text()));
  return fmt::vformat(messageType(c).format, store);
}

}  // namespace istio_lint::rules
