#include "simulate/string_matcher.h"

#include <re2/re2.h>

namespace istio_lint::simulate {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool startsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && equalsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

StringMatcher::StringMatcher() = default;
StringMatcher::StringMatcher(StringMatcher&&) noexcept = default;
StringMatcher& StringMatcher::operator=(StringMatcher&&) noexcept = default;
StringMatcher::~StringMatcher() = default;

StringMatcher StringMatcher::exact(std::string value, bool ignore_case) {
  StringMatcher m;
  m.kind_ = Kind::Exact;
  m.value_ = std::move(value);
  m.ignore_case_ = ignore_case;
  return m;
}

StringMatcher StringMatcher::prefix(std::string value, bool ignore_case) {
  StringMatcher m = exact(std::move(value), ignore_case);
  m.kind_ = Kind::Prefix;
  return m;
}

StringMatcher StringMatcher::pathSeparatedPrefix(std::string value, bool ignore_case) {
  if (value.ends_with('/')) value.pop_back();
  StringMatcher m = exact(std::move(value), ignore_case);
  m.kind_ = Kind::PathSeparatedPrefix;
  return m;
}

StringMatcher StringMatcher::from(const model::StringMatch& sm, bool ignore_case) {
  using T = model::StringMatch::Type;
  switch (sm.type) {
    case T::Any:
      return StringMatcher{};
    case T::Exact:
      return exact(sm.value, ignore_case);
    case T::Prefix:
      return prefix(sm.value, ignore_case);
    case T::Regex: {
      if (sm.value == "*") return StringMatcher{};
      StringMatcher m;
      m.kind_ = Kind::Regex;
      m.value_ = sm.value;
      RE2::Options opts;
      opts.set_log_errors(false);
      m.re_ = std::make_unique<re2::RE2>(sm.value, opts);
      m.invalid_ = !m.re_->ok();
      return m;
    }
  }
  return StringMatcher{};
}

bool StringMatcher::matches(std::string_view v) const {
  switch (kind_) {
    case Kind::Present:
      return true;
    case Kind::Exact:
      return ignore_case_ ? equalsIgnoreCase(v, value_) : v == value_;
    case Kind::Prefix:
      return ignore_case_ ? startsWithIgnoreCase(v, value_) : v.starts_with(value_);
    case Kind::PathSeparatedPrefix:
      if (!(ignore_case_ ? startsWithIgnoreCase(v, value_) : v.starts_with(value_))) return false;
      return v.size() == value_.size() || v[value_.size()] == '/';
    case Kind::Regex:
      return !invalid_ && re2::RE2::FullMatch(re2::StringPiece(v.data(), v.size()), *re_);
  }
  return false;
}

std::string StringMatcher::describe() const {
  switch (kind_) {
    case Kind::Present: return "present";
    case Kind::Exact: return "exact " + value_;
    case Kind::Prefix: return "prefix " + value_;
    case Kind::PathSeparatedPrefix: return "path prefix " + value_;
    case Kind::Regex: return "regex " + value_;
  }
  return {};
}

}  // namespace istio_lint::simulate
