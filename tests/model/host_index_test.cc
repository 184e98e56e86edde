#include "model/host_index.h"

#include <doctest/doctest.h>

#include <string>

namespace istio_lint::model {
namespace {

std::vector<int> lookup(const HostIndex<int>& index, std::string_view host) {
  const std::vector<int>* v = index.lookup(host);
  return v ? *v : std::vector<int>{};
}

std::vector<std::vector<int>> covering(const HostIndex<int>& index, std::string_view host) {
  std::vector<std::vector<int>> out;
  index.forEachWildcardCovering(host, [&](const std::vector<int>& v) {
    out.push_back(v);
    return true;
  });
  return out;
}

TEST_CASE("exact hosts") {
  HostIndex<int> index;
  CHECK(index.empty());
  index.add("reviews.default.svc.cluster.local", 1);
  index.add("reviews.default.svc.cluster.local", 2);
  index.add("ratings.default.svc.cluster.local", 3);
  CHECK_FALSE(index.empty());
  CHECK(lookup(index, "reviews.default.svc.cluster.local") == std::vector<int>{1, 2});
  CHECK(lookup(index, "ratings.default.svc.cluster.local") == std::vector<int>{3});
  CHECK(index.lookup("details.default.svc.cluster.local") == nullptr);
  CHECK(index.lookup("reviews") == nullptr);
  REQUIRE(index.exact("ratings.default.svc.cluster.local") != nullptr);
  CHECK(index.exact("ratings.default.svc.cluster.local")->size() == 1);
}

TEST_CASE("the longest covering wildcard wins; exact beats wildcard") {
  HostIndex<int> index;
  index.add("*", 1);
  index.add("*.com", 2);
  index.add("*.example.com", 3);
  index.add("*.api.example.com", 4);
  index.add("v1.api.example.com", 5);
  CHECK(lookup(index, "v1.api.example.com") == std::vector<int>{5});
  CHECK(lookup(index, "v2.api.example.com") == std::vector<int>{4});
  CHECK(lookup(index, "www.example.com") == std::vector<int>{3});
  CHECK(lookup(index, "example.com") == std::vector<int>{2});  // *.example.com does not cover it
  CHECK(lookup(index, "foo.org") == std::vector<int>{1});      // only * covers it
  CHECK(covering(index, "v2.api.example.com") ==
        std::vector<std::vector<int>>{{4}, {3}, {2}, {1}});
  CHECK(covering(index, "example.com") == std::vector<std::vector<int>>{{2}, {1}});
  // The callback can stop the walk.
  int calls = 0;
  index.forEachWildcardCovering("a.api.example.com", [&](const std::vector<int>&) {
    ++calls;
    return calls < 2;
  });
  CHECK(calls == 2);
}

TEST_CASE("without *, an uncovered host finds nothing") {
  HostIndex<int> index;
  index.add("*.example.com", 1);
  index.add("*.other.com", 2);
  CHECK(index.lookup("example.com") == nullptr);
  CHECK(index.lookup("xexample.com") == nullptr);
  CHECK(index.lookup("com") == nullptr);
  CHECK(index.lookup("") == nullptr);
  CHECK(lookup(index, "a.other.com") == std::vector<int>{2});
  CHECK(covering(index, "a.b.example.com") == std::vector<std::vector<int>>{{1}});
}

TEST_CASE("wildcards of the same length are told apart by suffix") {
  HostIndex<int> index;
  index.add("*.aaa.com", 1);
  index.add("*.bbb.com", 2);
  CHECK(lookup(index, "x.aaa.com") == std::vector<int>{1});
  CHECK(lookup(index, "x.bbb.com") == std::vector<int>{2});
  CHECK(index.lookup("x.ccc.com") == nullptr);
}

TEST_CASE("exact() returns wildcard entries verbatim") {
  HostIndex<int> index;
  index.add("*.example.com", 7);
  index.add("*", 8);
  REQUIRE(index.exact("*.example.com") != nullptr);
  CHECK(*index.exact("*.example.com") == std::vector<int>{7});
  REQUIRE(index.exact("*") != nullptr);
  CHECK(*index.exact("*") == std::vector<int>{8});
  CHECK(index.exact("*.com") == nullptr);
  CHECK(index.exact("a.example.com") == nullptr);  // exact() never expands wildcards
  // A wildcard looked up finds its own entries, not a broader one.
  CHECK(lookup(index, "*.example.com") == std::vector<int>{7});
}

TEST_CASE("many hosts") {
  HostIndex<int> index;
  for (int i = 0; i < 2000; ++i) index.add("svc" + std::to_string(i) + ".ns.svc.cluster.local", i);
  for (int i = 0; i < 200; ++i) index.add("*.zone" + std::to_string(i) + ".example.com", 10000 + i);
  CHECK(lookup(index, "svc1234.ns.svc.cluster.local") == std::vector<int>{1234});
  CHECK(lookup(index, "a.zone77.example.com") == std::vector<int>{10077});
  CHECK(index.lookup("a.zone777.example.com") == nullptr);
}

}  // namespace
}  // namespace istio_lint::model
