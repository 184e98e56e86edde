#pragma once

// Checks shared by the tests that run the istio-lint binary.

#include <doctest/doctest.h>

#include "tests/test_util.h"

namespace istio_lint::testing {

/// The run ended by itself: neither the time limit nor a signal stopped it.
inline void checkRan(const RunResult& r) {
  REQUIRE_MESSAGE(!r.timed_out, "istio-lint timed out");
  REQUIRE_MESSAGE(!r.signaled, "istio-lint died of signal " << r.signal << "; stderr: " << r.err);
}

#ifdef ISTIO_LINT_SOURCE_DIR
/// fixtures/simulate/shop: the gateway, VirtualServices and workloads simulate's examples use.
inline const std::string kShopFixture = std::string(ISTIO_LINT_SOURCE_DIR) + "/fixtures/simulate/shop";
#endif

}  // namespace istio_lint::testing
