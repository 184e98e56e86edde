#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "analyzers/driver.h"
#include "cli/report/reporter.h"
#include "fuzz/harness.h"
#include "model/loader.h"
#include "model/mesh_graph.h"

namespace istio_lint::fuzz {

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

void analyzeManifests(std::string_view bytes) {
  model::LoadOptions lo;
  lo.threads = 1;
  // Both namespace modes of the CLI (-A and the default namespace), chosen by the input's length
  // so that one input always takes the same path.
  lo.default_namespace = bytes.size() % 2 ? "default" : "";
  model::LoadResult loaded = model::load({{"input.yaml", std::string(bytes)}}, lo);
  // Lines as YAML counts them: LF, CR LF and a lone CR each end one.
  size_t lines = 1;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 == bytes.size() || bytes[i + 1] != '\n'))) ++lines;
  }
  model::MeshGraph graph = model::MeshGraph::build(std::move(loaded), {});
  std::vector<rules::Finding> findings = analyzers::run(graph, {});

  const model::FileTable& files = graph.files();
  for (const rules::Finding& f : findings) {
    require(f.span.file < files.size(), "a finding's file is not in the file table");
    if (f.span.file != 0 && files.path(f.span.file) == "input.yaml") {
      require(f.span.line <= lines, "a finding's line is past the end of the input");
    }
    require(!f.message.empty(), "a finding without a message");
  }
  std::vector<rules::Finding> again = findings;
  analyzers::sortAndDedupe(again, files);
  require(again.size() == findings.size(), "run() left duplicate findings");

  cli::ReportOptions ro;
  ro.files = &files;
  std::ostringstream out;
  cli::writeJson(out, findings, ro);
  cli::writeYaml(out, findings, ro);
  cli::writeText(out, findings, ro);
}

}  // namespace istio_lint::fuzz
