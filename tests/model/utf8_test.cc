// model/utf8.h: what counts as UTF-8, and the lossy repair structured outputs use.

#include <doctest/doctest.h>

#include <string>

#include "model/utf8.h"

namespace istio_lint::model {
namespace {

TEST_CASE("utf8Length accepts well-formed sequences only") {
  uint32_t cp = 0;
  CHECK(utf8Length("a", 0, &cp) == 1);
  CHECK(cp == 'a');
  CHECK(utf8Length("\xC3\xA9", 0, &cp) == 2);
  CHECK(cp == 0xE9);
  CHECK(utf8Length("\xE2\x80\x94", 0, &cp) == 3);
  CHECK(cp == 0x2014);
  CHECK(utf8Length("\xF0\x9F\x98\x80", 0, &cp) == 4);
  CHECK(cp == 0x1F600);
  CHECK(utf8Length("\x80", 0) == 0);              // a continuation byte on its own
  CHECK(utf8Length("\xC0\xAF", 0) == 0);          // overlong '/'
  CHECK(utf8Length("\xE0\x80\xAF", 0) == 0);      // overlong, three bytes
  CHECK(utf8Length("\xED\xA0\x80", 0) == 0);      // a UTF-16 surrogate
  CHECK(utf8Length("\xF4\x90\x80\x80", 0) == 0);  // past U+10FFFF
  CHECK(utf8Length("\xE2\x80", 0) == 0);          // truncated
  CHECK(utf8Length("\xFF", 0) == 0);
}

TEST_CASE("toValidUtf8 replaces each bad byte with U+FFFD and keeps the rest") {
  CHECK(isValidUtf8(""));
  CHECK(isValidUtf8("plain ascii, caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80"));
  CHECK_FALSE(isValidUtf8("back\xFFoffice.yaml"));
  CHECK(toValidUtf8("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(toValidUtf8("back\xFFoffice.yaml") == "back\xEF\xBF\xBDoffice.yaml");
  // A truncated sequence: each of its bytes is replaced, the byte after it kept.
  CHECK(toValidUtf8("x\xE2\x80y") == "x\xEF\xBF\xBD\xEF\xBF\xBDy");
  CHECK(toValidUtf8("\xAC\xCF") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(isValidUtf8(toValidUtf8(std::string("\0\x80\xC2", 3))));
}

}  // namespace
}  // namespace istio_lint::model
