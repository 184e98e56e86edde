// Invariants of the message catalog and the analyzer registry.

#include "rules/catalog.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>

#include "analyzers/analyzer.h"
#include "analyzers/driver.h"
#include "model/loader.h"

namespace istio_lint::rules {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = ISTIO_LINT_SOURCE_DIR;

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST_CASE("codes are unique, sorted and well-formed") {
  auto types = allMessageTypes();
  REQUIRE(types.size() > 0);
  const std::regex code_re(R"(^(IST|IL)\d{4}$)");
  const std::regex name_re(R"(^[A-Z]\w*$)");
  std::set<std::string_view> codes, names;
  for (size_t i = 0; i < types.size(); ++i) {
    const MessageType& t = types[i];
    CAPTURE(t.code);
    CHECK(std::regex_match(std::string(t.code), code_re));
    CHECK(std::regex_match(std::string(t.name), name_re));
    CHECK(codes.insert(t.code).second);
    CHECK(names.insert(t.name).second);
    CHECK(static_cast<size_t>(t.id) == i);  // the enum and the table agree
    CHECK(&messageType(t.id) == &t);
    if (i > 0) CHECK(types[i - 1].code < t.code);
    CHECK_FALSE(t.format.empty());
    // The istioctl column is empty or the code itself: an IST code means the same thing upstream.
    if (t.code.starts_with("IST")) {
      CHECK(t.istioctl == t.code);
    } else {
      CHECK(t.istioctl.empty());
    }
  }
}

TEST_CASE("codeFromString and levels") {
  REQUIRE(codeFromString("IST0101").has_value());
  CHECK(*codeFromString("IST0101") == Code::IST0101);
  CHECK(*codeFromString("ist0101") == Code::IST0101);
  CHECK(*codeFromString("il0001") == Code::IL0001);
  CHECK_FALSE(codeFromString("IST9999"));
  CHECK_FALSE(codeFromString(""));
  CHECK_FALSE(codeFromString("IST0101 "));
  for (const MessageType& t : allMessageTypes()) CHECK(codeFromString(t.code) == t.id);
  CHECK(parseLevel("warning") == Level::Warning);
  CHECK(parseLevel("ERROR") == Level::Error);
  CHECK(parseLevel("Info") == Level::Info);
  CHECK_FALSE(parseLevel("fatal"));
  CHECK(levelName(Level::Warning) == "Warning");
  CHECK(Level::Info < Level::Warning);
  CHECK(Level::Warning < Level::Error);
  // Levels that istioctl pins down.
  CHECK(messageType(Code::IST0101).level == Level::Error);
  CHECK(messageType(Code::IST0132).level == Level::Warning);
}

/// Renders `c` with `n` distinct arguments "<arg0>", "<arg1>", ...
std::string renderWith(Code c, size_t n) {
  auto a = [](size_t i) { return "<arg" + std::to_string(i) + ">"; };
  switch (n) {
    case 0: return render(c);
    case 1: return render(c, a(0));
    case 2: return render(c, a(0), a(1));
    case 3: return render(c, a(0), a(1), a(2));
    case 4: return render(c, a(0), a(1), a(2), a(3));
    case 5: return render(c, a(0), a(1), a(2), a(3), a(4));
    case 6: return render(c, a(0), a(1), a(2), a(3), a(4), a(5));
    default: throw std::runtime_error("add a case for arity " + std::to_string(n));
  }
}

TEST_CASE("every template renders with exactly its arity") {
  for (const MessageType& t : allMessageTypes()) {
    CAPTURE(t.code);
    size_t n = arity(t.format);
    std::string out;
    REQUIRE_NOTHROW(out = renderWith(t.id, n));
    for (size_t i = 0; i < n; ++i) CHECK(out.find("<arg" + std::to_string(i) + ">") != std::string::npos);
    // Only `{}` placeholders: nothing of the template's braces survives rendering.
    CHECK(out.find("{}") == std::string::npos);
    if (n > 0) CHECK_THROWS(renderWith(t.id, n - 1));
  }
  CHECK(arity("a {} b {} c") == 2);
  CHECK(arity("none") == 0);
  CHECK(render(Code::IST0101, "host", "reviews") == "Referenced host not found: \"reviews\"");
}

TEST_CASE("message arguments are written as fmt writes them") {
  auto ist0101 = [](const MessageArg& a, const MessageArg& b) {
    return renderArgs(Code::IST0101, std::vector<MessageArg>{a, b});
  };
  CHECK(ist0101(std::string("host"), std::string_view("a.b")) == "Referenced host not found: \"a.b\"");
  CHECK(ist0101(size_t{3}, int64_t{-7}) == "Referenced 3 not found: \"-7\"");
  CHECK(ist0101(uint16_t{8080}, uint8_t{9}) == "Referenced 8080 not found: \"9\"");
  CHECK(ist0101(true, 'x') == "Referenced true not found: \"x\"");
  CHECK(ist0101(0.5, 100.0) == "Referenced 0.5 not found: \"100\"");
  CHECK(ist0101(1e20, 0.1f) == "Referenced 1e+20 not found: \"0.1\"");
  // Braces in an argument are text, not placeholders.
  CHECK(render(Code::IST0101, "{}", "{0}") == "Referenced {} not found: \"{0}\"");
}

TEST_CASE("documentation URLs and pages") {
  CHECK(documentationUrl(Code::IST0101) ==
        "https://istio.io/v1.30/docs/reference/config/analysis/ist0101/?ref=istioctl-analyze");
  CHECK(docPage(Code::IST0101) == "docs/rules/IST0101-referenced-resource-not-found.md");
  CHECK(docPage(Code::IL0001) == "docs/rules/IL0001-yaml-syntax-error.md");
  CHECK(documentationUrl(Code::IL0001) == docPage(Code::IL0001));
  const std::regex page_re(R"(^docs/rules/(IST|IL)\d{4}-[a-z0-9]+(-[a-z0-9]+)*\.md$)");
  std::set<std::string> pages;
  for (const MessageType& t : allMessageTypes()) {
    CAPTURE(t.code);
    std::string page = docPage(t.id);
    CHECK(std::regex_match(page, page_re));
    CHECK(pages.insert(page).second);
  }
}

TEST_CASE("every code has its doc page") {
  for (const MessageType& t : allMessageTypes()) {
    fs::path page = kSourceDir / docPage(t.id);
    CHECK_MESSAGE(fs::is_regular_file(page), "missing " << page.string());
    if (fs::is_regular_file(page)) {
      std::string text = readFile(page);
      CHECK_MESSAGE(text.find(t.code) != std::string::npos, page.string() << " does not mention " << t.code);
    }
  }
  // No page is left over from a code that is gone.
  std::set<std::string> expected;
  for (const MessageType& t : allMessageTypes()) expected.insert(fs::path(docPage(t.id)).filename().string());
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(kSourceDir / "docs" / "rules", ec)) {
    std::string name = e.path().filename().string();
    if (!std::regex_match(name, std::regex(R"(^(IST|IL)\d{4}-.*\.md$)"))) continue;
    CHECK_MESSAGE(expected.count(name), "docs/rules/" << name << " belongs to no catalog code");
  }
}

}  // namespace
}  // namespace istio_lint::rules

namespace istio_lint::analyzers {
namespace {

namespace fs = std::filesystem;

TEST_CASE("every code is emitted by some analyzer") {
  std::set<Code> emitted;
  for (const AnalyzerPtr& a : allAnalyzers()) {
    for (Code c : a->metadata().codes) emitted.insert(c);
  }
  for (const rules::MessageType& t : rules::allMessageTypes()) {
    CHECK_MESSAGE(emitted.count(t.id), t.code << " is in the catalog but no analyzer lists it in metadata().codes");
  }
}

TEST_CASE("analyzers: sorted, unique names, descriptions, codes") {
  const auto& all = allAnalyzers();
  REQUIRE_FALSE(all.empty());
  // "<area>.<Name>"; the area is upstream's, lower camel case ("applicationUID").
  const std::regex name_re(R"(^[a-z][A-Za-z0-9]*\.[A-Za-z][\w.-]*$)");
  for (size_t i = 0; i < all.size(); ++i) {
    const AnalyzerMetadata& m = all[i]->metadata();
    CAPTURE(m.name);
    CHECK(std::regex_match(m.name, name_re));
    CHECK_FALSE(m.description.empty());
    CHECK_FALSE(m.codes.empty());
    CHECK(findAnalyzer(m.name) == all[i].get());
    if (i > 0) CHECK(all[i - 1]->metadata().name < m.name);  // sorted, hence unique
    std::set<Code> codes(m.codes.begin(), m.codes.end());
    CHECK(codes.size() == m.codes.size());
  }
  CHECK(findAnalyzer("bogus") == nullptr);
  // One schema analyzer per Istio kind, as upstream registers them.
  for (size_t k = 0; k < model::kKindCount; ++k) {
    const model::KindInfo& info = model::kindInfo(static_cast<model::Kind>(k));
    if (!info.istio) continue;
    CHECK_MESSAGE(findAnalyzer("schema.ValidationAnalyzer." + std::string(info.id)) != nullptr, info.id);
  }
}

TEST_CASE("every analyzer source is registered in allAnalyzers()") {
  // Each analyzers/<area>/<file>.cc defines `AnalyzerPtr make...()`; registry.cc must call it and
  // registry_entries.h declare it, so no analyzer is written and then forgotten.
  const fs::path dir = fs::path(ISTIO_LINT_SOURCE_DIR) / "analyzers";
  std::string registry;
  {
    std::ifstream in(dir / "registry.cc");
    registry.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::string entries;
  {
    std::ifstream in(dir / "registry_entries.h");
    entries.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  REQUIRE_FALSE(registry.empty());
  const std::regex factory_re(R"(AnalyzerPtr\s+(make\w+)\s*\([^)]*\)\s*\{)");
  size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".cc") continue;
    if (e.path().parent_path() == dir) continue;  // analyzer.cc, driver.cc, registry.cc
    ++files;
    std::string text;
    {
      std::ifstream in(e.path());
      text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    std::string rel = e.path().lexically_relative(dir).string();
    CAPTURE(rel);
    auto begin = std::sregex_iterator(text.begin(), text.end(), factory_re);
    CHECK_MESSAGE(begin != std::sregex_iterator(), rel << " defines no AnalyzerPtr make...() factory");
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      std::string factory = (*it)[1];
      CHECK_MESSAGE(registry.find(factory + "(") != std::string::npos, factory << " is not called in registry.cc");
      CHECK_MESSAGE(entries.find(factory + "(") != std::string::npos, factory << " is not declared in registry_entries.h");
    }
  }
  CHECK(files >= 1);
}

TEST_CASE("analyzers left out of the default run still run when selected") {
  // Upstream keeps annotations.AlphaAnalyzer out of All(): only `-a` runs it.
  const Analyzer* alpha = findAnalyzer("annotations.AlphaAnalyzer");
  REQUIRE(alpha != nullptr);
  CHECK_FALSE(alpha->metadata().default_enabled);
  model::LoadOptions lo;
  lo.threads = 1;
  const std::string svc =
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: shop\n"
      "  annotations:\n    networking.istio.io/exportTo: \".\"\n"
      "spec:\n  selector: {app: reviews}\n  ports:\n  - {name: http, port: 9080}\n";
  model::MeshGraph g = model::MeshGraph::build(model::load({model::Source{"svc.yaml", svc}}, lo), {});
  auto count = [](const std::vector<rules::Finding>& fs, Code c) {
    return std::count_if(fs.begin(), fs.end(), [&](const rules::Finding& f) { return f.code == c; });
  };
  CHECK(count(run(g, {}), Code::IST0136) == 0);
  CHECK(count(run(g, {{alpha}}), Code::IST0136) == 1);
}

}  // namespace
}  // namespace istio_lint::analyzers
