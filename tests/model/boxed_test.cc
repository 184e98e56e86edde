// model/resources/boxed.h: an optional value on the heap with std::optional's interface.

#include <doctest/doctest.h>

#include <string>

#include "model/loader.h"
#include "model/resources/boxed.h"
#include "model/resources/networking.h"

namespace istio_lint::model {
namespace {

TEST_CASE("Boxed: empty, set, copied deeply, moved, reset") {
  Boxed<std::string> b;
  CHECK(!b);
  CHECK(!b.has_value());
  CHECK(b.get() == nullptr);
  CHECK_THROWS_AS(b.value(), std::bad_optional_access);

  b = std::string("redirect");
  REQUIRE(b);
  CHECK(*b == "redirect");
  CHECK(b->size() == 8);
  CHECK(b.value() == "redirect");

  Boxed<std::string> copy = b;  // a copy owns its own value
  *copy += "!";
  CHECK(*b == "redirect");
  CHECK(*copy == "redirect!");
  copy = b;
  CHECK(*copy == "redirect");
  CHECK(copy.get() != b.get());

  Boxed<std::string> moved = std::move(copy);
  CHECK(*moved == "redirect");

  std::optional<std::string> none;
  Boxed<std::string> from_none = none;
  CHECK(!from_none);
  Boxed<std::string> from_some = std::optional<std::string>("x");
  CHECK(*from_some == "x");
  from_some = std::nullopt;
  CHECK(!from_some);

  moved.emplace(3, 'a');
  CHECK(*moved == "aaa");
  moved.reset();
  CHECK(!moved);
}

TEST_CASE("an HTTP route keeps its rarely given parts out of line") {
  // What boxing is for: a route with no redirect, rewrite, fault, mirror or header operations
  // costs a pointer for each, not their size.
  CHECK(sizeof(HttpRoute) < 400);
  CHECK(sizeof(RouteDestination) < 200);
  CHECK(sizeof(Subset) < 200);
  HttpRoute route;
  route.redirect.emplace().uri = "/new";
  HttpRoute copy = route;
  copy.redirect->uri = "/other";
  CHECK(route.redirect->uri == "/new");
}

TEST_CASE("header operations are boxed only for the side that is given") {
  LoadResult out;
  loadBytes(R"(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: ns}
spec:
  hosts: [a]
  http:
  - headers:
      response: {set: {x-a: "1"}}
    route:
    - destination: {host: a}
      headers:
        request: {remove: [x-b]}
)",
            0, LoadOptions{}, out);
  REQUIRE(out.resources.size() == 1);
  const auto& vs = static_cast<const VirtualService&>(*out.resources[0]);
  REQUIRE(vs.http.size() == 1);
  const HttpRoute& route = vs.http[0];
  CHECK(!route.request_headers);
  REQUIRE(route.response_headers);
  CHECK(route.response_headers->set.at("x-a") == "1");
  REQUIRE(route.route.size() == 1);
  CHECK(!route.route[0].response_headers);
  REQUIRE(route.route[0].request_headers);
  CHECK(route.route[0].request_headers->remove == std::vector<std::string>{"x-b"});
}

}  // namespace
}  // namespace istio_lint::model
