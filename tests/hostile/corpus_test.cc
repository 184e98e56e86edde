// The checked-in hostile corpus (tests/hostile/corpus/): syntax errors at every structural
// position, bytes YAML rejects, documents that are not resources, wrong types for every kind of
// field, alias and merge-key bombs. Each file holds good documents around the bad one; the whole
// corpus is analyzed in one run and every file must produce exactly the findings listed in
// tests/hostile/expectations.txt: the problem at its line, and the good documents' findings.

#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/loader.h"
#include "tests/hostile/hostile_util.h"

namespace istio_lint::hostile {
namespace {

namespace fs = std::filesystem;

const std::string kCorpus = std::string(ISTIO_LINT_SOURCE_DIR) + "/tests/hostile/corpus";

/// expectations.txt: "file: CODE@LINE ..." per line, # comments.
std::map<std::string, std::vector<std::string>> expectations() {
  std::map<std::string, std::vector<std::string>> out;
  std::ifstream in(std::string(ISTIO_LINT_SOURCE_DIR) + "/tests/hostile/expectations.txt");
  REQUIRE(in);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    size_t colon = line.find(": ");
    REQUIRE(colon != std::string::npos);
    std::istringstream codes(line.substr(colon + 2));
    std::vector<std::string>& v = out[line.substr(0, colon)];
    for (std::string c; codes >> c;) v.push_back(c);
  }
  return out;
}

std::vector<std::string> corpusFiles() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(kCorpus)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("every corpus file gives its findings and the rest is analyzed") {
  auto expected = expectations();
  std::vector<std::string> files = corpusFiles();
  REQUIRE(files.size() >= 40);
  std::vector<std::string> listed;
  for (const auto& [f, _] : expected) listed.push_back(f);
  CHECK(listed == files);  // every file has expectations, every expectation a file

  TempDir dir;
  std::string good = dir.write("good.yaml", virtualServiceWithFinding("good"));
  Run run = lintJson({kCorpus, good});
  CHECK(run.result.exit_code == 1);
  CHECK(findingsAbout(run.findings, good) == std::vector<std::string>{"IST0101@7"});
  for (const std::string& f : files) {
    CAPTURE(f);
    std::string path = kCorpus + "/" + f;
    CHECK(findingsAbout(run.findings, path) == expected[f]);
    for (const auto& m : run.findings) {
      if (m.value("file", "") != path) continue;
      CHECK(m["line"].get<int>() >= 1);
      CHECK(m["column"].get<int>() >= 1);
      CHECK_FALSE(m["message"].get<std::string>().empty());
    }
  }
  // The exit code does not depend on the output format.
  for (std::string format : {"text", "yaml"}) {
    CAPTURE(format);
    RunResult r = testing::runLint({"-A", kCorpus, good, "-o", format}, kWallLimit);
    REQUIRE(!r.timed_out);
    REQUIRE(!r.signaled);
    CHECK(r.exit_code == 1);
  }
}

TEST_CASE("each corpus file alone, in process: bounded time, problems with positions") {
  for (const std::string& f : corpusFiles()) {
    CAPTURE(f);
    std::string path = kCorpus + "/" + f;
    model::LoadOptions lo;
    lo.threads = 1;
    model::LoadResult r;
    double seconds = testing::timed([&] { r = model::load({{path, std::nullopt}}, lo); });
    CHECK(seconds < 10.0);
    CHECK(r.files_read == 1);
    for (const model::LoadProblem& p : r.problems) {
      CHECK(r.files.path(p.span.file) == path);
      CHECK(p.span.line >= 1);
      CHECK_FALSE(p.message.empty());
    }
  }
  struct rusage self {};
  ::getrusage(RUSAGE_SELF, &self);
  CHECK_MESSAGE(self.ru_maxrss < kMemoryLimitKb, "peak memory " << self.ru_maxrss << " KiB");
}

}  // namespace
}  // namespace istio_lint::hostile
