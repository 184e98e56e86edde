#pragma once

// Fuzz targets. A target is one .cc file with one entry function that takes arbitrary bytes and
// must neither crash, hang, leak nor trip a sanitizer, whatever the bytes are:
//
//   #include "fuzz/harness.h"
//   ISTIO_LINT_FUZZ_TARGET(bytes) { istio_lint::fuzz::analyzeManifests(bytes); }
//
// and one line in fuzz/CMakeLists.txt: add_il_fuzz_target(NAME SOURCE [LIBRARIES...]).
//
// The macro defines libFuzzer's entry point around the function. The same object file links
// either with libFuzzer (clang -fsanitize=fuzzer, the ISTIO_LINT_FUZZ build) or with
// replay_main.cc, which feeds it the files of a corpus; the test suite replays every target's
// regression corpus (fuzz/regressions/<target>/) that way, with any compiler.

#include <cstddef>
#include <cstdint>
#include <string_view>

#define ISTIO_LINT_FUZZ_TARGET(bytes)                                                     \
  static void IstioLintFuzzOne(std::string_view bytes);                                   \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {               \
    IstioLintFuzzOne(std::string_view(reinterpret_cast<const char*>(data), size));        \
    return 0;                                                                             \
  }                                                                                       \
  static void IstioLintFuzzOne(std::string_view bytes)

namespace istio_lint::fuzz {

/// Stops the run with `what` on stderr when `ok` is false: an invariant the fuzzer found broken
/// (abort() is what libFuzzer and the replay test both report as a failure).
void require(bool ok, const char* what);

/// The whole analyze pipeline on one in-memory manifest file: bytes -> YAML documents -> typed
/// resources -> mesh graph -> every analyzer -> sorted findings -> JSON and text reports. Checks
/// that every finding points into the input and that the findings are sorted.
void analyzeManifests(std::string_view bytes);

}  // namespace istio_lint::fuzz
