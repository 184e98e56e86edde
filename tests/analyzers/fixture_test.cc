// Rule fixtures: fixtures/<area>/<Type>/{bad,good}_<case>.yaml hold the cases of the analyzer
// "<area>.<Type>" (fixtures/virtualservice/GatewayAnalyzer/ for virtualservice.GatewayAnalyzer,
// fixtures/schema/ValidationAnalyzer.VirtualService/ for schema.ValidationAnalyzer.VirtualService).
//
// Each file is loaded on its own as `istio-lint -A FILE` loads it (no default namespace, Istio's
// default ingress gateway assumed when the file does not declare it), only the analyzer named by
// the directory runs, and its findings are matched against inline markers in both directions:
//
//   host: reviews-bogus   # expect: IST0101 Referenced host not found
//   # expect-next-line: IST0112 exposes multiple ports
//   # expect@+2: CODE optional message substring
//
// `# expect:` is a trailing comment on the line the finding points at; `# expect-next-line:` sits
// on its own line and means the next line that is not blank or a comment (so several can be
// stacked); `# expect@+N:` (or `@-N`) means N lines away. The text after the code, if any, must
// be a substring of the message. Every finding needs a marker and every marker needs a finding.
// A bad_ file must produce at least one finding; a good_ file must produce none.
//
// A fixture must also be clean input: input.LoadAnalyzer and the schema analyzers (other than the
// one under test) must report nothing, so a typo in a fixture cannot make a case pass for the
// wrong reason. Schema warnings (IST0133) are the exception: they mark input Istio accepts
// (a legacy gateway reference, a deprecated field) that another analyzer's case may need.
//
// Coverage (ctest fixture.coverage): every analyzer has a good_ and a bad_ fixture, and every code
// it declares fires in one of its bad_ fixtures.
//
// Lines `# fixture-config: <text>` together form the run's `.istio-lint.yaml` (the text after the
// directive and one space, each on the line it is written on, so positions the configuration
// reports are lines of the fixture), for analyzers that read it (the egress intent):
//
//   # fixture-config: egress:
//   # fixture-config: - {hosts: [api.stripe.com], via: istio-system/egress-card, from: [payments/*]}
//
// Certificate validity is checked against a fixed "now", ISTIO_LINT_NOW=2026-06-01T00:00:00Z
// (kFixtureNow), so that expiry fixtures do not depend on today's date; scripts/gen-fixture-cert.sh
// writes Secrets with fixed validity dates.
//
// One directory: `ctest -R fixture.<analyzer>` (sets ISTIO_LINT_FIXTURE=<analyzer>), or
// `fixture_tests -tc=fixtures -sc=<analyzer>`.

#ifdef ISTIO_LINT_TEST_OWN_MAIN
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#endif
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "analyzers/analyzer.h"
#include "analyzers/driver.h"
#include "model/config/lint_config.h"
#include "model/kind.h"
#include "model/loader.h"
#include "model/mesh_graph.h"
#include "rules/catalog.h"
#include "tests/analyzers/fixture_markers.h"

namespace istio_lint::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = ISTIO_LINT_SOURCE_DIR;
[[maybe_unused]] const bool kFixtureNowSet = setFixtureNow();

/// schema.ValidationAnalyzer.<Kind> instances that cannot have fixtures yet: MeshConfig comes from
/// --meshConfigFile or the istio ConfigMap, never from a manifest document of its own, and its
/// problems are reported as IL0007. (MeshNetworks fixtures declare the istio ConfigMap's
/// data.meshNetworks.) A kind whose manifests decode to a typed resource may not be listed here
/// (the coverage test checks it), and a listed kind that gets complete fixtures must be removed.
const std::set<std::string> kPendingSchemaKinds = {"MeshConfig"};
/// Kinds whose schema validation must always have fixtures, whatever the decoders do.
const std::set<std::string> kDecodedSchemaKinds = {"AuthorizationPolicy", "DestinationRule", "EnvoyFilter",
                                                   "Gateway", "RequestAuthentication", "ServiceEntry",
                                                   "Sidecar", "Telemetry", "VirtualService", "WasmPlugin"};

constexpr std::string_view kSchemaPrefix = "schema.ValidationAnalyzer.";

/// Whether a manifest of this kind decodes to a typed resource, whose spec the decoder checks.
bool hasTypedDecoder(model::Kind kind) {
  const model::KindInfo& info = model::kindInfo(kind);
  std::string doc = "apiVersion: " + (info.group.empty() ? std::string("v1") : std::string(info.group) + "/v1") +
                    "\nkind: " + std::string(info.name) + "\nmetadata: {name: probe, namespace: probe}\nspec: {}\n";
  model::LoadResult loaded;
  model::loadBytes(doc, 1, model::LoadOptions{}, loaded);
  return !loaded.resources.empty() &&
         dynamic_cast<const model::GenericResource*>(loaded.resources.front().get()) == nullptr;
}

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// ---------------------------------------------------------------------------------------------
// Running one file

/// Loads one fixture the way `istio-lint -A FILE` does; the file is named by its path relative to
/// the source directory so that messages and locations are stable.
///
/// A `# fixture-cluster: NAME` line starts the part of the file that belongs to cluster NAME (as
/// `--cluster NAME=PATH` would load it), up to the next such line. Each part is loaded as its own
/// input under the fixture's name, with the other parts' lines blanked so that lines stay put.
model::MeshGraph loadFixture(const std::string& rel_path, const std::string& bytes) {
  model::LoadOptions lo;
  lo.default_namespace = "";
  lo.threads = 1;
  constexpr std::string_view kDirective = "# fixture-cluster:";
  std::vector<std::string> lines = splitLines(bytes);
  std::vector<std::string> cluster_of(lines.size());  // "" before the first directive
  std::vector<std::string> clusters = {""};           // in order of first appearance
  std::string cur;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].starts_with(kDirective)) {
      cur = trim(std::string_view(lines[i]).substr(kDirective.size()));
      if (std::find(clusters.begin(), clusters.end(), cur) == clusters.end()) clusters.push_back(cur);
    }
    cluster_of[i] = cur;
  }
  std::vector<model::Source> sources;
  if (clusters.size() == 1) {
    sources.push_back({rel_path, bytes});
  } else {
    for (const std::string& c : clusters) {
      std::string part;
      for (size_t i = 0; i < lines.size(); ++i) {
        if (cluster_of[i] == c) part += lines[i];
        part += '\n';
      }
      sources.push_back({rel_path, std::move(part), c});
    }
  }
  model::LoadResult loaded = model::load(sources, lo);
  return model::MeshGraph::build(std::move(loaded), model::GraphOptions{});
}

std::string describe(const rules::Finding& f) {
  std::string out = std::string(f.type().code) + " " + (f.origin.empty() ? "" : "(" + f.origin.str() + ") ") +
                    "\"" + f.message + "\"";
  return out;
}

std::string where(const std::string& path, uint32_t line) {
  return path + ":" + (line ? std::to_string(line) : std::string("?"));
}

/// The fixture's `# fixture-config:` lines as a parsed `.istio-lint.yaml`, or nullopt without any.
std::optional<model::config::ParsedConfig> fixtureConfig(const std::string& rel_path,
                                                         const std::vector<std::string>& lines) {
  constexpr std::string_view kDirective = "# fixture-config:";
  std::string text;
  bool any = false;
  for (const std::string& line : lines) {
    if (line.starts_with(kDirective)) {
      std::string_view rest = std::string_view(line).substr(kDirective.size());
      if (rest.starts_with(' ')) rest.remove_prefix(1);
      text += rest;
      any = true;
    }
    text += '\n';
  }
  if (!any) return std::nullopt;
  return model::config::parse(text, rel_path);
}

/// Checks one fixture file against one analyzer; returns the problems found (empty: pass).
std::vector<std::string> checkFixture(const analyzers::Analyzer& analyzer, const fs::path& file) {
  std::vector<std::string> problems;
  const std::string rel = fs::relative(file, kSourceDir).generic_string();
  const std::string name = file.filename().string();
  const bool bad = name.starts_with("bad_");
  const std::string bytes = readFile(file);
  const std::vector<std::string> lines = splitLines(bytes);

  std::vector<std::string> marker_errors;
  std::vector<Marker> markers = parseMarkers(lines, marker_errors);
  for (const std::string& e : marker_errors) problems.push_back(rel + ":" + e);
  if (!bad && !markers.empty()) {
    problems.push_back(rel + ": a good_ fixture must not carry expect markers");
  }

  model::MeshGraph graph = loadFixture(rel, bytes);
  const std::optional<model::config::ParsedConfig> config = fixtureConfig(rel, lines);
  if (config && !config->errors.empty()) problems.push_back(rel + ": fixture-config: " + config->describeErrors());
  const std::string& analyzer_name = analyzer.metadata().name;

  // Clean input: input.LoadAnalyzer and every schema analyzer, other than the one under test,
  // must have nothing to say about the fixture.
  std::vector<const analyzers::Analyzer*> guards;
  for (const analyzers::AnalyzerPtr& a : analyzers::allAnalyzers()) {
    const std::string& n = a->metadata().name;
    if (a.get() != &analyzer && (n == "input.LoadAnalyzer" || n.starts_with(kSchemaPrefix))) {
      guards.push_back(a.get());
    }
  }
  if (!guards.empty()) {
    for (const rules::Finding& f : analyzers::run(graph, {guards})) {
      if (f.code == rules::Code::IST0133) continue;  // accepted input; see the header
      problems.push_back(where(rel, f.span.line) + ": fixture is not clean input: " + f.analyzer + " reports " +
                         describe(f));
    }
  }

  std::vector<rules::Finding> findings =
      analyzers::run(graph, {{&analyzer}, config && config->errors.empty() ? &config->config : nullptr});
  const std::vector<rules::Code>& declared = analyzer.metadata().codes;
  for (const rules::Finding& f : findings) {
    if (std::find(declared.begin(), declared.end(), f.code) == declared.end()) {
      problems.push_back(where(rel, f.span.line) + ": " + analyzer_name + " reports " +
                         std::string(f.type().code) + ", which its metadata does not declare");
    }
    if (f.span.file != 0 && graph.files().path(f.span.file) != rel) {
      problems.push_back(where(graph.files().path(f.span.file), f.span.line) +
                         ": finding points outside the fixture: " + describe(f));
    }
  }

  // Markers with a message substring claim their finding first, so that a bare marker on the same
  // line cannot steal it.
  std::vector<Marker*> order;
  for (Marker& m : markers) order.push_back(&m);
  std::stable_sort(order.begin(), order.end(),
                   [](const Marker* a, const Marker* b) { return a->text.size() > b->text.size(); });
  std::vector<bool> used(findings.size(), false);
  for (Marker* m : order) {
    for (size_t i = 0; i < findings.size(); ++i) {
      const rules::Finding& f = findings[i];
      if (used[i] || f.span.line != m->target || f.code != m->code) continue;
      if (!m->text.empty() && f.message.find(m->text) == std::string::npos) continue;
      used[i] = true;
      m->matched = true;
      break;
    }
  }
  for (const Marker& m : markers) {
    if (m.matched) continue;
    std::string msg = where(rel, m.target) + ": expected " + m.code_text;
    if (!m.text.empty()) msg += " with a message containing \"" + m.text + "\"";
    msg += " (marker at line " + std::to_string(m.at) + "), but " + analyzer_name + " reported no such finding";
    // The usual slip: a block mapping or list is located at its first entry, one line below its key.
    std::optional<uint32_t> nearest;
    for (size_t i = 0; i < findings.size(); ++i) {
      uint32_t line = findings[i].span.line;
      uint32_t dist = line > m.target ? line - m.target : m.target - line;
      if (!used[i] && findings[i].code == m.code && line != m.target && dist <= 3 &&
          (!nearest || dist < (*nearest > m.target ? *nearest - m.target : m.target - *nearest))) {
        nearest = line;
      }
    }
    if (nearest) {
      msg += "; there is an unmatched " + m.code_text + " at line " + std::to_string(*nearest) +
             " (a block mapping or list is located at its first entry, not at its key)";
    }
    problems.push_back(std::move(msg));
  }
  for (size_t i = 0; i < findings.size(); ++i) {
    if (!used[i]) {
      problems.push_back(where(rel, findings[i].span.line) + ": unexpected finding " + describe(findings[i]));
    }
  }
  if (bad && findings.empty()) problems.push_back(rel + ": a bad_ fixture must produce at least one finding");
  if (!bad && !findings.empty() && markers.empty()) {
    problems.push_back(rel + ": a good_ fixture must produce no finding");
  }

  if (!problems.empty()) {
    std::string all = "all findings of " + analyzer_name + " in " + rel + ":";
    if (findings.empty()) all += " (none)";
    for (const rules::Finding& f : findings) all += "\n    " + where(rel, f.span.line) + ": " + describe(f);
    problems.push_back(std::move(all));
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Fixture directories

struct FixtureDir {
  std::string analyzer;  // "<area>.<Type>"
  fs::path dir;
};

/// The <area> part of every analyzer name ("virtualservice", "schema", ...).
std::set<std::string> analyzerAreas() {
  std::set<std::string> out;
  for (const analyzers::AnalyzerPtr& a : analyzers::allAnalyzers()) {
    const std::string& n = a->metadata().name;
    out.insert(n.substr(0, n.find('.')));
  }
  return out;
}

/// Every fixtures/<area>/<Type>/ directory whose <area> is an analyzer area, sorted by analyzer
/// name. Other top-level folders (golden/, examples/, sim/, ...) hold no rule cases.
std::vector<FixtureDir> fixtureDirs() {
  std::vector<FixtureDir> out;
  const fs::path root = kSourceDir / "fixtures";
  if (!fs::is_directory(root)) return out;
  const std::set<std::string> areas = analyzerAreas();
  for (const fs::directory_entry& area : fs::directory_iterator(root)) {
    if (!area.is_directory() || !areas.count(area.path().filename().string())) continue;
    for (const fs::directory_entry& type : fs::directory_iterator(area.path())) {
      if (!type.is_directory()) continue;
      out.push_back({area.path().filename().string() + "." + type.path().filename().string(), type.path()});
    }
  }
  std::sort(out.begin(), out.end(), [](const FixtureDir& a, const FixtureDir& b) { return a.analyzer < b.analyzer; });
  return out;
}

struct DirContents {
  std::vector<fs::path> good, bad, other;
};

DirContents listFixtures(const fs::path& dir) {
  DirContents c;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    std::string n = e.path().filename().string();
    bool yaml = n.ends_with(".yaml") || n.ends_with(".yml");
    if (e.is_regular_file() && yaml && n.starts_with("good_")) {
      c.good.push_back(e.path());
    } else if (e.is_regular_file() && yaml && n.starts_with("bad_")) {
      c.bad.push_back(e.path());
    } else {
      c.other.push_back(e.path());
    }
  }
  for (auto* v : {&c.good, &c.bad, &c.other}) std::sort(v->begin(), v->end());
  return c;
}

std::string joinLines(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : "\n") + s;
  return out;
}

void checkDirectory(const FixtureDir& fd) {
  const analyzers::Analyzer* analyzer = analyzers::findAnalyzer(fd.analyzer);
  const std::string rel_dir = fs::relative(fd.dir, kSourceDir).generic_string();
  if (analyzer == nullptr) {
    FAIL_CHECK(rel_dir << "/ names no analyzer: \"" << fd.analyzer
                       << "\" is not in analyzers::allAnalyzers() (fixtures/<area>/<Type>/ for <area>.<Type>)");
    return;
  }
  DirContents c = listFixtures(fd.dir);
  for (const fs::path& p : c.other) {
    FAIL_CHECK(fs::relative(p, kSourceDir).generic_string()
               << ": not a fixture; name fixtures good_<case>.yaml or bad_<case>.yaml");
  }
  std::vector<fs::path> all = c.bad;
  all.insert(all.end(), c.good.begin(), c.good.end());
  for (const fs::path& p : all) {
    std::vector<std::string> problems = checkFixture(*analyzer, p);
    if (!problems.empty()) FAIL_CHECK(joinLines(problems));
  }
  MESSAGE(fd.analyzer << ": " << c.bad.size() << " bad, " << c.good.size() << " good fixture(s) checked");
}

TEST_CASE("fixtures") {
  std::vector<FixtureDir> dirs = fixtureDirs();
  const char* only = std::getenv("ISTIO_LINT_FIXTURE");
  if (only != nullptr && *only != '\0') {
    std::erase_if(dirs, [&](const FixtureDir& d) { return d.analyzer != only; });
    REQUIRE_MESSAGE(!dirs.empty(), "ISTIO_LINT_FIXTURE=" << only
                                     << ": no fixtures/<area>/<Type>/ directory for it in an analyzer area");
  }
  REQUIRE_MESSAGE(!dirs.empty(), "no fixture directories under " << (kSourceDir / "fixtures").string());
  for (const FixtureDir& fd : dirs) {
    SUBCASE(fd.analyzer.c_str()) { checkDirectory(fd); }
  }
}

TEST_CASE("every analyzer has good and bad fixtures") {
  CHECK(hasTypedDecoder(model::Kind::VirtualService));
  CHECK(!hasTypedDecoder(model::Kind::MeshConfig));
  for (const std::string& kind : kPendingSchemaKinds) {
    CHECK_MESSAGE(!kDecodedSchemaKinds.count(kind), kind << " has a typed decoder and cannot be pending");
  }
  std::vector<std::string> missing;
  for (const analyzers::AnalyzerPtr& a : analyzers::allAnalyzers()) {
    const std::string& name = a->metadata().name;
    size_t dot = name.find('.');
    REQUIRE_MESSAGE(dot != std::string::npos, "analyzer name \"" << name << "\" is not <area>.<Type>");
    fs::path dir = kSourceDir / "fixtures" / name.substr(0, dot) / name.substr(dot + 1);
    DirContents c = fs::is_directory(dir) ? listFixtures(dir) : DirContents{};
    bool complete = !c.good.empty() && !c.bad.empty();
    bool pending = name.starts_with(kSchemaPrefix) && kPendingSchemaKinds.count(name.substr(kSchemaPrefix.size()));
    if (pending) {
      auto kind = model::kindFromId(name.substr(kSchemaPrefix.size()));
      REQUIRE_MESSAGE(kind.has_value(), name << ": unknown kind");
      CHECK_MESSAGE(!hasTypedDecoder(*kind),
                    name << ": manifests of this kind decode to a typed resource now; write its fixtures and "
                            "remove it from kPendingSchemaKinds");
      CHECK_MESSAGE(!complete, name << " has fixtures now; remove it from kPendingSchemaKinds");
      continue;
    }
    if (!complete) {
      missing.push_back(name + ": " + fs::relative(dir, kSourceDir).generic_string() + "/ has " +
                        std::to_string(c.good.size()) + " good_ and " + std::to_string(c.bad.size()) +
                        " bad_ fixture(s); at least one of each is required");
    }
  }
  CHECK_MESSAGE(missing.empty(), joinLines(missing));
}

/// Codes no fixture can fire, by analyzer (a trailing `*` matches any analyzer name with that
/// prefix). An exact entry whose code does fire must be removed.
const std::vector<std::pair<std::string, std::string>> kCodesWithoutFixtures = {
    {"input.LoadAnalyzer", "IL0004"},            // an unreadable input: the harness reads fixture bytes itself
    {"schema.ValidationAnalyzer.*", "IST0133"},  // schema warnings: only some decoders have any
};

bool exempt(const std::string& analyzer, std::string_view code, bool* exact = nullptr) {
  for (const auto& [pattern, c] : kCodesWithoutFixtures) {
    if (c != code) continue;
    bool wildcard = pattern.ends_with("*");
    if (wildcard ? analyzer.starts_with(pattern.substr(0, pattern.size() - 1)) : analyzer == pattern) {
      if (exact) *exact = !wildcard;
      return true;
    }
  }
  return false;
}

// Every code an analyzer declares fires in at least one of its bad_ fixtures (the per-directory
// check proves each marker matches a real finding).
TEST_CASE("every code an analyzer emits has a bad fixture that fires it") {
  std::vector<std::string> missing, stale;
  for (const analyzers::AnalyzerPtr& a : analyzers::allAnalyzers()) {
    const std::string& name = a->metadata().name;
    if (name.starts_with(kSchemaPrefix) && kPendingSchemaKinds.count(name.substr(kSchemaPrefix.size()))) continue;
    fs::path dir = kSourceDir / "fixtures" / name.substr(0, name.find('.')) / name.substr(name.find('.') + 1);
    std::set<rules::Code> fired;
    if (fs::is_directory(dir)) {
      for (const fs::path& f : listFixtures(dir).bad) {
        std::vector<std::string> ignored;
        for (const Marker& m : parseMarkers(splitLines(readFile(f)), ignored)) fired.insert(m.code);
      }
    }
    for (rules::Code code : a->metadata().codes) {
      std::string_view text = rules::messageType(code).code;
      bool exact = false;
      bool is_exempt = exempt(name, text, &exact);
      if (!fired.count(code) && !is_exempt) {
        missing.push_back(name + ": no bad_ fixture in " + fs::relative(dir, kSourceDir).generic_string() +
                          "/ fires " + std::string(text));
      }
      if (fired.count(code) && is_exempt && exact) {
        stale.push_back(name + " " + std::string(text) + " has a fixture now; remove it from kCodesWithoutFixtures");
      }
    }
  }
  CHECK_MESSAGE(missing.empty(), joinLines(missing));
  CHECK_MESSAGE(stale.empty(), joinLines(stale));
}

// The harness itself: markers are parsed as documented, and a wrong expectation fails.
TEST_CASE("fixture markers") {
  std::vector<std::string> errors;
  std::vector<std::string> lines = {
      "a: 1  # expect: IST0101 Referenced host",  // 1
      "# expect-next-line: IST0132",              // 2
      "# a comment",                              // 3
      "",                                         // 4
      "b: 2  # expect: IST0112 # expect: IL0006", // 5
      "# expect@+2: IST0106 bad value",           // 6
      "c: 3",                                     // 7
      "d: 4",                                     // 8
      "e: 5  # expect@-4: IST0133",               // 9
  };
  std::vector<Marker> m = parseMarkers(lines, errors);
  CHECK(errors.empty());
  REQUIRE(m.size() == 6);
  CHECK((m[0].target == 1 && m[0].code == rules::Code::IST0101 && m[0].text == "Referenced host"));
  CHECK((m[1].target == 5 && m[1].code == rules::Code::IST0132 && m[1].text.empty()));
  CHECK((m[2].target == 5 && m[2].code == rules::Code::IST0112 && m[2].text.empty()));
  CHECK((m[3].target == 5 && m[3].code == rules::Code::IL0006));
  CHECK((m[4].target == 8 && m[4].code == rules::Code::IST0106 && m[4].text == "bad value"));
  CHECK((m[5].target == 5 && m[5].code == rules::Code::IST0133));

  errors.clear();
  parseMarkers({"a: 1  # expect IST0101", "b: 2  # expect: IST9999", "# expect@3: IST0101", "# expect-next-line: IST0101"},
               errors);
  CHECK(errors.size() == 4);
}

TEST_CASE("fixture harness fails on a wrong expectation") {
  const analyzers::Analyzer* gw = analyzers::findAnalyzer("virtualservice.GatewayAnalyzer");
  REQUIRE(gw != nullptr);
  fs::path tmp = fs::temp_directory_path() / ("istio-lint-fixture-selftest-" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(tmp / name, std::ios::binary) << text;
    return tmp / name;
  };
  const std::string vs =
      "apiVersion: networking.istio.io/v1\n"
      "kind: VirtualService\n"
      "metadata: {name: web, namespace: shop}\n"
      "spec:\n"
      "  hosts: [shop.example.com]\n"
      "  gateways: [nope]%s\n"
      "  http:\n"
      "  - route:\n"
      "    - destination: {host: web}\n";
  auto with = [&](const std::string& marker) {
    std::string s = vs;
    s.replace(s.find("%s"), 2, marker);
    return s;
  };
  // Correct: passes. Missing marker, wrong code, wrong text, wrong line, extra marker: each fails.
  CHECK(checkFixture(*gw, write("bad_ok.yaml", with("  # expect: IST0101 \"nope\""))).empty());
  CHECK(!checkFixture(*gw, write("bad_unmarked.yaml", with(""))).empty());
  CHECK(!checkFixture(*gw, write("bad_code.yaml", with("  # expect: IST0132"))).empty());
  CHECK(!checkFixture(*gw, write("bad_text.yaml", with("  # expect: IST0101 \"other\""))).empty());
  CHECK(!checkFixture(*gw, write("bad_line.yaml", with("  # expect@+1: IST0101"))).empty());
  CHECK(!checkFixture(*gw, write("bad_extra.yaml", with("  # expect: IST0101 # expect: IST0101"))).empty());
  CHECK(!checkFixture(*gw, write("good_fires.yaml", with(""))).empty());
  // A bad_ file that produces nothing fails, and so does a fixture that is not clean input.
  std::string fine = vs;
  fine.replace(fine.find("[nope]%s"), 8, "[mesh]");
  CHECK(checkFixture(*gw, write("good_fine.yaml", fine)).empty());
  CHECK(!checkFixture(*gw, write("bad_fine.yaml", fine)).empty());
  CHECK(!checkFixture(*gw, write("good_typo.yaml", fine + "    timeoutt: 5s\n")).empty());
  fs::remove_all(tmp);
}

}  // namespace
}  // namespace istio_lint::testing
