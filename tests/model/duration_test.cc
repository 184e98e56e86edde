#include "model/duration.h"

#include <doctest/doctest.h>

namespace istio_lint::model {
namespace {

TEST_CASE("durations as istiod reads them (Go's time.ParseDuration)") {
  CHECK(parseDurationMicros("5s") == 5000000);
  CHECK(parseDurationMicros("1.5s") == 1500000);
  CHECK(parseDurationMicros("250ms") == 250000);
  CHECK(parseDurationMicros("1m30s") == 90000000);
  CHECK(parseDurationMicros("2h") == int64_t{7200} * 1000000);
  CHECK(parseDurationMicros("10us") == 10);
  CHECK(parseDurationMicros("1500ns") == 2);  // rounded to the microsecond
  CHECK(parseDurationMicros("0") == 0);
  CHECK(parseDurationMicros(".5s") == 500000);
}

TEST_CASE("what is not a duration") {
  for (const char* bad : {"", "5", "s", "5x", "-1s", "1.s.", "5 s", "1e3s", "99999999999h"}) {
    CAPTURE(bad);
    CHECK_FALSE(parseDurationMicros(bad).has_value());
  }
}

}  // namespace
}  // namespace istio_lint::model
