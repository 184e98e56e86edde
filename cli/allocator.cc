#include "cli/allocator.h"

#include <cstdlib>

#ifdef ISTIO_LINT_USE_MIMALLOC
#include <mimalloc.h>
#endif

namespace istio_lint::cli {

std::string allocatorName() {
#ifdef ISTIO_LINT_USE_MIMALLOC
  void* probe = std::malloc(64);
  const bool ours = probe != nullptr && mi_is_in_heap_region(probe);
  std::free(probe);
  if (ours) {
    const int v = mi_version();  // e.g. 209 for 2.0.9
    return "mimalloc " + std::to_string(v / 100) + "." + std::to_string(v / 10 % 10) + "." + std::to_string(v % 10);
  }
#endif
  return "glibc malloc";
}

bool allocatorLinked() {
#ifdef ISTIO_LINT_USE_MIMALLOC
  return true;
#else
  return false;
#endif
}

}  // namespace istio_lint::cli
