#pragma once

// Helpers shared by the unit tests: temporary directories, files, and running the istio-lint
// binary with a time limit.

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <thread>
#include <vector>

extern char** environ;

namespace istio_lint::testing {

namespace fs = std::filesystem;

/// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/istio-lint-test-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    restorePermissions(path_);  // a test may have taken them away; removal needs them
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  std::string operator/(std::string_view rel) const { return (path_ / rel).string(); }

  /// Writes `content` to `rel` (creating parent directories) and returns the full path.
  std::string write(std::string_view rel, std::string_view content) const {
    fs::path p = path_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) throw std::runtime_error("cannot write " + p.string());
    return p.string();
  }

 private:
  static void restorePermissions(const fs::path& dir) {
    ::chmod(dir.c_str(), 0700);
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code sec;
      if (it->is_symlink(sec)) continue;
      if (it->is_directory(sec)) {
        restorePermissions(it->path());
      } else if (it->is_regular_file(sec)) {
        ::chmod(it->path().c_str(), 0600);
      }
    }
  }
  fs::path path_;
};

inline std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// How a child process ended.
struct RunResult {
  bool timed_out = false;
  bool signaled = false;  // killed by a signal (a crash, unless timed_out)
  int signal = 0;
  int exit_code = -1;     // valid when neither timed_out nor signaled
  std::string out, err;
  double seconds = 0;
  long max_rss_kb = 0;    // the child's peak resident memory (getrusage's ru_maxrss)
  double cpu_seconds = 0; // the child's user + system time
};

/// Runs `argv` (argv[0] is the program path) with stdout and stderr captured and stdin from
/// `stdin_path` (or /dev/null). The child is killed after `timeout`. With `as_user` (uid and gid;
/// the caller must be root), the child drops to that user before it starts.
inline RunResult runProcess(const std::vector<std::string>& argv,
                            std::chrono::milliseconds timeout = std::chrono::seconds(30),
                            const std::string& stdin_path = "/dev/null",
                            std::optional<std::pair<uid_t, gid_t>> as_user = std::nullopt) {
  TempDir io;
  ::chmod(io.path().c_str(), 0777);  // a child running as another user writes its output here
  std::string out_path = io / "stdout", err_path = io / "stderr";
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (as_user) {
    // fork, then only async-signal-safe calls until exec.
    pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      int in = ::open(stdin_path.c_str(), O_RDONLY);
      int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
      int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
      if (in < 0 || out < 0 || err < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) ::_exit(126);
      if (::setgroups(0, nullptr) != 0 || ::setgid(as_user->second) != 0 || ::setuid(as_user->first) != 0) ::_exit(126);
      ::execve(args[0], args.data(), environ);
      ::_exit(127);
    }
  } else {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, stdin_path.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot run " + argv[0]);
  }

  RunResult r;
  int status = 0;
  struct rusage usage {};
  for (;;) {
    pid_t w = ::wait4(pid, &status, WNOHANG, &usage);
    if (w == pid) break;
    if (std::chrono::steady_clock::now() - start > timeout) {
      ::kill(pid, SIGKILL);
      ::wait4(pid, &status, 0, &usage);
      r.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.max_rss_kb = usage.ru_maxrss;
  r.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  if (!r.timed_out) {
    if (WIFSIGNALED(status)) {
      r.signaled = true;
      r.signal = WTERMSIG(status);
    } else if (WIFEXITED(status)) {
      r.exit_code = WEXITSTATUS(status);
    }
  }
  r.out = readAll(out_path);
  r.err = readAll(err_path);
  return r;
}

/// Runs the istio-lint binary under test with `args`.
inline RunResult runLint(const std::vector<std::string>& args,
                         std::chrono::milliseconds timeout = std::chrono::seconds(30),
                         const std::string& stdin_path = "/dev/null") {
  std::vector<std::string> argv{ISTIO_LINT_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return runProcess(argv, timeout, stdin_path);
}

/// Seconds `fn` takes.
template <typename Fn>
double timed(Fn&& fn) {
  auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace istio_lint::testing
