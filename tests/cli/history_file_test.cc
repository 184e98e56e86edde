// The history file of the `simulate -i` prompt (cli/history_file.h): where it is, what is kept,
// and what happens when it cannot be used.

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "cli/history_file.h"
#include "cli/request_line.h"
#include "tests/test_util.h"

namespace istio_lint::cli {
namespace {

using istio_lint::testing::readAll;
using istio_lint::testing::TempDir;

TEST_CASE("history file: path from HOME") {
  CHECK(historyPath(nullptr).empty());
  CHECK(historyPath("").empty());
  CHECK(historyPath("/home/u") == "/home/u/.istio-lint_history");
  CHECK(historyPath("/home/u/") == "/home/u/.istio-lint_history");
}

TEST_CASE("history file: append, then load, in order, created private") {
  TempDir dir;
  const std::string path = dir / ".istio-lint_history";
  std::string error;
  CHECK(loadHistory(path, error).empty());  // no file yet: no history, no error
  CHECK(error.empty());
  CHECK(appendHistory(path, "GET https://shop.example.com/", error));
  CHECK(appendHistory(path, "tls api.stripe.com:443 from payments/payments", error));
  CHECK(appendHistory(path, std::string("bad\0line", 8), error));  // skipped, not an error
  CHECK(appendHistory(path, "   ", error));
  CHECK(error.empty());
  CHECK(readAll(path) == "GET https://shop.example.com/\ntls api.stripe.com:443 from payments/payments\n");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(loadHistory(path, error) ==
        std::vector<std::string>{"GET https://shop.example.com/", "tls api.stripe.com:443 from payments/payments"});
  CHECK(error.empty());
}

TEST_CASE("history file: only the last entries are kept, and junk lines are dropped") {
  TempDir dir;
  std::string text = "\x1b[31mjunk\n\n" + std::string(kMaxLineBytes + 1, 'x') + "\n";
  for (size_t i = 0; i < kMaxHistoryEntries + 10; ++i) text += "line " + std::to_string(i) + "\n";
  const std::string path = dir.write(".istio-lint_history", text);
  std::string error;
  std::vector<std::string> h = loadHistory(path, error);
  CHECK(error.empty());
  REQUIRE(h.size() == kMaxHistoryEntries);
  CHECK(h.front() == "line 10");
  CHECK(h.back() == "line " + std::to_string(kMaxHistoryEntries + 9));
  // The file was rewritten with what is kept.
  CHECK(loadHistory(path, error) == h);
  CHECK(readAll(path).find("junk") == std::string::npos);
}

TEST_CASE("history file: a large file is read from its end only") {
  TempDir dir;
  std::string text;
  while (text.size() < kMaxHistoryBytes * 3) text += std::string(200, 'a') + "\n";
  text += "the newest\n";
  const std::string path = dir.write(".istio-lint_history", text);
  std::string error;
  std::vector<std::string> h = loadHistory(path, error);
  CHECK(error.empty());
  REQUIRE(!h.empty());
  CHECK(h.back() == "the newest");
  CHECK(h.size() <= kMaxHistoryEntries);
}

TEST_CASE("history file: unusable places give an error, not a crash") {
  TempDir dir;
  std::string error;
  // A directory where the file should be.
  std::filesystem::create_directories(dir / ".istio-lint_history");
  CHECK(loadHistory(dir / ".istio-lint_history", error).empty());
  CHECK(error.find("not a regular file") != std::string::npos);
  error.clear();
  CHECK(!appendHistory(dir / ".istio-lint_history", "GET x", error));
  CHECK(error.find("cannot write") != std::string::npos);
  // A directory that does not exist.
  error.clear();
  CHECK(!appendHistory(dir / "missing/.istio-lint_history", "GET x", error));
  CHECK(!error.empty());
  // A FIFO does not block either call.
  const std::string fifo = dir / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  error.clear();
  CHECK(loadHistory(fifo, error).empty());
  CHECK(!error.empty());
  error.clear();
  CHECK(!appendHistory(fifo, "GET x", error));
  // Unreadable (root reads anything, so only checked as another user).
  if (::geteuid() != 0) {
    const std::string locked = dir.write("locked", "GET x\n");
    ::chmod(locked.c_str(), 0);
    error.clear();
    CHECK(loadHistory(locked, error).empty());
    CHECK(error.find("cannot read") != std::string::npos);
  }
}

}  // namespace
}  // namespace istio_lint::cli
