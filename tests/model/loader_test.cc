#include "model/loader.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <thread>

#include "model/mesh_graph.h"
#include "model/resources/kube.h"
#include "model/resources/networking.h"
#include "tests/test_util.h"

namespace istio_lint::model {
namespace {

namespace fs = std::filesystem;
using istio_lint::testing::TempDir;

LoadResult loadText(std::string_view text, const LoadOptions& options = {}) {
  LoadResult out;
  uint32_t id = out.files.add("mem.yaml");
  loadBytes(text, id, options, out);
  return out;
}

std::vector<std::string> names(const LoadResult& r) {
  std::vector<std::string> out;
  for (const ResourcePtr& p : r.resources) out.push_back(p->name());
  return out;
}

std::vector<std::string> paths(const LoadResult& r, const fs::path& base) {
  std::vector<std::string> out;
  for (size_t i = 1; i < r.files.size(); ++i) {
    out.push_back(fs::path(r.files.path(static_cast<uint32_t>(i))).lexically_relative(base).string());
  }
  return out;
}

constexpr std::string_view kThreeDocs = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: vs-one
  namespace: shop
spec:
  hosts: [reviews]
---
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: {name: gw, namespace: shop}
---
# a comment-only document is nothing
---
apiVersion: v1
kind: Service
metadata:
  name: reviews
spec:
  ports:
  - port: 9080
)";

TEST_CASE("multi-document files") {
  LoadOptions o;
  o.default_namespace = "dflt";
  LoadResult r = loadText(kThreeDocs, o);
  CHECK(r.problems.empty());
  REQUIRE(r.resources.size() == 3);
  CHECK(names(r) == std::vector<std::string>{"vs-one", "gw", "reviews"});
  CHECK(r.resources[0]->kind == Kind::VirtualService);
  CHECK(r.resources[0]->api_version == "networking.istio.io/v1");
  CHECK(r.resources[0]->span == Span{1, 1, 1});
  CHECK(r.resources[1]->kind == Kind::Gateway);
  CHECK(r.resources[1]->span.line == 9);
  CHECK(r.resources[2]->kind == Kind::Service);
  CHECK(r.resources[2]->span.line == 15);
  CHECK(r.resources[2]->ns() == "dflt");
  const auto& vs = static_cast<const VirtualService&>(*r.resources[0]);
  REQUIRE(vs.hosts.size() == 1);
  CHECK(vs.hosts[0].value == "reviews");
  CHECK(vs.hosts[0].span == Span{1, 7, 11});
  const auto& svc = static_cast<const Service&>(*r.resources[2]);
  REQUIRE(svc.ports.size() == 1);
  CHECK(svc.ports[0].port == 9080);
}

TEST_CASE("kind: List and *List wrappers") {
  LoadResult r = loadText(R"(apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: a, namespace: x}
- apiVersion: networking.istio.io/v1
  kind: VirtualService
  metadata: {name: b, namespace: x}
---
apiVersion: networking.istio.io/v1
kind: VirtualServiceList
items:
- apiVersion: networking.istio.io/v1
  kind: VirtualService
  metadata: {name: c, namespace: x}
- kind: VirtualService
  metadata: {name: no-api-version}
---
apiVersion: v1
kind: List
items: {}
---
apiVersion: v1
kind: List
items: []
)");
  CHECK(names(r) == std::vector<std::string>{"a", "b", "c"});
  CHECK(r.resources[1]->span.line == 7);
  CHECK(r.resources[2]->span.line == 14);
  REQUIRE(r.problems.size() == 2);
  CHECK(r.problems[0].type == LoadProblem::Type::NotAResource);
  CHECK(r.problems[0].span.line == 17);
  CHECK(r.problems[0].message.find("apiVersion") != std::string::npos);
  CHECK(r.problems[1].type == LoadProblem::Type::NotAResource);
  CHECK(r.problems[1].span.line == 20);  // items of a List must be a list
  CHECK(r.problems[1].message.find("must be a list") != std::string::npos);
  CHECK(r.documents == 4);
  CHECK(r.skipped_kinds.empty());

  // Nested Lists are not unwrapped twice, and a List item that is itself a List is not a resource.
  LoadResult nested = loadText(
      "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n  - apiVersion: v1\n"
      "    kind: Service\n    metadata: {name: deep}\n");
  CHECK(nested.resources.empty());
}

TEST_CASE("UTF-8 byte order mark") {
  LoadResult r = loadText("\xEF\xBB\xBF" "apiVersion: v1\nkind: Service\nmetadata:\n  name: bom\n");
  CHECK(r.problems.empty());
  REQUIRE(r.resources.size() == 1);
  CHECK(r.resources[0]->name() == "bom");
  CHECK(r.resources[0]->meta.name.span.line == 4);
  CHECK(r.resources[0]->meta.name.span.col == 9);
}

TEST_CASE("CRLF line endings") {
  LoadResult r = loadText(
      "apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: crlf\r\n---\r\napiVersion: v1\r\nkind: Service\r\n"
      "metadata:\r\n  name: second\r\n  namespace: ns\r\n");
  CHECK(r.problems.empty());
  CHECK(names(r) == std::vector<std::string>{"crlf", "second"});
  CHECK(r.resources[0]->name() == "crlf");  // no trailing \r in values
  CHECK(r.resources[1]->ns() == "ns");
  CHECK(r.resources[1]->span.line == 6);
  CHECK(r.resources[1]->meta.ns.span == Span{1, 10, 14});
  // Recovery after a syntax error counts CRLF lines right too.
  LoadResult bad = loadText("a: [x\r\n---\r\napiVersion: v1\r\nkind: Service\r\nmetadata: {name: after}\r\n");
  REQUIRE(bad.problems.size() == 1);
  CHECK(bad.problems[0].span.line == 1);
  REQUIRE(bad.resources.size() == 1);
  CHECK(bad.resources[0]->span.line == 3);
}

TEST_CASE("empty and whitespace-only files") {
  for (std::string_view text : {"", "\n\n", "# nothing\n", "---\n", "---\n---\n"}) {
    LoadResult r = loadText(text);
    CHECK(r.resources.empty());
    CHECK(r.problems.empty());
  }
}

TEST_CASE("a document without apiVersion or kind is not a resource") {
  LoadResult r = loadText(R"(metadata: {name: x}
---
kind: Service
metadata: {name: y}
---
apiVersion: v1
metadata: {name: z}
---
apiVersion: v1
kind: 5
---
- just
- a list
---
plain string
---
apiVersion: v1
kind: Service
metadata: {name: fine}
)");
  REQUIRE(r.problems.size() == 6);
  for (const LoadProblem& p : r.problems) CHECK(p.type == LoadProblem::Type::NotAResource);
  CHECK(r.problems[0].span.line == 1);
  CHECK(r.problems[0].message.find("apiVersion and kind") != std::string::npos);
  CHECK(r.problems[1].span.line == 3);
  CHECK(r.problems[1].message.find("kind is Service") != std::string::npos);
  CHECK(r.problems[2].span.line == 6);
  CHECK(r.problems[2].message.find("kind") != std::string::npos);
  CHECK(r.problems[3].span.line == 9);
  CHECK(r.problems[4].span.line == 12);
  CHECK(r.problems[4].message.find("not a mapping") != std::string::npos);
  CHECK(r.problems[5].span.line == 15);
  CHECK(names(r) == std::vector<std::string>{"fine"});
}

TEST_CASE("unknown kinds are counted, not errors") {
  LoadResult r = loadText(R"(apiVersion: example.com/v1
kind: Widget
metadata: {name: w1}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w2}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
---
apiVersion: example.com/v1
kind: Service
metadata: {name: not-core}
)");
  CHECK(r.problems.empty());
  CHECK(r.resources.empty());
  CHECK(r.documents == 4);
  CHECK(r.skipped_kinds == std::map<std::string, size_t>{
                               {"ReplicationController", 1}, {"example.com/Service", 1}, {"example.com/Widget", 2}});
}

TEST_CASE("namespace defaulting") {
  constexpr std::string_view kText = R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: no-ns}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: with-ns, namespace: given}
---
apiVersion: v1
kind: Namespace
metadata: {name: cluster-scoped, namespace: ignored}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: crd}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: gc}
)";
  SUBCASE("with a default") {
    LoadOptions o;
    o.default_namespace = "fallback";
    LoadResult r = loadText(kText, o);
    REQUIRE(r.resources.size() == 5);
    CHECK(r.resources[0]->ns() == "fallback");
    CHECK_FALSE(r.resources[0]->meta.ns_given);
    CHECK_FALSE(r.resources[0]->meta.ns.span.known());
    CHECK(r.resources[1]->ns() == "given");
    CHECK(r.resources[1]->meta.ns_given);
    CHECK(r.resources[1]->meta.ns.span.line == 7);
    CHECK(r.resources[2]->ns().empty());  // cluster-scoped kinds never get a namespace
    CHECK(r.resources[2]->origin() == "Namespace cluster-scoped");
    CHECK(r.resources[3]->ns().empty());
    CHECK(r.resources[4]->kind == Kind::GatewayClass);
    CHECK(r.resources[4]->ns().empty());
    CHECK(r.resources[1]->origin() == "VirtualService given/with-ns");
  }
  SUBCASE("without a default") {
    LoadResult r = loadText(kText);
    REQUIRE(r.resources.size() == 5);
    CHECK(r.resources[0]->ns().empty());
    CHECK(r.resources[0]->origin() == "VirtualService no-ns");
    CHECK(r.resources[1]->ns() == "given");
  }
}

TEST_CASE("ignored namespaces are dropped") {
  constexpr std::string_view kText = R"(apiVersion: v1
kind: Service
metadata: {name: dns, namespace: kube-system}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-public}
---
apiVersion: v1
kind: Pod
metadata: {name: lease, namespace: kube-node-lease}
---
apiVersion: v1
kind: Pod
metadata: {name: lps, namespace: local-path-storage}
---
apiVersion: v1
kind: Service
metadata: {name: kept, namespace: kube-systemx}
---
apiVersion: v1
kind: Namespace
metadata: {name: default}
)";
  LoadResult dropped = loadText(kText);
  CHECK(names(dropped) == std::vector<std::string>{"kept", "default"});
  CHECK(dropped.problems.empty());
  LoadOptions keep;
  keep.drop_ignored_namespaces = false;
  CHECK(loadText(kText, keep).resources.size() == 6);
  // The default namespace itself can be an ignored one.
  LoadOptions o;
  o.default_namespace = "kube-system";
  CHECK(loadText("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n", o).resources.empty());
}

TEST_CASE("only_kinds keeps just the listed kinds") {
  LoadOptions o;
  o.only_kinds = std::set<Kind>{Kind::Gateway, Kind::Service};
  LoadResult r = loadText(kThreeDocs, o);
  CHECK(names(r) == std::vector<std::string>{"gw", "reviews"});
  CHECK(r.skipped_kinds.empty());  // known kinds left out on purpose are not "unknown"
}

TEST_CASE("load() with in-memory sources keeps input order") {
  std::vector<Source> inputs{
      {"b.yaml", std::string("apiVersion: v1\nkind: Service\nmetadata: {name: from-b}\n")},
      {"a.yaml", std::string("apiVersion: v1\nkind: Service\nmetadata: {name: from-a}\n---\n"
                             "apiVersion: v1\nkind: Service\nmetadata: {name: from-a2}\n")},
      {"broken.yaml", std::string("a: [x\n")},
      {"c.yaml", std::string("apiVersion: v1\nkind: Service\nmetadata: {name: from-c}\n")},
  };
  for (unsigned threads : {1u, 4u}) {
    LoadOptions o;
    o.threads = threads;
    LoadResult r = load(inputs, o);
    CHECK(names(r) == std::vector<std::string>{"from-b", "from-a", "from-a2", "from-c"});
    REQUIRE(r.files.size() == 5);
    CHECK(r.files.path(1) == "b.yaml");
    CHECK(r.files.path(3) == "broken.yaml");
    CHECK(r.resources[0]->span.file == 1);
    CHECK(r.resources[2]->span.file == 2);
    CHECK(r.resources[3]->span.file == 4);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].type == LoadProblem::Type::Syntax);
    CHECK(r.problems[0].span.file == 3);
    CHECK(r.problems[0].span.line == 1);
    CHECK(r.files_read == 4);
    CHECK(r.documents == 4);
  }
}

TEST_CASE("a missing path is Unreadable") {
  LoadResult r = load({{"/nonexistent/istio-lint/x.yaml", std::nullopt}}, {});
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].type == LoadProblem::Type::Unreadable);
  CHECK(r.problems[0].span.file != 0);
  CHECK(r.files.path(r.problems[0].span.file) == "/nonexistent/istio-lint/x.yaml");
  CHECK(r.files_read == 0);
}

constexpr std::string_view kSvc = "apiVersion: v1\nkind: Service\nmetadata: {name: %}\n";

std::string svc(std::string_view name) {
  std::string s(kSvc);
  s.replace(s.find('%'), 1, name);
  return s;
}

TEST_CASE("directories are walked recursively and sorted") {
  TempDir dir;
  dir.write("b.yaml", svc("b"));
  dir.write("a.yml", svc("a"));
  dir.write("c.json", R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "c"}})");
  dir.write("sub/z.yaml", svc("sub-z"));
  dir.write("sub/deeper/y.YAML", svc("deeper-y"));
  dir.write("README.md", "apiVersion: v1\nkind: Service\nmetadata: {name: readme}\n");
  dir.write("notes.txt", svc("txt"));
  dir.write("Makefile", svc("makefile"));
  dir.write("a-sibling/x.yaml", svc("a-sibling"));
  LoadResult r = load({{dir.path().string(), std::nullopt}}, {});
  CHECK(r.problems.empty());
  CHECK(names(r) == std::vector<std::string>{"a-sibling", "a", "b", "c", "deeper-y", "sub-z"});
  CHECK(paths(r, dir.path()) ==
        std::vector<std::string>{"a-sibling/x.yaml", "a.yml", "b.yaml", "c.json", "sub/deeper/y.YAML", "sub/z.yaml"});
  CHECK(r.files_read == 6);
}

TEST_CASE("a directory symlink loop does not hang") {
  TempDir dir;
  dir.write("m/one.yaml", svc("one"));
  fs::create_directory_symlink("..", dir.path() / "m" / "loop");
  fs::create_directory_symlink(dir.path() / "m", dir.path() / "m" / "self");
  fs::create_symlink(dir.path() / "m" / "one.yaml", dir.path() / "m" / "two.yaml");
  fs::create_symlink(dir.path() / "missing.yaml", dir.path() / "m" / "dangling.yaml");
  std::future<LoadResult> f = std::async(std::launch::async, [&] { return load({{dir / "m", std::nullopt}}, {}); });
  REQUIRE_MESSAGE(f.wait_for(std::chrono::seconds(10)) == std::future_status::ready, "load() did not finish");
  LoadResult r = f.get();
  // The file link is read (it is a file); directory links are not followed; a dangling link is
  // reported, not read.
  CHECK(names(r) == std::vector<std::string>{"one", "one"});
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].type == LoadProblem::Type::Unreadable);
  CHECK(r.files.path(r.problems[0].span.file) == dir / "m/dangling.yaml");
  CHECK(r.problems[0].message.find("symbolic link") != std::string::npos);
}

bool permissionsEnforced(const std::string& dir) {
  // root reads anything whatever the mode bits say.
  return ::access(dir.c_str(), R_OK) != 0;
}

/// The outcome the loader must give when it cannot read `locked/` and `z-unreadable.yaml`:
/// 0 when it is right, else a code saying what was wrong.
int checkUnreadable(const TempDir& dir, const std::string& file) {
  LoadResult r = load({{dir.path().string(), std::nullopt}}, {});
  if (names(r) != std::vector<std::string>{"a"}) return 10;
  if (r.problems.size() != 2) return 11;
  std::vector<std::string> problem_paths;
  for (const LoadProblem& p : r.problems) {
    if (p.type != LoadProblem::Type::Unreadable) return 12;
    if (p.span.line != 0) return 13;
    problem_paths.push_back(r.files.path(p.span.file));
  }
  std::sort(problem_paths.begin(), problem_paths.end());
  if (problem_paths != std::vector<std::string>{dir / "locked", file}) return 14;
  return 0;
}

TEST_CASE("unreadable directories and files are problems, the rest is still read") {
  TempDir dir;
  dir.write("a.yaml", svc("a"));
  dir.write("locked/hidden.yaml", svc("hidden"));
  std::string file = dir.write("z-unreadable.yaml", svc("unreadable"));
  REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
  REQUIRE(::chmod((dir / "a.yaml").c_str(), 0644) == 0);
  REQUIRE(::chmod((dir / "locked").c_str(), 0) == 0);
  REQUIRE(::chmod(file.c_str(), 0) == 0);
  if (permissionsEnforced(dir / "locked")) {
    CHECK(checkUnreadable(dir, file) == 0);
    return;
  }
  MESSAGE("running as root: mode 000 does not stop reads, so everything must be read");
  LoadResult r = load({{dir.path().string(), std::nullopt}}, {});
  CHECK(names(r) == std::vector<std::string>{"a", "hidden", "unreadable"});
  CHECK(r.problems.empty());
  // Check the unreadable path too, as an unprivileged user in a child process, if we may.
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(99);
    ::_exit(checkUnreadable(dir, file));
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 99) {
    MESSAGE("cannot drop privileges here; the unreadable path is not checked");
  } else {
    CHECK_MESSAGE(WEXITSTATUS(status) == 0, "unprivileged load gave the wrong result (code " << WEXITSTATUS(status) << ")");
  }
}

TEST_CASE("a FIFO inside a directory is reported without blocking") {
  TempDir dir;
  dir.write("a.yaml", svc("a"));
  std::string fifo = dir / "pipe.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  dir.write("z.yaml", svc("z"));
  std::future<LoadResult> f =
      std::async(std::launch::async, [&] { return load({{dir.path().string(), std::nullopt}}, {}); });
  if (f.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    // Unblock the reader so the test fails instead of hanging.
    int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) ::close(fd);
    FAIL("load() blocked on a FIFO");
  }
  LoadResult r = f.get();
  CHECK(names(r) == std::vector<std::string>{"a", "z"});
  REQUIRE(r.problems.size() == 1);  // reported, not read
  CHECK(r.problems[0].type == LoadProblem::Type::Unreadable);
  CHECK(r.files.path(r.problems[0].span.file) == fifo);
  CHECK(r.problems[0].message.find("not a regular file (a FIFO)") != std::string::npos);
}

TEST_CASE("files over max_file_bytes are Unreadable") {
  TempDir dir;
  std::string big = dir.write("big.yaml", svc("big") + std::string(200, '#'));
  LoadOptions o;
  o.max_file_bytes = 100;
  LoadResult r = load({{big, std::nullopt}}, o);
  CHECK(r.resources.empty());
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].type == LoadProblem::Type::Unreadable);
}

TEST_CASE("every resource of a --cluster input carries its cluster") {
  TempDir dir;
  dir.write("east/a.yaml", svc("reviews"));
  dir.write("east/sub/b.yaml", svc("ratings"));
  dir.write("west/a.yaml", svc("reviews"));
  dir.write("plain.yaml", svc("details"));
  LoadResult r = load({Source{dir / "east", std::nullopt, "east"}, Source{dir / "west", std::nullopt, "west"},
                       Source{dir / "plain.yaml", std::nullopt}},
                      LoadOptions{});
  REQUIRE(r.resources.size() == 4);
  std::vector<std::pair<std::string, std::string>> got;
  for (const ResourcePtr& p : r.resources) got.emplace_back(p->name(), p->cluster);
  CHECK(got == std::vector<std::pair<std::string, std::string>>{
                   {"reviews", "east"}, {"ratings", "east"}, {"reviews", "west"}, {"details", ""}});

  // The same Service in two clusters is one multi-cluster service, not a duplicate.
  MeshGraph g = MeshGraph::build(std::move(r), GraphOptions{});
  CHECK(g.duplicates().empty());
}

}  // namespace
}  // namespace istio_lint::model
