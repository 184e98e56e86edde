#include <doctest/doctest.h>

#include "model/ascii.h"

namespace istio_lint::model {
namespace {

TEST_CASE("ascii: case folding touches ASCII letters only") {
  CHECK(asciiLower("Shop.Example.COM:8443") == "shop.example.com:8443");
  CHECK(asciiUpper("https-mtls_1") == "HTTPS-MTLS_1");
  // Bytes of UTF-8 characters (and the letters the C locale might fold) stay as they are.
  CHECK(asciiLower("\xC3\x89T\xC3\xA9") == "\xC3\x89t\xC3\xA9");
  CHECK(asciiUpper("\xC3\xA9t\xC3\xA9") == "\xC3\xA9T\xC3\xA9");
  CHECK(asciiLower("@[`{") == "@[`{");  // the neighbours of the letter ranges
  CHECK(asciiUpper("@[`{") == "@[`{");
  CHECK(asciiLower('Z') == 'z');
  CHECK(asciiUpper('a') == 'A');
}

TEST_CASE("ascii: equalsIgnoreCase") {
  CHECK(equalsIgnoreCase("X-Canary", "x-canary"));
  CHECK(equalsIgnoreCase("", ""));
  CHECK_FALSE(equalsIgnoreCase("x-canary", "x-canar"));
  CHECK_FALSE(equalsIgnoreCase("@", "`"));  // 0x40 and 0x60 differ by the case bit, but are not letters
  CHECK_FALSE(equalsIgnoreCase("\xC3\x89", "\xC3\xA9"));
}

}  // namespace
}  // namespace istio_lint::model

namespace istio_lint::model {
namespace {

TEST_CASE("trimBlanks drops spaces and tabs at both ends, nothing else") {
  CHECK(trimBlanks(" \ta b\t ") == "a b");
  CHECK(trimBlanks("x") == "x");
  CHECK(trimBlanks(" \t ").empty());
  CHECK(trimBlanks("").empty());
  CHECK(trimBlanks("\na\n") == "\na\n");
}

}  // namespace
}  // namespace istio_lint::model
