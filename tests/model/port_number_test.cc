#include "model/port_number.h"

#include <doctest/doctest.h>

namespace istio_lint::model {
namespace {

TEST_CASE("port numbers: decimal digits, 1-65535") {
  CHECK(parsePortNumber("1") == 1u);
  CHECK(parsePortNumber("8080") == 8080u);
  CHECK(parsePortNumber("65535") == 65535u);
  for (const char* bad : {"", "0", "65536", "-1", "+80", " 80", "80 ", "8o", "99999999999"}) {
    CAPTURE(bad);
    CHECK_FALSE(parsePortNumber(bad).has_value());
  }
}

}  // namespace
}  // namespace istio_lint::model
