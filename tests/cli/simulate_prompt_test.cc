// `istio-lint simulate -i` end to end: scripted sessions on stdin (exit codes, JSON lines, bounds)
// and a session on a pseudo-terminal (libedit: tab completion, history file).

#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/run_checks.h"
#include "tests/test_util.h"

namespace istio_lint::cli {
namespace {

using istio_lint::testing::kShopFixture;

using istio_lint::testing::readAll;
using istio_lint::testing::RunResult;
using istio_lint::testing::runLint;
using istio_lint::testing::TempDir;

const std::string kStripe = std::string(ISTIO_LINT_SOURCE_DIR) + "/fixtures/simulate/stripe-egress";
const std::string kInbound = std::string(ISTIO_LINT_SOURCE_DIR) + "/fixtures/simulate/inbound";

RunResult session(const std::vector<std::string>& args, const std::string& input) {
  TempDir dir;
  const std::string in = dir.write("stdin", input);
  std::vector<std::string> all{"simulate", "-i"};
  all.insert(all.end(), args.begin(), args.end());
  return runLint(all, std::chrono::seconds(60), in);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TEST_CASE("simulate -i: a script traces each line as one-shot simulate does") {
  RunResult r = session({kStripe}, "tls api.stripe.com:443 from payments/payments\n");
  CHECK(r.exit_code == 0);
  RunResult one = runLint({"simulate", kStripe, "--from", "payments/payments", "--scheme", "tls", "--sni",
                           "api.stripe.com", "--port", "443"});
  CHECK(one.exit_code == 0);
  CHECK(r.out == one.out);
  CHECK(r.err.empty());
}

TEST_CASE("simulate -i: `to` enters a workload's inbound side, as one-shot --to does") {
  RunResult one = runLint({"simulate", kInbound, "--to", "shop/reviews", "--port", "8080", "--mtls", "--path", "/reviews"});
  CHECK(one.exit_code == 0);
  CHECK(one.out.find("inbound to shop/reviews over Istio mTLS") != std::string::npos);
  RunResult r = session({kInbound}, "GET /reviews port 8080 to shop/reviews mtls\n");
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out == one.out);
  // --to and --mtls on the command line are the lines' defaults.
  r = session({kInbound, "--to", "shop/reviews", "--mtls"}, "GET /reviews port 8080\n");
  CHECK(r.exit_code == 0);
  CHECK(r.out == one.out);
  // Without mtls the STRICT port refuses the plaintext connection; the line is traced, not rejected.
  r = session({kInbound}, "GET /reviews port 8080 to shop/reviews\n");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("(ErrNoFilterChain)") != std::string::npos);
  // mtls behind `from` is a mistake in the line.
  r = session({kInbound}, "GET /reviews port 8080 from shop/reviews mtls\n");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("<stdin>:1:42: mtls describes the connection arriving at a proxy") != std::string::npos);
  r = session({kInbound, "--to", "shop/reviews", "--from", "shop/reviews"}, "");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("at most one of --gateway NS/NAME, --from NS/WORKLOAD or --to NS/WORKLOAD") != std::string::npos);
}

TEST_CASE("one-shot --to beside --from or --gateway follows the request; other combinations are usage errors") {
  const std::string caller = std::string(ISTIO_LINT_SOURCE_DIR) + "/fixtures/simulate/caller";
  RunResult r = runLint({"simulate", kInbound, caller, "--from", "shop/web", "--to", "shop/reviews", "--host", "reviews",
                         "--port", "9080", "-o", "json"});
  REQUIRE(r.exit_code == 0);
  const nlohmann::json j = nlohmann::json::parse(r.out);
  CHECK(j["request"]["to"] == "shop/reviews");
  REQUIRE(j["hops"].size() == 2);
  CHECK(j["exit"]["detail"] == "delivered to shop/reviews on port 8080");

  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--from", "shop/web", "--gateway", "istio-system/gw"},
        std::vector<std::string>{"--from", "shop/web", "--to", "shop/nope"},
        std::vector<std::string>{"--from", "shop/web", "--to", "reviews"}, std::vector<std::string>{}}) {
    std::vector<std::string> args{"simulate", kInbound, caller, "--host", "reviews", "--port", "9080"};
    args.insert(args.end(), bad.begin(), bad.end());
    r = runLint(args);
    CHECK_MESSAGE(r.exit_code == 2, r.err);
    CHECK(r.out.empty());
  }
}

TEST_CASE("simulate -i: `from A to B` follows the call into B's sidecar") {
  const std::string caller = std::string(ISTIO_LINT_SOURCE_DIR) + "/fixtures/simulate/caller";
  RunResult r = session({kInbound, caller, "-o", "json"},
                        "GET reviews:9080/ from shop/web to shop/reviews\n"
                        "GET reviews:9080/ from shop/web to shop/nope\n");
  CHECK(r.exit_code == 2);  // the second line is rejected
  std::istringstream lines(r.out);
  std::string first;
  REQUIRE(std::getline(lines, first));
  const nlohmann::json j = nlohmann::json::parse(first);
  CHECK(j["request"]["to"] == "shop/reviews");
  REQUIRE(j["hops"].size() == 2);
  CHECK(j["hops"][1]["proxy"] == "shop/reviews");
  CHECK(j["exit"]["detail"] == "delivered to shop/reviews on port 8080");
  std::string second;
  REQUIRE(std::getline(lines, second));
  const nlohmann::json e = nlohmann::json::parse(second);
  CHECK(e["line"] == 2);
  CHECK(e["error"]["column"] == 36);  // the NS/NAME of `to`
  CHECK(e["error"]["message"] == "no workload shop/nope in the inputs");
}

TEST_CASE("simulate -i -o json: one JSON object per line, errors included") {
  RunResult r = session({kShopFixture, "--gateway", "istio-system/public-gw", "-o", "json"},
                        "GET https://shop.example.com/api/cart port 8443 random 95\n"
                        "\n"
                        "# a comment\n"
                        "GET https://shop.example.com:0/\n"
                        "help\n"
                        "http cart.shop.svc.cluster.local:8080/ from shop/web -H 'x-canary: true'\n");
  CHECK(r.exit_code == 2);  // one line was rejected
  std::vector<std::string> out = lines(r.out);
  REQUIRE(out.size() == 3);
  nlohmann::json a = nlohmann::json::parse(out[0]);
  CHECK(a["line"] == 1);
  CHECK(a["request"]["port"] == 8443);
  CHECK(a["hops"][0]["cluster"] == "outbound|8080|v2|cart.shop.svc.cluster.local");
  nlohmann::json e = nlohmann::json::parse(out[1]);
  CHECK(e["line"] == 4);
  CHECK(e["error"]["column"] == 30);
  CHECK(e["error"]["message"].get<std::string>().find("out of range") != std::string::npos);
  nlohmann::json c = nlohmann::json::parse(out[2]);
  CHECK(c["line"] == 6);
  CHECK(c["hops"][0]["proxy"] == "shop/web");
  CHECK(c["hops"][0]["subset"] == "v2");
  // help goes to stderr, so stdout stays JSON.
  CHECK(r.err.find("[METHOD] [SCHEME] TARGET [CLAUSE]...") != std::string::npos);
}

TEST_CASE("simulate -i: quit ends the session; the lines after it are not read") {
  RunResult r = session({kStripe, "--from", "payments/payments"}, "quit\ntls nowhere\n");
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  r = session({kStripe, "--from", "payments/payments"}, "exit");
  CHECK(r.exit_code == 0);
}

TEST_CASE("simulate -i: usage errors") {
  RunResult r = session({kShopFixture, "--gateway", "istio-system/public-gw", "--from", "shop/web"}, "");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("at most one of --gateway") != std::string::npos);
  r = session({"-", "--from", "shop/web"}, "");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("not -") != std::string::npos);
  r = session({kShopFixture, "--gateway", "istio-system/public"}, "");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no Gateway istio-system/public in the inputs; did you mean istio-system/public-gw?") !=
        std::string::npos);
  r = session({kShopFixture, "-H", "novalue"}, "");
  CHECK(r.exit_code == 2);
  // Without -i, an entry point is still required.
  r = runLint({"simulate", kShopFixture});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("or -i for a prompt") != std::string::npos);
}

TEST_CASE("simulate -i: hostile input is rejected line by line, within bounds") {
  std::string input = "GET https://shop.example.com/ port 8443\n";
  input += std::string(3u << 20, 'x');  // a 3 MB line, read to its end but not kept
  input += "\n";
  input += std::string("GET shop.example.com\0\n", 22);
  input += "GET \xFF\xFE\n";
  input += "GET https://shop.example.com/ port 8443 via nowhere/gw\n";
  input += "GET https://shop.example.com/api/cart port 8443";  // no line break at the end
  RunResult r = session({kShopFixture, "--gateway", "istio-system/public-gw"}, input);
  CHECK(!r.signaled);
  CHECK(r.exit_code == 2);
  CHECK(r.max_rss_kb < 512 * 1024);
  CHECK(r.err.find("<stdin>:2:8193: the line is too long: 3145728 bytes (at most 8192)") != std::string::npos);
  CHECK(r.err.find("<stdin>:3:21: a NUL byte is not allowed") != std::string::npos);
  CHECK(r.err.find("<stdin>:4:5: invalid UTF-8 (byte 0xFF)") != std::string::npos);
  CHECK(r.err.find("<stdin>:5:45: no Gateway nowhere/gw in the inputs") != std::string::npos);
  // The good lines around them were traced.
  CHECK(r.out.find("request: https shop.example.com:8443 GET /\n") != std::string::npos);
  CHECK(r.out.find("request: https shop.example.com:8443 GET /api/cart\n") != std::string::npos);
}

TEST_CASE("simulate -i: history lists the session's lines") {
  RunResult r = session({kStripe, "--from", "payments/payments"},
                        "tls api.stripe.com:443\ntls api.stripe.com:443\n\nhistory\n");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("    1  tls api.stripe.com:443\n    2  history\n") != std::string::npos);
}

// ---- a pseudo-terminal session ----------------------------------------------------------------

class PtySession {
 public:
  PtySession(const std::vector<std::string>& args, const std::string& home) {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master_ >= 0);
    REQUIRE(::grantpt(master_) == 0);
    REQUIRE(::unlockpt(master_) == 0);
    const std::string slave = ::ptsname(master_);
    std::vector<std::string> argv{ISTIO_LINT_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (std::string& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    std::vector<std::string> env{"HOME=" + home, "TERM=dumb", "LANG=C.UTF-8", "PATH=/usr/bin:/bin"};
    std::vector<char*> cenv;
    for (std::string& e : env) cenv.push_back(e.data());
    cenv.push_back(nullptr);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::setsid();
      int fd = ::open(slave.c_str(), O_RDWR);
      if (fd < 0) ::_exit(126);
      ::dup2(fd, 0);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(master_);
      ::execve(cargv[0], cargv.data(), cenv.data());
      ::_exit(127);
    }
  }
  ~PtySession() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) ::close(master_);
  }

  /// Reads until `text` appeared in the output since the last call (true) or 30 s passed.
  bool waitFor(const std::string& text) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
      size_t found = output_.find(text, seen_);
      if (found != std::string::npos) {
        seen_ = found + text.size();
        return true;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{master_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      ssize_t n = ::read(master_, buf, sizeof buf);
      if (n <= 0) return false;  // the child closed the terminal
      output_.append(buf, static_cast<size_t>(n));
    }
  }
  /// Types `keys` once the line editor has the terminal in raw mode. The prompt can appear before
  /// that; keys typed earlier go through the cooked line discipline, which turns a Ctrl-D into an
  /// end-of-line marker that the editor then reads as a NUL byte instead of an end of input.
  void type(const std::string& keys) {
    REQUIRE_MESSAGE(waitForRawMode(), output_);
    REQUIRE(::write(master_, keys.data(), keys.size()) == static_cast<ssize_t>(keys.size()));
  }
  /// The child's exit status; kTimedOut if it is still running after 30 s, 128 + N for signal N.
  static constexpr int kTimedOut = -1;
  int wait() {
    int status = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) return kTimedOut;
      drain(10);
    }
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  const std::string& output() const { return output_; }

 private:
  // Termios requests on the master act on the terminal the child reads from.
  bool waitForRawMode() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
      termios t{};
      if (::tcgetattr(master_, &t) != 0) return false;
      if ((t.c_lflag & ICANON) == 0) return true;
      if (std::chrono::steady_clock::now() > deadline) return false;
      drain(5);
    }
  }
  void drain(int timeout_ms) {
    char buf[4096];
    pollfd p{master_, POLLIN, 0};
    ssize_t n = ::poll(&p, 1, timeout_ms) > 0 ? ::read(master_, buf, sizeof buf) : 0;
    if (n > 0) output_.append(buf, static_cast<size_t>(n));
  }

  int master_ = -1;
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string output_;
  size_t seen_ = 0;
};

TEST_CASE("simulate -i on a terminal: tab completion, history file, Ctrl-D") {
  TempDir home;
  {
    PtySession s({"simulate", "-i", kStripe}, home.path().string());
    REQUIRE_MESSAGE(s.waitFor("simulate> "), s.output());
    // Tab completes the workload after `from`; Enter traces the request.
    s.type("tls api.stripe.com:443 from pay\t");
    REQUIRE_MESSAGE(s.waitFor("payments/payments "), s.output());
    s.type("\r");
    REQUIRE_MESSAGE(s.waitFor("exit: egress-gateway via istio-system/egress-fixed"), s.output());
    REQUIRE_MESSAGE(s.waitFor("simulate> "), s.output());
    // An error points at its column under the prompt.
    s.type("tls api.stripe.com:99999 from payments/payments\r");
    REQUIRE_MESSAGE(s.waitFor("^ port `99999` is out of range"), s.output());
    REQUIRE_MESSAGE(s.waitFor("simulate> "), s.output());
    s.type("\x04");  // Ctrl-D
    CHECK_MESSAGE(s.wait() == 0, s.output());
  }
  CHECK(readAll(home / ".istio-lint_history") ==
        "tls api.stripe.com:443 from payments/payments \n"
        "tls api.stripe.com:99999 from payments/payments\n");
  {
    // The next session starts with that history: `history` lists it, quit ends the session.
    PtySession s({"simulate", "-i", kStripe}, home.path().string());
    REQUIRE_MESSAGE(s.waitFor("simulate> "), s.output());
    s.type("history\r");
    REQUIRE_MESSAGE(s.waitFor("    3  history"), s.output());
    CHECK(s.output().find("    1  tls api.stripe.com:443 from payments/payments") != std::string::npos);
    s.type("quit\r");
    CHECK_MESSAGE(s.wait() == 0, s.output());
  }
}

TEST_CASE("simulate -i on a terminal without a usable HOME: no history file, still works") {
  TempDir dir;
  const std::string home = dir / "not-a-directory";
  dir.write("not-a-directory", "a file");
  PtySession s({"simulate", "-i", kStripe, "--from", "payments/payments"}, home);
  REQUIRE_MESSAGE(s.waitFor("the history is kept for this session only"), s.output());
  REQUIRE_MESSAGE(s.waitFor("simulate> "), s.output());
  s.type("tls api.stripe.com:443\r");
  REQUIRE_MESSAGE(s.waitFor("exit: egress-gateway"), s.output());
  s.type("quit\r");
  CHECK_MESSAGE(s.wait() == 0, s.output());
}

}  // namespace
}  // namespace istio_lint::cli
