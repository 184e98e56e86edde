// CLI golden snapshots. tests/golden/<name>.args holds one line: the arguments after the binary,
// with paths relative to the repository root (the test runs there). <name>.out holds the exact
// stdout followed by a line `--- exit: N`. When tests/golden/<name>.stdin exists, it is the run's
// standard input (scripted `simulate -i` sessions), and the snapshot also holds stderr, after a
// line `--- stderr`, before the exit line. On a mismatch the actual output is written to
// <build>/golden-actual/<name>.out and the unified diff is printed; ISTIO_LINT_UPDATE_GOLDEN=1
// rewrites the .out files instead (review the diff before committing them).
//
// The runs see ISTIO_LINT_NOW=kFixtureNow (tests/analyzers/fixture_markers.h), so certificate
// expiry in snapshots does not depend on today's date.
//
// One snapshot: `ctest -R golden.<name>` (sets ISTIO_LINT_GOLDEN=<name>), or
// `golden_tests -tc=golden -sc=<name>`.

#ifdef ISTIO_LINT_TEST_OWN_MAIN
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#endif
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "tests/analyzers/fixture_markers.h"
#include "tests/test_util.h"

#ifndef ISTIO_LINT_GOLDEN_ACTUAL_DIR
#define ISTIO_LINT_GOLDEN_ACTUAL_DIR "golden-actual"
#endif

namespace istio_lint::testing {
namespace {

const fs::path kSourceDir = ISTIO_LINT_SOURCE_DIR;
const fs::path kGoldenDir = kSourceDir / "tests" / "golden";
const fs::path kActualDir = ISTIO_LINT_GOLDEN_ACTUAL_DIR;
/// Certificate checks of the CLI runs use the fixtures' fixed "now" (ISTIO_LINT_NOW is inherited).
[[maybe_unused]] const bool kNowSet = setFixtureNow();

bool updating() {
  const char* v = std::getenv("ISTIO_LINT_UPDATE_GOLDEN");
  return v != nullptr && std::string_view(v) == "1";
}

/// Splits an .args line like a shell would for the simple cases: whitespace separates, and
/// '...' or "..." keep spaces inside one argument.
std::vector<std::string> splitArgs(std::string_view line) {
  std::vector<std::string> out;
  std::string cur;
  bool in_arg = false;
  char quote = 0;
  for (char c : line) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        cur += c;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_arg = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_arg) out.push_back(std::move(cur));
      cur.clear();
      in_arg = false;
    } else {
      cur += c;
      in_arg = true;
    }
  }
  if (in_arg) out.push_back(std::move(cur));
  return out;
}

std::string findInPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string_view p = path ? path : "/usr/bin:/bin";
  for (size_t start = 0; start <= p.size();) {
    size_t colon = p.find(':', start);
    std::string dir(p.substr(start, colon == std::string_view::npos ? p.npos : colon - start));
    fs::path candidate = fs::path(dir.empty() ? "." : dir) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  return {};
}

/// `diff -u expected actual`, or both texts when diff is not installed.
std::string unifiedDiff(const fs::path& expected, const fs::path& actual) {
  std::string diff = findInPath("diff");
  if (diff.empty()) {
    return "--- expected (" + expected.string() + ")\n" + readAll(expected.string()) + "+++ actual (" +
           actual.string() + ")\n" + readAll(actual.string());
  }
  RunResult r = runProcess({diff, "-u", expected.string(), actual.string()});
  return r.out + r.err;
}

void writeFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  REQUIRE_MESSAGE(out.good(), "cannot write " << p.string());
}

void checkGolden(const std::string& name) {
  const fs::path args_file = kGoldenDir / (name + ".args");
  const fs::path out_file = kGoldenDir / (name + ".out");
  std::string line = readAll(args_file.string());
  if (size_t nl = line.find('\n'); nl != std::string::npos) {
    REQUIRE_MESSAGE(line.find_first_not_of(" \t\r\n", nl) == std::string::npos,
                    args_file.string() << " must hold one line of arguments");
    line.resize(nl);
  }
  std::vector<std::string> args = splitArgs(line);
  REQUIRE_MESSAGE(!args.empty(), args_file.string() << " holds no arguments");

  const fs::path stdin_file = kGoldenDir / (name + ".stdin");
  const bool with_stdin = fs::exists(stdin_file);
  RunResult r = runLint(args, std::chrono::seconds(60), with_stdin ? stdin_file.string() : std::string("/dev/null"));
  REQUIRE_MESSAGE(!r.timed_out, "istio-lint " << line << ": timed out");
  REQUIRE_MESSAGE(!r.signaled, "istio-lint " << line << ": killed by signal " << r.signal << "\n" << r.err);

  std::string actual = r.out;
  if (!actual.empty() && actual.back() != '\n') actual += "\n--- (no newline at the end of stdout)\n";
  if (with_stdin) {
    actual += "--- stderr\n" + r.err;
    if (!r.err.empty() && r.err.back() != '\n') actual += "\n--- (no newline at the end of stderr)\n";
  }
  actual += "--- exit: " + std::to_string(r.exit_code) + "\n";

  if (updating()) {
    writeFile(out_file, actual);
    MESSAGE("updated " << fs::relative(out_file, kSourceDir).generic_string());
    return;
  }
  const fs::path actual_file = kActualDir / (name + ".out");
  if (!fs::exists(out_file)) {
    writeFile(actual_file, actual);
    FAIL_CHECK(fs::relative(out_file, kSourceDir).generic_string()
               << " does not exist; the output is in " << actual_file.string()
               << "\nRun `ISTIO_LINT_UPDATE_GOLDEN=1 ctest -R golden` to create it, and review it.");
    return;
  }
  std::string expected = readAll(out_file.string());
  if (expected == actual) {
    std::error_code ec;
    fs::remove(actual_file, ec);  // no stale output from an earlier failing run
    return;
  }
  writeFile(actual_file, actual);
  FAIL_CHECK("golden mismatch for istio-lint " << line << "\n"
             << unifiedDiff(out_file, actual_file) << "stderr:\n" << r.err
             << "\nactual output: " << actual_file.string()
             << "\nIf the change is intended: ISTIO_LINT_UPDATE_GOLDEN=1 ctest -R golden, then review the diff.");
}

/// Snapshot names (<name>.args), sorted; .out files without an .args are reported.
std::vector<std::string> goldenNames() {
  std::vector<std::string> names;
  for (const fs::directory_entry& e : fs::directory_iterator(kGoldenDir)) {
    if (e.path().extension() == ".args") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST_CASE("golden") {
  REQUIRE(fs::is_directory(kSourceDir));
  fs::current_path(kSourceDir);  // .args paths are relative to the repository root
  std::vector<std::string> names = goldenNames();
  const char* only = std::getenv("ISTIO_LINT_GOLDEN");
  if (only != nullptr && *only != '\0') {
    std::erase_if(names, [&](const std::string& n) { return n != only; });
    REQUIRE_MESSAGE(!names.empty(), "ISTIO_LINT_GOLDEN=" << only << ": no tests/golden/" << only << ".args");
  }
  REQUIRE_MESSAGE(!names.empty(), "no tests/golden/*.args");
  for (const std::string& name : names) {
    SUBCASE(name.c_str()) { checkGolden(name); }
  }
}

TEST_CASE("every golden .out and .stdin has an .args") {
  for (const fs::directory_entry& e : fs::directory_iterator(kGoldenDir)) {
    if (e.path().extension() != ".out" && e.path().extension() != ".stdin") continue;
    fs::path args = e.path();
    args.replace_extension(".args");
    CHECK_MESSAGE(fs::exists(args), e.path().filename().string() << " has no " << args.filename().string()
                                                                   << "; delete it or add the arguments");
  }
}

TEST_CASE("golden argument splitting") {
  CHECK(splitArgs("-A fixtures/golden/shop  --color never\n") ==
        std::vector<std::string>{"-A", "fixtures/golden/shop", "--color", "never"});
  CHECK(splitArgs("-S \"IST0101=VirtualService shop/*\" x.yaml") ==
        std::vector<std::string>{"-S", "IST0101=VirtualService shop/*", "x.yaml"});
  CHECK(splitArgs("-o '' a") == std::vector<std::string>{"-o", "", "a"});
}

}  // namespace
}  // namespace istio_lint::testing
