#pragma once

// The process's memory as the kernel counts it (/proc/self/status), for `--timing`.

#include <cstdint>
#include <optional>

namespace istio_lint::cli {

struct MemoryUsage {
  uint64_t peak_resident = 0;  // VmHWM: the most pages ever resident, program and libraries included
  /// RssAnon: resident pages of this process alone (heap, stacks, written library data). Shared
  /// libraries' code is resident too but shared with every other process using it, and the same
  /// for any input; this is what the input costs.
  uint64_t private_resident = 0;
};

/// Now, in bytes; nullopt where /proc/self/status is not readable.
std::optional<MemoryUsage> memoryUsage();

}  // namespace istio_lint::cli
