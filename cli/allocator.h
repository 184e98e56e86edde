#pragma once
// Which memory allocator the process runs on. Release builds link mimalloc, which takes over
// malloc/free for the whole process (libyaml's token and event buffers included): the loader
// allocates a few small blocks per YAML event on two threads, where glibc's malloc costs about 12%
// of the CPU time of a run (docs/performance.md). Sanitizer and fuzzing builds keep glibc's
// allocator, which the sanitizers replace.

#include <string>

namespace istio_lint::cli {

/// "mimalloc 2.0.9" when mimalloc serves this process's malloc(), "glibc malloc" otherwise.
/// Checked at run time with a real allocation, not taken from the build configuration: linking the
/// library is not enough if the dynamic linker binds malloc to an earlier definition.
std::string allocatorName();

/// True when the build asked for mimalloc (ISTIO_LINT_MIMALLOC).
bool allocatorLinked();

}  // namespace istio_lint::cli
