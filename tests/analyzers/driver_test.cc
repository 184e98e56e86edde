// The analyzer driver (analyzers/driver.h): per-analyzer timing for `--timing`.

#ifdef ISTIO_LINT_TEST_OWN_MAIN
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#endif
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "analyzers/analyzer.h"
#include "analyzers/driver.h"
#include "model/loader.h"
#include "model/mesh_graph.h"

namespace istio_lint::analyzers {
namespace {

constexpr std::string_view kMesh = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: shop}
spec:
  hosts: [web]
  http:
  - route: [{destination: {host: nowhere}}]
)";

TEST_CASE("RunOptions::times gets one entry per analyzer run, slowest first") {
  model::MeshGraph g = model::MeshGraph::build(model::load({model::Source{"mesh.yaml", std::string(kMesh)}}, {}), {});
  std::vector<AnalyzerTime> times;
  RunOptions options;
  options.times = &times;
  std::vector<rules::Finding> findings = run(g, options);
  CHECK(!findings.empty());  // the missing destination host

  std::set<std::string> expected;
  for (const AnalyzerPtr& a : allAnalyzers()) {
    if (a->metadata().default_enabled) expected.insert(a->metadata().name);
  }
  std::set<std::string> named;
  for (const AnalyzerTime& t : times) {
    named.insert(std::string(t.name));
    CHECK(t.ms >= 0);
  }
  CHECK(named == expected);
  CHECK(times.size() == expected.size());
  CHECK(std::is_sorted(times.begin(), times.end(),
                       [](const AnalyzerTime& a, const AnalyzerTime& b) { return a.ms > b.ms; }));

  SUBCASE("without the option nothing is timed and the findings are the same") {
    std::vector<rules::Finding> again = run(g, {});
    REQUIRE(again.size() == findings.size());
    for (size_t i = 0; i < again.size(); ++i) CHECK(again[i].message == findings[i].message);
  }
}

}  // namespace
}  // namespace istio_lint::analyzers
