#include <doctest/doctest.h>

#include "simulate/delegate.h"
#include "simulate/trace.h"
#include "tests/simulate/simulate_test_util.h"

namespace istio_lint::testing {
namespace {

using model::HttpMatch;
using model::StringMatch;
using Type = model::StringMatch::Type;

StringMatch sm(Type t, std::string v) {
  StringMatch s;
  s.type = t;
  s.value = std::move(v);
  return s;
}

HttpMatch uri(Type t, std::string v, std::string name = "") {
  HttpMatch m;
  m.uri = sm(t, std::move(v));
  m.name.value = std::move(name);
  return m;
}

TEST_CASE("delegate merge: a delegate match must narrow the root's uri") {
  CHECK_FALSE(simulate::delegateMatchConflicts(uri(Type::Prefix, "/api"), uri(Type::Prefix, "/api/v1")));
  CHECK_FALSE(simulate::delegateMatchConflicts(uri(Type::Prefix, "/api"), uri(Type::Exact, "/api/v1/x")));
  CHECK(simulate::delegateMatchConflicts(uri(Type::Prefix, "/api/v1"), uri(Type::Prefix, "/api")));
  CHECK(simulate::delegateMatchConflicts(uri(Type::Prefix, "/api"), uri(Type::Prefix, "/other")));
  CHECK_FALSE(simulate::delegateMatchConflicts(uri(Type::Exact, "/a"), uri(Type::Exact, "/a")));
  CHECK(simulate::delegateMatchConflicts(uri(Type::Exact, "/a"), uri(Type::Exact, "/b")));
  CHECK(simulate::delegateMatchConflicts(uri(Type::Exact, "/a"), uri(Type::Prefix, "/a")));
  // A regex on either side allows only an unset condition on the other.
  CHECK(simulate::delegateMatchConflicts(uri(Type::Regex, "/a.*"), uri(Type::Prefix, "/a")));
  CHECK(simulate::delegateMatchConflicts(uri(Type::Prefix, "/a"), uri(Type::Regex, "/a.*")));
  CHECK_FALSE(simulate::delegateMatchConflicts(uri(Type::Regex, "/a.*"), HttpMatch{}));
  CHECK_FALSE(simulate::delegateMatchConflicts(HttpMatch{}, uri(Type::Regex, "/a.*")));
}

TEST_CASE("delegate merge: headers, case, port, source and gateways") {
  HttpMatch root, leaf;
  root.headers["x-team"] = sm(Type::Exact, "a");
  leaf.headers["x-team"] = sm(Type::Exact, "b");
  CHECK(simulate::delegateMatchConflicts(root, leaf));
  leaf.headers.clear();
  leaf.headers["x-user"] = sm(Type::Prefix, "u");
  CHECK_FALSE(simulate::delegateMatchConflicts(root, leaf));

  HttpMatch ci = leaf;
  ci.ignore_uri_case = true;
  CHECK(simulate::delegateMatchConflicts(root, ci));

  HttpMatch p1, p2;
  p1.port = 80;
  p2.port = 8080;
  CHECK(simulate::delegateMatchConflicts(p1, p2));
  CHECK_FALSE(simulate::delegateMatchConflicts(p1, HttpMatch{}));

  HttpMatch ns_root, ns_leaf;
  ns_root.source_namespace.value = "shop";
  CHECK(simulate::delegateMatchConflicts(ns_root, ns_leaf));  // the leaf must repeat it
  ns_leaf.source_namespace.value = "shop";
  CHECK_FALSE(simulate::delegateMatchConflicts(ns_root, ns_leaf));

  HttpMatch gw_root, gw_leaf;
  gw_root.gateways = {{"istio-system/a", {}}, {"istio-system/b", {}}};
  gw_leaf.gateways = {{"istio-system/b", {}}};
  CHECK_FALSE(simulate::delegateMatchConflicts(gw_root, gw_leaf));
  gw_leaf.gateways.push_back({"istio-system/c", {}});
  CHECK(simulate::delegateMatchConflicts(gw_root, gw_leaf));
}

TEST_CASE("delegate merge: root conditions fill the delegate's, names join, conflicts drop") {
  HttpMatch root = uri(Type::Prefix, "/api", "root");
  root.headers["x-team"] = sm(Type::Exact, "a");
  root.port = 80;
  HttpMatch other_root = uri(Type::Prefix, "/admin", "admin");

  auto merged = simulate::mergeDelegateMatches({root, other_root}, {uri(Type::Prefix, "/api/v1", "v1")});
  REQUIRE(merged.has_value());
  REQUIRE(merged->size() == 1);  // conflicts with /admin, merges with /api
  const HttpMatch& m = merged->front();
  CHECK(m.name.value == "root-v1");
  CHECK(m.uri.value == "/api/v1");
  REQUIRE(m.headers.count("x-team") == 1);
  CHECK(m.headers.at("x-team").value == "a");
  REQUIRE(m.port.has_value());
  CHECK(*m.port == 80);

  // One delegate match without a compatible root match drops the whole delegate route.
  CHECK_FALSE(simulate::mergeDelegateMatches({root}, {uri(Type::Prefix, "/api/v1"), uri(Type::Prefix, "/x")}));
  // Either side empty: the other side's list as it is.
  auto root_only = simulate::mergeDelegateMatches({root}, {});
  REQUIRE(root_only.has_value());
  CHECK(root_only->front().uri.value == "/api");
  auto leaf_only = simulate::mergeDelegateMatches({}, {uri(Type::Exact, "/x")});
  REQUIRE(leaf_only.has_value());
  CHECK(leaf_only->front().uri.value == "/x");
}

const std::string kDelegation = std::string(kShopWeb) + R"(
apiVersion: v1
kind: Service
metadata: {name: catalog, namespace: team-a}
spec:
  selector: {app: catalog}
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: front, namespace: shop}
spec:
  selector: {app: front}
  ports: [{name: http, port: 80}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: root, namespace: shop}
spec:
  hosts: [front.shop.svc.cluster.local]
  http:
  - name: catalog
    match: [{uri: {prefix: /catalog}}]
    delegate: {name: catalog-routes, namespace: team-a}
    rewrite: {uri: /}
  - name: hidden
    match: [{uri: {prefix: /hidden}}]
    delegate: {name: private-routes, namespace: team-a}
  - name: rest
    route: [{destination: {host: front}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: catalog-routes, namespace: team-a}
spec:
  http:
  - name: v1
    match: [{uri: {prefix: /catalog/v1}}]
    route: [{destination: {host: catalog}}]
  - name: elsewhere
    match: [{uri: {prefix: /somewhere-else}}]
    route: [{destination: {host: catalog}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: private-routes, namespace: team-a}
spec:
  exportTo: ["."]
  http:
  - route: [{destination: {host: catalog}}]
)";

TEST_CASE("sidecar: a root VirtualService's delegate routes, merged as istiod merges them") {
  Mesh m = compile(kDelegation);
  const simulate::Proxy* web = m.model->sidecarProxy("shop", "web");
  REQUIRE(web != nullptr);

  // /catalog/v1: the delegate's route, its short host resolved in the delegate's namespace, and
  // the root's rewrite inherited.
  simulate::Decision d = simulate::decide(*web, http("front.shop.svc.cluster.local", 80, "/catalog/v1/items"));
  REQUIRE(d.route != nullptr);
  CHECK(d.route->name == "catalog-v1");
  CHECK(d.route->vs->name() == "catalog-routes");
  REQUIRE(d.route->delegated_from != nullptr);
  CHECK(d.route->delegated_from->name() == "root");
  REQUIRE(d.route->rewrite != nullptr);
  CHECK(d.route->rewrite->uri == "/");
  REQUIRE(d.cluster != nullptr);
  CHECK(d.cluster->name == "outbound|80||catalog.team-a.svc.cluster.local");

  // /catalog/v2: no delegate route matches (the one outside /catalog was dropped as a conflict),
  // so the root's next route takes it.
  d = simulate::decide(*web, http("front.shop.svc.cluster.local", 80, "/catalog/v2"));
  REQUIRE(d.route != nullptr);
  CHECK(d.route->name == "rest");
  d = simulate::decide(*web, http("front.shop.svc.cluster.local", 80, "/somewhere-else"));
  REQUIRE(d.route != nullptr);
  CHECK(d.route->name == "rest");

  // A delegate not exported to the root's namespace drops the root route.
  d = simulate::decide(*web, http("front.shop.svc.cluster.local", 80, "/hidden"));
  REQUIRE(d.route != nullptr);
  CHECK(d.route->name == "rest");

  simulate::Trace t = simulate::traceRequest(*m.model, *web, http("front.shop.svc.cluster.local", 80, "/catalog/v1"));
  REQUIRE_FALSE(t.hops.empty());
  bool described = false;
  for (const auto& step : t.hops.front().steps) {
    if (step.what == "route") {
      described = step.detail.find("VirtualService team-a/catalog-routes http[0]") != std::string::npos &&
                  step.detail.find("delegated from VirtualService shop/root http[0]") != std::string::npos;
    }
  }
  CHECK(described);
}

}  // namespace
}  // namespace istio_lint::testing
