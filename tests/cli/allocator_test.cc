// The process allocator (cli/allocator.h): the build's choice is the one in effect, in this test
// binary and in istio-lint itself.

#include <doctest/doctest.h>

#include "cli/allocator.h"
#include "tests/test_util.h"

namespace istio_lint::cli {
namespace {

TEST_CASE("allocatorName reports the allocator the build linked, checked on a real allocation") {
  const std::string name = allocatorName();
  if (allocatorLinked()) {
    // Linked but not in effect would mean malloc binds to glibc before mimalloc.
    CHECK(name.rfind("mimalloc 2.", 0) == 0);
  } else {
    CHECK(name == "glibc malloc");
  }
}

TEST_CASE("--timing names the allocator of the istio-lint binary") {
  istio_lint::testing::TempDir dir;
  const istio_lint::testing::RunResult r = istio_lint::testing::runLint({"-A", dir.path().string(), "--timing"});
  REQUIRE(r.exit_code == 0);
  // The binary and this test are built with the same configuration.
  CHECK(r.err.find("allocator: " + allocatorName() + "\n") != std::string::npos);
}

}  // namespace
}  // namespace istio_lint::cli
