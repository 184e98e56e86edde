#include "model/json_string.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace istio_lint::model {
namespace {

std::string literal(std::string_view s) {
  std::string out;
  appendJsonString(out, s);
  return out;
}

TEST_CASE("json string: escapes as nlohmann::json::dump does") {
  const std::string samples[] = {
      "plain",
      "quote \" and backslash \\",
      "controls \b\f\n\r\t and \x01\x1f",
      std::string("nul \0 inside", 12),
      "non-ASCII: caf\xc3\xa9, \xe2\x82\xac, \xf0\x9f\x98\x80",
      "",
  };
  for (const std::string& s : samples) {
    CAPTURE(s);
    CHECK(literal(s) == nlohmann::json(s).dump());
    CHECK(nlohmann::json::parse(literal(s)).get<std::string>() == s);
  }
}

TEST_CASE("json string: bytes that are not UTF-8 become U+FFFD, so the literal stays valid JSON") {
  CHECK(literal("a\xff" "b") == "\"a\xef\xbf\xbd" "b\"");
  CHECK(literal("\xc3") == "\"\xef\xbf\xbd\"");
  CHECK(nlohmann::json::parse(literal("\xed\xa0\x80 surrogate")).is_string());
}

TEST_CASE("json string: appends to what is there") {
  std::string out = "[";
  appendJsonString(out, "x");
  out += ',';
  appendJsonString(out, "y");
  CHECK(out == "[\"x\",\"y\"");
}

}  // namespace
}  // namespace istio_lint::model
