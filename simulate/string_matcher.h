#pragma once

// A compiled Istio StringMatch (exact / prefix / regex) as Envoy evaluates it: regexes are RE2,
// compiled once, and must match the whole value. Matching never allocates.

#include <memory>
#include <string>
#include <string_view>

#include "model/resources/networking.h"

namespace re2 {
class RE2;
}

namespace istio_lint::simulate {

class StringMatcher {
 public:
  enum class Kind : uint8_t { Present, Exact, Prefix, PathSeparatedPrefix, Regex };

  StringMatcher();
  /// `ignore_case` applies to exact and prefix (Envoy's ignore_case / case_sensitive: false).
  /// An empty StringMatch, and the regex "*", become a presence check (istiod's
  /// canBeConvertedToPresentMatch).
  static StringMatcher from(const model::StringMatch& m, bool ignore_case = false);
  static StringMatcher exact(std::string value, bool ignore_case = false);
  static StringMatcher prefix(std::string value, bool ignore_case = false);
  /// Envoy's path_separated_prefix: the path is `value` or starts with `value` followed by '/'
  /// ("/foo" matches "/foo" and "/foo/bar", not "/foobar"). A trailing '/' of `value` is dropped,
  /// as istiod drops it ("/foo/" is "/foo").
  static StringMatcher pathSeparatedPrefix(std::string value, bool ignore_case = false);

  bool matches(std::string_view value) const;
  Kind kind() const { return kind_; }
  const std::string& value() const { return value_; }
  /// The regex did not compile; such a matcher never matches.
  bool invalid() const { return invalid_; }
  /// "exact /a", "prefix /", "path prefix /a", "regex ^v[0-9]$", "present".
  std::string describe() const;

  StringMatcher(StringMatcher&&) noexcept;
  StringMatcher& operator=(StringMatcher&&) noexcept;
  ~StringMatcher();

 private:
  Kind kind_ = Kind::Present;
  bool ignore_case_ = false;
  bool invalid_ = false;
  std::string value_;
  std::unique_ptr<re2::RE2> re_;
};

/// ASCII case-insensitive equality and prefix test.
bool equalsIgnoreCase(std::string_view a, std::string_view b);
bool startsWithIgnoreCase(std::string_view s, std::string_view prefix);

}  // namespace istio_lint::simulate
