#include "model/selector_index.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <tuple>

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
    index.finish();
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


TEST_CASE("selectsAny and forEach answer like select") {
  Fixture f;
  for (int i = 0; i < 300; ++i) {
    f.add("ns" + std::to_string(i % 7), "w" + std::to_string(1000 + i),
          {{"app", i % 2 ? "odd" : "even"}, {"mod5", std::to_string(i % 5)}, {"all", "yes"}});
  }
  std::vector<Labels> selectors{{}, {{"all", "yes"}}, {{"app", "odd"}, {"mod5", "3"}},
                                {{"app", "even"}, {"mod5", "1"}, {"all", "yes"}}, {{"app", "odd"}, {"mod5", "9"}},
                                {{"app", "none"}}};
  for (const Labels& sel : selectors) {
    for (std::string ns : {"", "ns0", "ns3", "ns6", "ns9"}) {
      bool any_ns = ns.empty();
      std::vector<const Workload*> all = f.index.select(sel, ns, any_ns);
      // What select returns is what a brute-force scan finds, in (namespace, name) order.
      std::vector<const Workload*> expected;
      for (const auto& w : f.owned) {
        if (!any_ns && w->ns() != ns) continue;
        bool ok = std::all_of(sel.begin(), sel.end(), [&](const auto& kv) {
          auto it = w->pod_labels.find(kv.first);
          return it != w->pod_labels.end() && it->second == kv.second;
        });
        if (ok) expected.push_back(w.get());
      }
      std::sort(expected.begin(), expected.end(), [](const Workload* a, const Workload* b) {
        return std::tie(a->ns(), a->name()) < std::tie(b->ns(), b->name());
      });
      CHECK(all == expected);
      CHECK(f.index.selectsAny(sel, ns, any_ns) == !expected.empty());
      std::vector<const Workload*> visited;
      bool stopped = f.index.forEach(sel, ns, any_ns, [&](const Workload* w) {
        visited.push_back(w);
        return visited.size() == 3;  // stop at the third
      });
      CHECK(stopped == (expected.size() >= 3));
      expected.resize(std::min<size_t>(expected.size(), 3));
      CHECK(visited == expected);
    }
  }
}

TEST_CASE("workloads with the same namespace and name keep the order they were added in") {
  SelectorIndex index;
  std::vector<std::unique_ptr<Workload>> owned;
  for (Kind k : {Kind::Pod, Kind::Deployment, Kind::StatefulSet}) {
    auto w = std::make_unique<Workload>();
    w->kind = k;
    w->meta.ns.value = "ns";
    w->meta.name.value = "same";
    w->pod_labels = {{"app", "x"}};
    owned.push_back(std::move(w));
  }
  for (auto it = owned.rbegin(); it != owned.rend(); ++it) index.add(it->get());
  index.finish();
  auto picked = index.select({{"app", "x"}});
  REQUIRE(picked.size() == 3);
  CHECK(picked[0]->kind == Kind::StatefulSet);
  CHECK(picked[1]->kind == Kind::Deployment);
  CHECK(picked[2]->kind == Kind::Pod);
}

TEST_CASE("queries before finish() are refused") {
  SelectorIndex index;
  Workload w;
  w.meta.ns.value = "ns";
  w.meta.name.value = "w";
  index.add(&w);
  CHECK_THROWS_AS(index.select({}), std::logic_error);
  index.finish();
  CHECK(index.select({}).size() == 1);
}
}  // namespace
}  // namespace istio_lint::model
