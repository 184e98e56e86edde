// Hostile inputs too big to check in, generated at test time: a 100 MB scalar, 100 000-deep
// nesting in every form, and a merge-key bomb that is small in bytes but would make the loader
// copy billions of entries. Each sits between two good documents in the same file, next to a good
// file; each must give its finding at the right line (or none, for the scalar, which is valid),
// leave the good documents analyzed, exit 1, and stay within the time and memory bounds.

#include "tests/hostile/hostile_util.h"

namespace istio_lint::hostile {
namespace {

/// A file: a good document (finding at line 7), `middle` starting at line 9, a good document
/// (finding at its line 7).
std::string sandwich(const std::string& middle) {
  return virtualServiceWithFinding("before") + "---\n" + middle + "---\n" + virtualServiceWithFinding("after");
}

uint32_t linesOf(const std::string& s) { return static_cast<uint32_t>(std::count(s.begin(), s.end(), '\n')); }

/// Runs the file next to a good one and returns the findings about the file.
std::vector<std::string> analyze(const TempDir& dir, const std::string& name, const std::string& text) {
  std::string bad = dir.write(name, text);
  std::string good = dir.write("zz-good.yaml", virtualServiceWithFinding("good"));
  Run run = lintJson({bad, good});
  CHECK(run.result.exit_code == 1);
  CHECK(findingsAbout(run.findings, good) == std::vector<std::string>{"IST0101@7"});
  INFO("stderr: " << run.result.err);
  INFO("peak memory " << run.result.max_rss_kb << " KiB, CPU " << run.result.cpu_seconds << " s");
  return findingsAbout(run.findings, bad);
}

TEST_CASE("a 100 MB scalar is read like any other") {
  TempDir dir;
  std::string middle = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big, namespace: default}\ndata:\n  big: " +
                       std::string(size_t{100} << 20, 'x') + "\n";
  std::string text = sandwich(middle);
  uint32_t after = 8 + linesOf(middle) + 1 + 7;
  CHECK(analyze(dir, "big-scalar.yaml", text) ==
        std::vector<std::string>{"IST0101@7", "IST0101@" + std::to_string(after)});
}

TEST_CASE("100 000-deep nesting is refused at its line, quickly") {
  constexpr size_t kDepth = 100000;
  std::string block;  // "- - - ... x": compact nested block sequences
  for (size_t i = 0; i < kDepth; ++i) block += "- ";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"flow sequences", "a: " + std::string(kDepth, '[') + std::string(kDepth, ']') + "\n"},
      {"flow mappings", "a: " + std::string(kDepth, '{') + std::string(kDepth, '}') + "\n"},
      {"unclosed flow sequences", "a: " + std::string(kDepth, '[') + "\n"},
      {"block sequences", block + "x\n"},
      {"block mappings in flow sequences", "a: " + [&] {
         std::string s;
         for (size_t i = 0; i < kDepth; ++i) s += "[k: ";
         return s + "v" + std::string(kDepth, ']');
       }() + "\n"},
  };
  TempDir dir;
  for (const auto& c : cases) {
    const std::string& what = c.first;  // plain references: lambdas capture them
    const std::string& middle = c.second;
    CAPTURE(what);
    uint32_t after = 8 + linesOf(middle) + 1 + 7;
    CHECK(analyze(dir, "deep.yaml", sandwich(middle)) ==
          std::vector<std::string>{"IST0101@7", "IL0003@9", "IST0101@" + std::to_string(after)});
  }
}

TEST_CASE("a merge-key bomb: each merge copies a big mapping many times") {
  // 40 KB of text; merging it as written would copy 2000 keys 900 times per line, 18 million
  // entries in all.
  std::string middle = "a0: &a0 {";
  for (int i = 0; i < 2000; ++i) middle += (i ? ", k" : "k") + std::to_string(i) + ": v";
  middle += "}\n";
  for (int b = 0; b < 10; ++b) {
    middle += "b" + std::to_string(b) + ": {<<: [";
    for (int j = 0; j < 900; ++j) middle += j ? ", *a0" : "*a0";
    middle += "]}\n";
  }
  TempDir dir;
  // The first two lines of merges stay within the budget of 4 million entries; the third does not.
  std::vector<std::string> found = analyze(dir, "merge-bomb.yaml", sandwich(middle));
  CHECK(found == std::vector<std::string>{"IST0101@7", "IL0003@12", "IST0101@" + std::to_string(8 + 11 + 1 + 7)});
}

}  // namespace
}  // namespace istio_lint::hostile
