#include "model/parallel.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>

#include <pthread.h>

namespace istio_lint::model::parallel {
namespace {

/// Whether this thread is running a task: a helper always is; the caller is while its own copy
/// runs. A task asking for parallelism itself then runs inline (the helpers are busy with it).
thread_local bool in_task = false;

/// The helper threads. Each waits for the next task; run() hands one to as many helpers as
/// wanted and returns when they are done. One run at a time.
class Pool {
 public:
  explicit Pool(unsigned helpers) : size_(helpers) {
    for (unsigned i = 0; i < helpers; ++i) std::thread([this, i] { loop(i); }).detach();
  }
  unsigned size() const { return size_; }

  void run(const std::function<void()>& task, unsigned helpers) {
    std::lock_guard<std::mutex> one_at_a_time(run_mu_);
    {
      std::lock_guard<std::mutex> lock(mu_);
      task_ = &task;
      wanted_ = pending_ = helpers;
      error_ = nullptr;
      ++generation_;
    }
    wake_.notify_all();
    std::exception_ptr mine;
    in_task = true;
    try {
      task();
    } catch (...) {
      mine = std::current_exception();
    }
    in_task = false;
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [&] { return pending_ == 0; });
    task_ = nullptr;
    const std::exception_ptr first = mine ? mine : error_;
    lock.unlock();
    if (first) std::rethrow_exception(first);
  }

 private:
  void loop(unsigned index) {
    in_task = true;
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      wake_.wait(lock, [&] { return generation_ != seen; });
      seen = generation_;
      if (index >= wanted_) continue;  // not needed for this task
      const std::function<void()>* task = task_;
      lock.unlock();
      std::exception_ptr error;
      try {
        (*task)();
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      if (error && !error_) error_ = error;
      if (--pending_ == 0) done_.notify_all();
    }
  }

  const unsigned size_;
  std::mutex run_mu_;
  std::mutex mu_;
  std::condition_variable wake_, done_;
  uint64_t generation_ = 0;
  const std::function<void()>* task_ = nullptr;
  unsigned wanted_ = 0, pending_ = 0;
  std::exception_ptr error_;
};

// The pool, started on first use. Never destroyed: the helpers stay blocked in their wait until
// the process exits. A child process made by fork() has none of its parent's threads: it starts
// its own pool on first use (the parent's stays behind, unused).
std::mutex pool_mu;
Pool* current = nullptr;

Pool& pool() {
  static const int registered = pthread_atfork([] { pool_mu.lock(); }, [] { pool_mu.unlock(); },
                                               [] {
                                                 current = nullptr;
                                                 pool_mu.unlock();
                                               });
  (void)registered;
  std::lock_guard<std::mutex> lock(pool_mu);
  if (current == nullptr) current = new Pool(cores() - 1);
  return *current;
}

}  // namespace

unsigned cores() { return std::max(1u, std::thread::hardware_concurrency()); }

void onEveryCore(const std::function<void()>& task, unsigned threads) {
  const unsigned want = std::min(threads == 0 ? cores() : threads, cores());
  if (want <= 1 || in_task) {
    task();
    return;
  }
  Pool& p = pool();
  p.run(task, std::min(want - 1, p.size()));
}

void both(const std::function<void()>& a, const std::function<void()>& b) {
  std::atomic<int> next{0};
  onEveryCore(
      [&] {
        for (int i; (i = next.fetch_add(1)) < 2;) (i == 0 ? a : b)();
      },
      2);
}

}  // namespace istio_lint::model::parallel
