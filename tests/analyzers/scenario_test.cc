// Scenarios: fixtures/scenarios/<pattern>/ (the seed's section 4 patterns as small realistic
// meshes) and fixtures/seed/ (every YAML block of the seed). Each directory is loaded as one input,
// as `istio-lint -A DIR` loads it (no default namespace, Istio's default ingress gateway assumed
// when the inputs do not declare one), the default analyzer set runs, and the findings are matched
// against the `# expect:` markers of its files in both directions (fixture_markers.h): every
// finding needs a marker and every marker needs a finding. A scenario that must stay silent has no
// marker. Certificate checks use the fixed "now" kFixtureNow.
//
// One directory: `ctest -R scenario.<name>` (sets ISTIO_LINT_SCENARIO=<name>, "seed" for the seed).

#ifdef ISTIO_LINT_TEST_OWN_MAIN
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#endif
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include "analyzers/analyzer.h"
#include "analyzers/driver.h"
#include "model/loader.h"
#include "model/mesh_graph.h"
#include "rules/catalog.h"
#include "tests/analyzers/fixture_markers.h"

namespace istio_lint::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = ISTIO_LINT_SOURCE_DIR;
[[maybe_unused]] const bool kNowSet = setFixtureNow();

struct Scenario {
  std::string name;  // the directory name ("seed" for fixtures/seed)
  fs::path dir;
};

std::vector<Scenario> scenarios() {
  std::vector<Scenario> out;
  if (fs::is_directory(kSourceDir / "fixtures" / "seed")) out.push_back({"seed", kSourceDir / "fixtures" / "seed"});
  const fs::path root = kSourceDir / "fixtures" / "scenarios";
  if (fs::is_directory(root)) {
    for (const fs::directory_entry& e : fs::directory_iterator(root)) {
      if (e.is_directory()) out.push_back({e.path().filename().string(), e.path()});
    }
  }
  std::sort(out.begin(), out.end(), [](const Scenario& a, const Scenario& b) { return a.name < b.name; });
  return out;
}

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// The scenario's manifests, by path relative to the source directory, in path order.
std::map<std::string, std::string> manifests(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (e.is_regular_file() && (n.ends_with(".yaml") || n.ends_with(".yml"))) {
      out[fs::relative(e.path(), kSourceDir).generic_string()] = readFile(e.path());
    }
  }
  return out;
}

std::string describe(const rules::Finding& f, const model::FileTable& files) {
  std::string where = f.span.file != 0 ? files.path(f.span.file) + ":" + std::to_string(f.span.line) : "(no file)";
  return where + ": " + std::string(f.type().code) + " " + (f.origin.empty() ? "" : "(" + f.origin.str() + ") ") +
         "\"" + f.message + "\"";
}

/// Problems of one scenario (empty: it produces exactly the marked findings).
std::vector<std::string> checkScenario(const Scenario& sc) {
  std::vector<std::string> problems;
  const std::map<std::string, std::string> files = manifests(sc.dir);
  if (files.empty()) return {sc.dir.string() + ": no manifests"};

  std::vector<model::Source> sources;
  std::map<std::string, std::vector<Marker>> markers;  // by file
  for (const auto& [path, bytes] : files) {
    sources.push_back(model::Source{path, bytes});
    std::vector<std::string> errors;
    markers[path] = parseMarkers(splitLines(bytes), errors);
    for (const std::string& e : errors) problems.push_back(path + ":" + e);
  }
  model::LoadOptions lo;
  lo.default_namespace = "";
  lo.threads = 1;
  model::MeshGraph graph = model::MeshGraph::build(model::load(std::move(sources), lo), model::GraphOptions{});
  std::vector<rules::Finding> findings = analyzers::run(graph, {});

  // Markers with a message substring claim their finding first.
  std::vector<bool> used(findings.size(), false);
  for (auto& [path, list] : markers) {
    std::vector<Marker*> order;
    for (Marker& m : list) order.push_back(&m);
    std::stable_sort(order.begin(), order.end(),
                     [](const Marker* a, const Marker* b) { return a->text.size() > b->text.size(); });
    for (Marker* m : order) {
      for (size_t i = 0; i < findings.size(); ++i) {
        const rules::Finding& f = findings[i];
        if (used[i] || f.span.file == 0 || graph.files().path(f.span.file) != path || f.span.line != m->target ||
            f.code != m->code) {
          continue;
        }
        if (!m->text.empty() && f.message.find(m->text) == std::string::npos) continue;
        used[i] = m->matched = true;
        break;
      }
      if (!m->matched) {
        problems.push_back(path + ":" + std::to_string(m->target) + ": expected " + m->code_text +
                           (m->text.empty() ? "" : " with a message containing \"" + m->text + "\"") +
                           " (marker at line " + std::to_string(m->at) + "), but no such finding");
      }
    }
  }
  for (size_t i = 0; i < findings.size(); ++i) {
    if (!used[i]) problems.push_back("unexpected finding " + describe(findings[i], graph.files()));
  }
  if (!problems.empty()) {
    std::string all = "all findings of scenario " + sc.name + ":";
    if (findings.empty()) all += " (none)";
    for (const rules::Finding& f : findings) all += "\n    " + describe(f, graph.files());
    problems.push_back(std::move(all));
  }
  return problems;
}

TEST_CASE("scenarios") {
  std::vector<Scenario> all = scenarios();
  const char* only = std::getenv("ISTIO_LINT_SCENARIO");
  if (only != nullptr && *only != '\0') {
    std::erase_if(all, [&](const Scenario& s) { return s.name != only; });
    REQUIRE_MESSAGE(!all.empty(), "ISTIO_LINT_SCENARIO=" << only << ": no such scenario directory");
  }
  REQUIRE_MESSAGE(!all.empty(), "no scenario directories under " << (kSourceDir / "fixtures").string());
  for (const Scenario& sc : all) {
    SUBCASE(sc.name.c_str()) {
      std::vector<std::string> problems = checkScenario(sc);
      std::string text;
      for (const std::string& p : problems) text += (text.empty() ? "" : "\n") + p;
      CHECK_MESSAGE(problems.empty(), text);
    }
  }
}

// The checker itself: a scenario whose markers do not match its findings fails both ways.
TEST_CASE("scenario check fails on a wrong expectation") {
  fs::path tmp = fs::temp_directory_path() / ("istio-lint-scenario-selftest-" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  const std::string vs =
      "apiVersion: networking.istio.io/v1\n"
      "kind: VirtualService\n"
      "metadata: {name: web, namespace: shop}\n"
      "spec:\n"
      "  hosts: [web]\n"
      "  http:\n"
      "  - route:\n"
      "    - destination: {host: web}%s\n"
      "      weight: 50\n";
  auto write = [&](const std::string& marker) {
    std::string s = vs;
    s.replace(s.find("%s"), 2, marker);
    std::ofstream(tmp / "vs.yaml", std::ios::binary) << s;
  };
  Scenario sc{"selftest", tmp};
  write("  # expect: IL4002 are 50 = 50");
  std::vector<std::string> ok = checkScenario(sc);
  // The destination host `web` has no Service: IST0101 is also reported, and unmarked.
  CHECK(std::any_of(ok.begin(), ok.end(), [](const std::string& p) { return p.find("unexpected finding") == 0; }));
  CHECK(std::none_of(ok.begin(), ok.end(), [](const std::string& p) { return p.find("IL4002") != std::string::npos && p.find("expected") == 0; }));
  write("  # expect: IL4002 are 60 = 60");
  std::vector<std::string> wrong = checkScenario(sc);
  CHECK(std::any_of(wrong.begin(), wrong.end(), [](const std::string& p) { return p.find("but no such finding") != std::string::npos; }));
  fs::remove_all(tmp);
}

}  // namespace
}  // namespace istio_lint::testing
