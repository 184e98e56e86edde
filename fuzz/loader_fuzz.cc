// Manifest bytes through the whole analyze pipeline (loader, typed model, graph, analyzers,
// reporters).
#include "fuzz/harness.h"

ISTIO_LINT_FUZZ_TARGET(bytes) { istio_lint::fuzz::analyzeManifests(bytes); }
