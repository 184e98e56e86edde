// model/parallel: the helper threads shared by loading, indexing and analyzing.

#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "model/parallel.h"

namespace istio_lint::model::parallel {
namespace {

TEST_CASE("onEveryCore shares the items among the calling thread and the helpers") {
  constexpr int kItems = 10000;
  std::vector<std::atomic<int>> done(kItems);
  std::atomic<int> next{0};
  std::mutex mu;
  std::set<std::thread::id> threads;
  onEveryCore([&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      threads.insert(std::this_thread::get_id());
    }
    for (int i; (i = next.fetch_add(1)) < kItems;) done[i].fetch_add(1);
  });
  for (int i = 0; i < kItems; ++i) REQUIRE(done[i].load() == 1);
  CHECK(threads.size() >= 1);
  CHECK(threads.size() <= cores());
  CHECK(threads.count(std::this_thread::get_id()) == 1);

  // The same helpers serve the next task: no new threads per call.
  std::set<std::thread::id> again;
  for (int round = 0; round < 50; ++round) {
    onEveryCore([&] {
      std::lock_guard<std::mutex> lock(mu);
      again.insert(std::this_thread::get_id());
    });
  }
  CHECK(again.size() <= cores());
}

TEST_CASE("onEveryCore: a limit of one thread runs inline; exceptions reach the caller") {
  std::set<std::thread::id> threads;
  onEveryCore([&] { threads.insert(std::this_thread::get_id()); }, 1);
  CHECK(threads == std::set<std::thread::id>{std::this_thread::get_id()});

  std::atomic<int> ran{0};
  CHECK_THROWS_WITH_AS(onEveryCore([&] {
                         ran.fetch_add(1);
                         throw std::runtime_error("boom");
                       }),
                       "boom", std::runtime_error);
  CHECK(ran.load() >= 1);
  // The pool still works after a task threw.
  std::atomic<int> after{0};
  onEveryCore([&] { after.fetch_add(1); });
  CHECK(after.load() >= 1);
}

TEST_CASE("both runs the two tasks, also from within a task (inline there)") {
  std::atomic<int> a{0}, b{0};
  both([&] { a.fetch_add(1); }, [&] { b.fetch_add(1); });
  CHECK(a.load() == 1);
  CHECK(b.load() == 1);

  // Nested: every copy of an onEveryCore task, the caller's and the helpers', calls both(), which
  // then runs inline.
  std::atomic<int> inner{0};
  onEveryCore([&] { both([&] { inner.fetch_add(1); }, [&] { inner.fetch_add(1); }); });
  CHECK(inner.load() % 2 == 0);
  CHECK(inner.load() >= 2);
}

TEST_CASE("a child process made by fork() starts its own helpers") {
  std::atomic<int> parent{0};
  onEveryCore([&] { parent.fetch_add(1); });  // the parent's pool exists now
  REQUIRE(parent.load() >= 1);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::alarm(20);  // a child waiting for its parent's helpers would hang: end it instead
    std::atomic<int> items{0}, next{0};
    onEveryCore([&] {
      for (int i; (i = next.fetch_add(1)) < 1000;) items.fetch_add(1);
    });
    ::_exit(items.load() == 1000 ? 0 : 1);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  CHECK_MESSAGE(WIFEXITED(status), "the child did not finish (signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0) << ")");
  CHECK(WEXITSTATUS(status) == 0);
}

}  // namespace
}  // namespace istio_lint::model::parallel
