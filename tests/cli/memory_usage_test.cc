// cli/memory_usage: the process's peak and private resident memory, as `--timing` prints them.

#include <doctest/doctest.h>

#include <memory>
#include <regex>

#include "cli/memory_usage.h"
#include "tests/test_util.h"

namespace istio_lint::cli {
namespace {

TEST_CASE("memoryUsage reads the peak and the private resident memory, and sees memory written") {
  const std::optional<MemoryUsage> before = memoryUsage();
  REQUIRE(before);
  CHECK(before->private_resident > 0);
  CHECK(before->private_resident <= before->peak_resident);
  // 32 MiB written: the private pages grow by about that much.
  constexpr size_t kBytes = 32u << 20;
  auto block = std::make_unique<char[]>(kBytes);
  for (size_t i = 0; i < kBytes; i += 4096) block[i] = static_cast<char>(i);
  const std::optional<MemoryUsage> after = memoryUsage();
  REQUIRE(after);
  CHECK(after->private_resident >= before->private_resident + kBytes / 2);
  CHECK(after->peak_resident >= after->private_resident);
  CHECK(block[4096] == static_cast<char>(4096));
}

TEST_CASE("--timing prints the memory used") {
  istio_lint::testing::TempDir dir;
  const istio_lint::testing::RunResult r = istio_lint::testing::runLint({"-A", dir.path().string(), "--timing"});
  REQUIRE(r.exit_code == 0);
  CHECK(std::regex_search(r.err, std::regex("\nmemory: peak resident [0-9]+\\.[0-9] MiB, private [0-9]+\\.[0-9] MiB \\(at exit\\)\n")));
}

}  // namespace
}  // namespace istio_lint::cli
