// Hostile file systems: symbolic link loops, dangling links, FIFOs, files that disappear or change
// between the directory walk and the read, unreadable files and directories. Each is a finding
// naming the file (IL0004), the other files are analyzed, and nothing blocks or crashes.

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "model/loader.h"
#include "model/read_hook.h"
#include "tests/hostile/hostile_util.h"

namespace istio_lint::hostile {
namespace {

namespace fs = std::filesystem;

bool contains(const std::vector<std::string>& v, std::string_view text) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& s) { return s.find(text) != std::string::npos; });
}

TEST_CASE("symbolic link loops and dangling links in a directory walk") {
  TempDir dir;
  std::string good = dir.write("tree/good.yaml", virtualServiceWithFinding("good"));
  fs::create_symlink("loop-b.yaml", dir.path() / "tree/loop-a.yaml");
  fs::create_symlink("loop-a.yaml", dir.path() / "tree/loop-b.yaml");
  fs::create_symlink("self.yaml", dir.path() / "tree/self.yaml");
  fs::create_symlink("nowhere.yaml", dir.path() / "tree/dangling.yaml");
  fs::create_directories(dir.path() / "tree/sub");
  fs::create_directory_symlink("..", dir.path() / "tree/sub/up");    // a directory cycle
  fs::create_directory_symlink("../..", dir.path() / "tree/sub/top");
  std::string root = dir / "tree";
  Run run = lintJson({root});
  CHECK(run.result.exit_code == 1);
  // The good file once: directory links are not followed, so the cycle adds nothing.
  CHECK(findingsAbout(run.findings, good) == std::vector<std::string>{"IST0101@7"});
  for (std::string name : {"loop-a.yaml", "loop-b.yaml", "self.yaml"}) {
    CAPTURE(name);
    std::string path = root + "/" + name;
    auto m = messages(run.findings, path, "IL0004");
    REQUIRE(m.size() == 1);
    CHECK(contains(m, path));
    CHECK(contains(m, "symbolic link"));
    CHECK(contains(m, "Too many levels of symbolic links"));
  }
  auto dangling = messages(run.findings, root + "/dangling.yaml", "IL0004");
  REQUIRE(dangling.size() == 1);
  CHECK(contains(dangling, "No such file or directory"));
  CHECK(run.findings.size() == 5);
}

TEST_CASE("a FIFO in a directory is reported, not read") {
  TempDir dir;
  std::string good = dir.write("tree/good.yaml", virtualServiceWithFinding("good"));
  std::string fifo = dir / "tree/pipe.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  Run run = lintJson({dir / "tree"});
  CHECK(run.result.exit_code == 1);
  CHECK(findingsAbout(run.findings, good) == std::vector<std::string>{"IST0101@7"});
  auto m = messages(run.findings, fifo, "IL0004");
  REQUIRE(m.size() == 1);
  CHECK(contains(m, "not a regular file (a FIFO)"));
}

TEST_CASE("a FIFO given on the command line is read to its end, and never waited on") {
  TempDir dir;
  std::string good = dir.write("good.yaml", virtualServiceWithFinding("good"));
  std::string fifo = dir / "pipe.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  SUBCASE("nobody writes: it reads as empty") {
    Run run = lintJson({fifo, good});
    CHECK(run.result.exit_code == 1);
    CHECK(findingsAbout(run.findings, fifo).empty());
    CHECK(findingsAbout(run.findings, good) == std::vector<std::string>{"IST0101@7"});
  }
  SUBCASE("a writer (as with `istio-lint <(kubectl get ...)`): its manifests are analyzed") {
    // The writer end is open before istio-lint starts, and closed once istio-lint has taken the
    // bytes out of the pipe, so istio-lint sees the content and then the end of the stream.
    int fd = ::open(fifo.c_str(), O_RDWR | O_CLOEXEC);  // not inherited: istio-lint must see the end
    REQUIRE(fd >= 0);
    std::string text = virtualServiceWithFinding("piped");
    REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    std::thread closer([fd] {
      auto deadline = std::chrono::steady_clock::now() + kWallLimit;
      for (int unread = 1; unread > 0 && std::chrono::steady_clock::now() < deadline;) {
        if (::ioctl(fd, FIONREAD, &unread) != 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      ::close(fd);
    });
    Run run = lintJson({fifo, good});
    closer.join();
    CHECK(run.result.exit_code == 1);
    CHECK(findingsAbout(run.findings, fifo) == std::vector<std::string>{"IST0101@7"});
    CHECK(findingsAbout(run.findings, good) == std::vector<std::string>{"IST0101@7"});
  }
}

TEST_CASE("files that disappear or change between the walk and the read") {
  TempDir dir;
  for (std::string name : {"a.yaml", "b-vanishes.yaml", "c-becomes-directory.yaml", "d-becomes-fifo.yaml",
                           "e-shrinks.yaml", "f.yaml"}) {
    dir.write("tree/" + name, virtualServiceWithFinding(name.substr(0, 1)));
  }
  std::atomic<int> changed{0};
  testing::TempDir* d = &dir;
  auto previous = model::testing::setReadHook([&, d](const std::string& path) {
    std::string name = fs::path(path).filename().string();
    if (name == "b-vanishes.yaml") {
      fs::remove(path);
    } else if (name == "c-becomes-directory.yaml") {
      fs::remove(path);
      fs::create_directory(path);
    } else if (name == "d-becomes-fifo.yaml") {
      fs::remove(path);
      ::mkfifo(path.c_str(), 0600);
    } else if (name == "e-shrinks.yaml") {
      d->write("tree/e-shrinks.yaml", "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: e");
    } else {
      return;
    }
    ++changed;
  });
  model::LoadOptions lo;
  lo.threads = 2;
  model::LoadResult r;
  double seconds = testing::timed([&] { r = model::load({{dir / "tree", std::nullopt}}, lo); });
  model::testing::setReadHook(previous);
  CHECK(changed == 4);
  CHECK(seconds < 30);
  std::vector<std::string> names;
  for (const model::ResourcePtr& p : r.resources) names.push_back(p->name());
  CHECK(names == std::vector<std::string>{"a", "f"});
  std::map<std::string, std::string> problems;
  for (const model::LoadProblem& p : r.problems) problems[fs::path(r.files.path(p.span.file)).filename()] = p.message;
  for (const model::LoadProblem& p : r.problems) {
    bool syntax = fs::path(r.files.path(p.span.file)).filename() == "e-shrinks.yaml";
    CHECK(p.type == (syntax ? model::LoadProblem::Type::Syntax : model::LoadProblem::Type::Unreadable));
    CHECK(p.span.line == (syntax ? 3u : 0u));
  }
  REQUIRE(problems.count("b-vanishes.yaml"));
  CHECK(problems["b-vanishes.yaml"].find("No such file or directory") != std::string::npos);
  CHECK(problems["b-vanishes.yaml"].find(dir / "tree/b-vanishes.yaml") != std::string::npos);
  REQUIRE(problems.count("c-becomes-directory.yaml"));
  CHECK(problems["c-becomes-directory.yaml"].find("is a directory") != std::string::npos);
  CHECK(problems.count("d-becomes-fifo.yaml") == 0);  // read as an empty pipe, without waiting
  REQUIRE(problems.count("e-shrinks.yaml"));
  CHECK(problems["e-shrinks.yaml"].find("flow mapping") != std::string::npos);  // cut short
  CHECK(r.problems.size() == 3);
}

TEST_CASE("unreadable files and directories") {
  // Permissions do not stop root: as root, run istio-lint as the unprivileged user nobody.
  std::optional<std::pair<uid_t, gid_t>> as;
  if (::geteuid() == 0) as = std::make_pair(uid_t{65534}, gid_t{65534});
  TempDir dir;
  ::chmod(dir.path().c_str(), 0755);
  std::string good = dir.write("tree/good.yaml", virtualServiceWithFinding("good"));
  std::string secret = dir.write("tree/secret.yaml", virtualServiceWithFinding("secret"));
  dir.write("tree/locked/inside.yaml", virtualServiceWithFinding("inside"));
  std::string locked = dir / "tree/locked";
  for (const auto& e : fs::recursive_directory_iterator(dir.path())) {
    ::chmod(e.path().c_str(), e.is_directory() ? 0755 : 0644);
  }
  REQUIRE(::chmod(secret.c_str(), 0) == 0);
  REQUIRE(::chmod(locked.c_str(), 0) == 0);
  // A binary nobody can run (a build folder below a private directory) cannot test this.
  if (as && ::access(ISTIO_LINT_BINARY, F_OK) == 0) {
    RunResult probe = testing::runProcess({ISTIO_LINT_BINARY, "--version"}, kWallLimit, "/dev/null", as);
    if (probe.exit_code != 0) {
      MESSAGE("skipped: the binary cannot be run as nobody (exit " << probe.exit_code << ")");
      return;
    }
  }

  Run run = lintJson({dir / "tree"}, as);
  CHECK(run.result.exit_code == 1);
  CHECK(findingsAbout(run.findings, good) == std::vector<std::string>{"IST0101@7"});
  auto m = messages(run.findings, secret, "IL0004");
  REQUIRE(m.size() == 1);
  CHECK(contains(m, secret));
  CHECK(contains(m, "Permission denied"));
  auto d = messages(run.findings, locked, "IL0004");
  REQUIRE(d.size() == 1);
  CHECK(contains(d, locked));
  CHECK(contains(d, "Permission denied"));

  // Named on the command line, an unreadable file stops the run before it starts (exit 2), with
  // the path and the reason.
  Run direct = lintJson({secret, good}, as);
  CHECK(direct.result.exit_code == 2);
  CHECK(direct.result.err.find(secret) != std::string::npos);
  CHECK(direct.result.err.find("Permission denied") != std::string::npos);
}

}  // namespace
}  // namespace istio_lint::hostile
