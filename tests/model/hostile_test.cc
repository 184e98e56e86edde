// Hostile inputs: whatever the bytes, the loader returns problems with positions, in bounded time,
// and keeps everything it can read.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "model/loader.h"
#include "model/mesh_graph.h"
#include "model/resources/kube.h"
#include "model/resources/networking.h"
#include "tests/test_util.h"

namespace istio_lint::model {
namespace {

using istio_lint::testing::timed;

constexpr double kTimeLimit = 5.0;  // seconds; generous, real runs take milliseconds

constexpr std::string_view kGood = "apiVersion: v1\nkind: Service\nmetadata: {name: good, namespace: ns}\n";

LoadResult loadOne(std::string_view name, std::string bytes, double* seconds = nullptr) {
  LoadResult r;
  double s = timed([&] { r = load({{std::string(name), std::move(bytes)}}, {}); });
  if (seconds) *seconds = s;
  return r;
}

std::vector<std::string> names(const LoadResult& r) {
  std::vector<std::string> out;
  for (const ResourcePtr& p : r.resources) out.push_back(p->name());
  return out;
}

size_t count(const LoadResult& r, LoadProblem::Type t) {
  return static_cast<size_t>(
      std::count_if(r.problems.begin(), r.problems.end(), [&](const LoadProblem& p) { return p.type == t; }));
}

struct SyntaxCase {
  std::string what;
  std::string text;
  uint32_t line;  // where the problem must point
};

TEST_CASE("syntax errors at several structural positions") {
  const std::string good_doc =
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: after\n  namespace: ns\n";
  const std::vector<SyntaxCase> cases = {
      {"unclosed flow sequence", "apiVersion: v1\nkind: Service\nspec:\n  ports: [80, 443\n", 4},
      {"unclosed flow mapping", "apiVersion: v1\nkind: Service\nmetadata: {name: x\n", 3},
      {"bad indentation in a mapping", "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n   namespace: y\n", 5},
      {"sequence item at mapping level", "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n- item\n", 5},
      {"tab indentation", "apiVersion: v1\nkind: Service\nmetadata:\n\tname: x\n", 4},
      {"unterminated double quote", "apiVersion: v1\nkind: Service\nmetadata:\n  name: \"x\n", 4},
      {"unterminated single quote", "apiVersion: v1\nkind: 'Service\n", 2},
      {"mapping value in plain scalar", "apiVersion: v1\nkind: Service: Extra\n", 2},
      {"bad escape", "apiVersion: v1\nkind: \"Serv\\qice\"\n", 2},
      {"anchor without node at end", "a: &\n", 1},
      {"block scalar bad indentation", "a: |\n    x\n  y\nb: 1\n", 3},
  };
  for (const SyntaxCase& c : cases) {
    CAPTURE(c.what);
    // The broken document first, then a good one in the same file, and a good file after.
    std::string text = "apiVersion: v1\nkind: Service\nmetadata: {name: before, namespace: ns}\n---\n" + c.text +
                       "---\n" + good_doc;
    double seconds = 0;
    LoadResult r;
    seconds = timed([&] {
      r = load({{"broken.yaml", text}, {"good.yaml", std::string(kGood)}}, {});
    });
    CHECK(seconds < kTimeLimit);
    REQUIRE(count(r, LoadProblem::Type::Syntax) >= 1);
    const LoadProblem* p = nullptr;
    for (const LoadProblem& q : r.problems) {
      if (q.type == LoadProblem::Type::Syntax && !p) p = &q;
    }
    CHECK(r.files.path(p->span.file) == "broken.yaml");
    CHECK(p->span.line == c.line + 4);  // four lines of the document before it
    CHECK(p->span.col >= 1);
    CHECK_FALSE(p->message.empty());
    CHECK(names(r) == std::vector<std::string>{"before", "after", "good"});
  }
}

TEST_CASE("wrong scalar types are schema issues") {
  LoadResult r = loadOne("types.yaml", R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: ns
  labels: [a]
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: eighty, name: http, protocol: HTTP}
    hosts: 5
  - port: {number: 99999, name: big, protocol: HTTP}
    hosts: [ok.example.com, {not: a-string}]
  - "not a server"
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: ns, annotations: [x]}
spec:
  hosts: {a: b}
  gateways: gw
  http: "routes"
---
apiVersion: v1
kind: Service
metadata: {name: svc, namespace: ns}
spec:
  ports:
  - port: "eighty"
  - port: [80]
  selector: app
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: dep, namespace: ns}
spec:
  replicas: many
  template: []
)");
  CHECK(r.problems.empty());
  REQUIRE(r.resources.size() == 4);
  auto issuesAt = [&](size_t i) {
    std::vector<std::pair<uint32_t, std::string>> out;
    for (const SchemaIssue& s : r.resources[i]->schema_issues) out.emplace_back(s.span.line, s.message);
    std::sort(out.begin(), out.end());
    return out;
  };
  auto has = [](const std::vector<std::pair<uint32_t, std::string>>& issues, uint32_t line, std::string_view text) {
    for (const auto& [l, m] : issues) {
      if (l == line && m.find(text) != std::string::npos) return true;
    }
    return false;
  };
  auto gw = issuesAt(0);
  CAPTURE(gw.size());
  CHECK(has(gw, 6, "metadata.labels: expected a mapping"));
  CHECK(has(gw, 10, "spec.servers[0].port.number: expected an integer"));
  CHECK(has(gw, 11, "spec.servers[0].hosts: expected a list of strings"));
  CHECK(has(gw, 12, "outside 0-65535"));
  CHECK(has(gw, 13, "spec.servers[1].hosts[1]: expected a string, got a mapping"));
  CHECK(has(gw, 14, "spec.servers[2]: expected a mapping"));
  const auto& g = static_cast<const Gateway&>(*r.resources[0]);
  REQUIRE(g.servers.size() == 2);
  CHECK(g.servers[0].port == 0);
  CHECK(g.servers[0].hosts.empty());
  CHECK(g.servers[1].hosts.size() == 1);
  auto vs = issuesAt(1);
  CHECK(has(vs, 18, "annotations: expected a mapping"));
  CHECK(has(vs, 20, "spec.hosts: expected a list of strings, got a mapping"));
  CHECK(has(vs, 21, "spec.gateways: expected a list of strings, got a string"));
  CHECK(has(vs, 22, "spec.http: expected a list"));
  auto svc = issuesAt(2);
  CHECK(has(svc, 29, "spec.ports[0].port: expected an integer, got a string \"eighty\""));
  CHECK(has(svc, 30, "spec.ports[1].port: expected an integer, got a list"));
  CHECK(has(svc, 31, "spec.selector: expected a mapping of strings"));
  auto dep = issuesAt(3);
  CHECK(has(dep, 37, "spec.replicas: expected an integer"));
  CHECK(has(dep, 38, "spec.template: expected a mapping, got a list"));
}

TEST_CASE("alias bomb: billion laughs, 10 levels of 10") {
  std::string bomb = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 10; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) bomb += (j ? ", " : "") + prev;
    bomb += "]\n";
  }
  std::string text = std::string(kGood) + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n" +
                     [&] {
                       std::string indented;
                       for (size_t p = 0, nl; p < bomb.size(); p = nl + 1) {
                         nl = bomb.find('\n', p);
                         indented += "  " + bomb.substr(p, nl - p + 1);
                       }
                       return indented;
                     }() +
                     "---\napiVersion: v1\nkind: Service\nmetadata: {name: after, namespace: ns}\n";
  double seconds = 0;
  LoadResult r = loadOne("bomb.yaml", text, &seconds);
  CHECK(seconds < kTimeLimit);
  REQUIRE(count(r, LoadProblem::Type::Limit) == 1);
  const LoadProblem& p = r.problems[0];
  CHECK(p.type == LoadProblem::Type::Limit);
  CHECK(p.span.line >= 9);
  CHECK(p.span.line <= 19);
  CHECK(names(r) == std::vector<std::string>{"good", "after"});
  // Nothing else of the bomb document survives: the graph and analyzers never see it.
  MeshGraph g = MeshGraph::build(std::move(r), {});
  CHECK(g.find(Kind::ConfigMap, "", "bomb") == nullptr);
}

TEST_CASE("an alias bomb built from mappings and merge keys") {
  std::string text = "a0: &a0 {k0: v, k1: v, k2: v, k3: v, k4: v, k5: v, k6: v, k7: v, k8: v, k9: v}\n";
  for (int i = 1; i < 12; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " {";
    for (int j = 0; j < 10; ++j) text += (j ? ", " : "") + std::string("x") + std::to_string(j) + ": " + prev;
    text += ", <<: " + prev + "}\n";
  }
  double seconds = 0;
  LoadResult r = loadOne("bomb2.yaml", text, &seconds);
  CHECK(seconds < kTimeLimit);
  CHECK(count(r, LoadProblem::Type::Limit) == 1);
  CHECK(r.resources.empty());
}

std::string nested(size_t depth, bool flow) {
  std::string s;
  if (flow) {
    s = "a: " + std::string(depth, '[') + std::string(depth, ']') + "\n";
  } else {
    for (size_t i = 0; i < depth; ++i) s += "- ";  // compact nested block sequences
    s += "v\n";
  }
  return s;
}

TEST_CASE("10 000-deep nesting is a Limit problem") {
  for (bool flow : {true, false}) {
    CAPTURE(flow);
    for (std::string depth_doc : {nested(10000, flow), "a: " + std::string(10000, '{') + std::string(10000, '}') + "\n"}) {
      std::string text = std::string(kGood) + "---\n" + depth_doc + "---\n" +
                         "apiVersion: v1\nkind: Service\nmetadata: {name: after, namespace: ns}\n";
      double seconds = 0;
      LoadResult r = loadOne("deep.yaml", text, &seconds);
      CHECK(seconds < kTimeLimit);
      CHECK(count(r, LoadProblem::Type::Limit) == 1);
      CHECK(names(r) == std::vector<std::string>{"good", "after"});
      if (!r.problems.empty()) CHECK(r.problems[0].span.line >= 4);
    }
  }
  // Within the limit is fine.
  LoadResult ok = loadOne("ok.yaml", nested(200, true));
  CHECK(count(ok, LoadProblem::Type::Limit) == 0);
  CHECK(count(ok, LoadProblem::Type::Syntax) == 0);
}

TEST_CASE("binary data, NUL bytes and invalid UTF-8 are syntax problems") {
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary.push_back(static_cast<char>((i * 7919 + 13) % 256));
  std::string nul = "apiVersion: v1\nkind: Serv";
  nul.push_back('\0');
  nul += "ice\nmetadata: {name: x}\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"binary", binary},
      {"NUL byte", nul},
      {"invalid UTF-8 lead byte", "apiVersion: v1\nkind: Service\nmetadata: {name: \xff\xfe}\n"},
      {"truncated UTF-8 sequence", "apiVersion: v1\nkind: Service\nmetadata: {name: caf\xc3}\n"},
      {"overlong UTF-8", "apiVersion: v1\nkind: Service\nmetadata: {name: \xc0\xaf}\n"},
      {"control character", "apiVersion: v1\nkind: Service\nmetadata: {name: a\x01" "b}\n"},
      {"ELF header", std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16)},
  };
  for (const auto& c : cases) {
    const std::string& what = c.first;  // plain references: lambdas capture them
    const std::string& bytes = c.second;
    CAPTURE(what);
    double seconds = 0;
    LoadResult r;
    seconds = timed([&] { r = load({{"bad.bin.yaml", bytes}, {"good.yaml", std::string(kGood)}}, {}); });
    CHECK(seconds < kTimeLimit);
    CHECK(count(r, LoadProblem::Type::Syntax) >= 1);
    for (const LoadProblem& p : r.problems) {
      CHECK(p.type == LoadProblem::Type::Syntax);
      CHECK(r.files.path(p.span.file) == "bad.bin.yaml");
      CHECK(p.span.line >= 1);
    }
    CHECK(names(r) == std::vector<std::string>{"good"});
  }
}

TEST_CASE("an empty file gives nothing") {
  LoadResult r = loadOne("empty.yaml", "");
  CHECK(r.problems.empty());
  CHECK(r.resources.empty());
  CHECK(r.files_read == 1);
  CHECK(r.skipped_kinds.empty());
}

TEST_CASE("many documents, many errors") {
  std::string text;
  std::vector<uint32_t> error_lines;
  uint32_t line = 1;
  for (int i = 0; i < 2000; ++i) {
    if (i % 2) {
      error_lines.push_back(line);
      text += "a: [x\n---\n";
      line += 2;
    } else {
      text += "apiVersion: v1\nkind: Service\nmetadata: {name: s" + std::to_string(i) + ", namespace: ns}\n---\n";
      line += 4;
    }
  }
  double seconds = 0;
  LoadResult r = loadOne("many.yaml", text, &seconds);
  CHECK(seconds < kTimeLimit);
  CHECK(r.resources.size() == 1000);
  std::vector<uint32_t> lines;
  for (const LoadProblem& p : r.problems) {
    CHECK(p.type == LoadProblem::Type::Syntax);
    lines.push_back(p.span.line);
  }
  CHECK(lines == error_lines);
}

TEST_CASE("huge scalars and keys") {
  std::string text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + std::string(1 << 20, 'x') +
                     "\n  annotations:\n    " + std::string(100000, 'k') + ": v\n";
  double seconds = 0;
  LoadResult r = loadOne("huge.yaml", text, &seconds);
  CHECK(seconds < kTimeLimit);
  // libyaml refuses simple keys longer than 1024 characters; either way it is reported, not fatal.
  if (r.problems.empty()) {
    REQUIRE(r.resources.size() == 1);
    CHECK(r.resources[0]->name().size() == (1u << 20));
  } else {
    CHECK(r.problems[0].type == LoadProblem::Type::Syntax);
    CHECK(r.problems[0].span.line >= 4);
  }
}

}  // namespace
}  // namespace istio_lint::model
