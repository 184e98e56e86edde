#include "model/selector_index.h"

#include <doctest/doctest.h>

#include <memory>

namespace istio_lint::model {
namespace {

struct Fixture {
  std::vector<std::unique_ptr<Workload>> owned;
  SelectorIndex index;

  const Workload* add(std::string ns, std::string name, Labels labels) {
    auto w = std::make_unique<Workload>();
    w->kind = Kind::Pod;
    w->meta.ns.value = std::move(ns);
    w->meta.name.value = std::move(name);
    w->pod_labels = std::move(labels);
    owned.push_back(std::move(w));
    index.add(owned.back().get());
    return owned.back().get();
  }
};

std::vector<std::string> names(const std::vector<const Workload*>& ws) {
  std::vector<std::string> out;
  for (const Workload* w : ws) out.push_back(w->ns() + "/" + w->name());
  return out;
}

TEST_CASE("selectors intersect label postings") {
  Fixture f;
  f.add("shop", "reviews-v2", {{"app", "reviews"}, {"version", "v2"}});
  f.add("shop", "reviews-v1", {{"app", "reviews"}, {"version", "v1"}});
  f.add("other", "reviews-v1", {{"app", "reviews"}, {"version", "v1"}});
  f.add("shop", "ratings", {{"app", "ratings"}, {"version", "v1"}});
  f.add("shop", "unlabelled", {});
  CHECK(f.index.all().size() == 5);

  CHECK(names(f.index.select({{"app", "reviews"}})) ==
        std::vector<std::string>{"other/reviews-v1", "shop/reviews-v1", "shop/reviews-v2"});
  CHECK(names(f.index.select({{"app", "reviews"}, {"version", "v1"}})) ==
        std::vector<std::string>{"other/reviews-v1", "shop/reviews-v1"});
  CHECK(names(f.index.select({{"version", "v1"}})) ==
        std::vector<std::string>{"other/reviews-v1", "shop/ratings", "shop/reviews-v1"});
  // A workload must carry every pair; extra pod labels do not matter.
  CHECK(f.index.select({{"app", "reviews"}, {"version", "v3"}}).empty());
  CHECK(f.index.select({{"app", "details"}}).empty());
  CHECK(f.index.select({{"app", "ratings"}, {"version", "v2"}}).empty());
  // Keys and values are compared exactly.
  CHECK(f.index.select({{"App", "reviews"}}).empty());
  CHECK(f.index.select({{"app", "Reviews"}}).empty());
}

TEST_CASE("namespace filtering") {
  Fixture f;
  f.add("shop", "a", {{"app", "x"}});
  f.add("other", "b", {{"app", "x"}});
  CHECK(names(f.index.select({{"app", "x"}}, "shop", /*any_namespace=*/false)) == std::vector<std::string>{"shop/a"});
  CHECK(names(f.index.select({{"app", "x"}}, "other", false)) == std::vector<std::string>{"other/b"});
  CHECK(f.index.select({{"app", "x"}}, "none", false).empty());
  // any_namespace (the default) ignores ns.
  CHECK(f.index.select({{"app", "x"}}, "shop").size() == 2);
}

TEST_CASE("an empty selector selects every workload") {
  Fixture f;
  f.add("b", "z", {{"k", "v"}});
  f.add("a", "y", {});
  f.add("b", "a", {});
  CHECK(names(f.index.select({})) == std::vector<std::string>{"a/y", "b/a", "b/z"});
  CHECK(names(f.index.select({}, "b", false)) == std::vector<std::string>{"b/a", "b/z"});
}

TEST_CASE("a label key=value is not confused with a different split") {
  Fixture f;
  f.add("ns", "w", {{"a=b", "c"}});
  f.add("ns", "v", {{"a", "b=c"}});
  CHECK(names(f.index.select({{"a=b", "c"}})) == std::vector<std::string>{"ns/w"});
  CHECK(names(f.index.select({{"a", "b=c"}})) == std::vector<std::string>{"ns/v"});
}

TEST_CASE("intersection across many workloads") {
  Fixture f;
  for (int i = 0; i < 1000; ++i) {
    f.add("ns", "w" + std::to_string(1000 + i),
          {{"app", i % 2 ? "odd" : "even"}, {"mod3", std::to_string(i % 3)}, {"id", std::to_string(i)}});
  }
  auto picked = f.index.select({{"app", "odd"}, {"mod3", "0"}});
  CHECK(picked.size() == 167);  // odd multiples of 3 below 1000: 3, 9, ..., 999
  for (const Workload* w : picked) {
    int i = std::stoi(w->name().substr(1)) - 1000;
    CHECK((i % 2 == 1 && i % 3 == 0));
  }
  CHECK(names(f.index.select({{"id", "42"}, {"app", "even"}})) == std::vector<std::string>{"ns/w1042"});
}

}  // namespace
}  // namespace istio_lint::model
