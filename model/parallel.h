#pragma once

// The run's parallelism: the calling thread plus helper threads, one fewer than the cores.
//
// Loading, indexing and analyzing each use every core for a few milliseconds. The helpers are
// started on first use and kept, blocked, until the process ends, so a run starts each thread
// once instead of once per phase: starting a thread and, above all, ending one (the allocator
// hands a finished thread's pages back) cost ~0.1 ms each, a noticeable part of a small mesh's run.

#include <functional>

namespace istio_lint::model::parallel {

/// How many threads onEveryCore() runs a task on: the cores (std::thread::hardware_concurrency),
/// at least 1.
unsigned cores();

/// Runs `task` on the calling thread and on up to `threads` - 1 helpers at once (0: cores()), and
/// returns when every copy has returned. The copies share the work themselves (an atomic counter
/// over the items). The first exception a copy throws is rethrown here after all have returned.
/// Called from within a task (one that wants parallelism itself), it runs `task` once, inline.
void onEveryCore(const std::function<void()>& task, unsigned threads = 0);

/// Runs `a` and `b` at once, one on a helper, and returns when both are done; an exception is
/// rethrown as onEveryCore() does. Without a helper (one core, or called from within a task),
/// runs a, then b.
void both(const std::function<void()>& a, const std::function<void()>& b);

}  // namespace istio_lint::model::parallel
