#include "model/host.h"

#include <doctest/doctest.h>

namespace istio_lint::model::host {
namespace {

TEST_CASE("isWildcard") {
  CHECK(isWildcard("*"));
  CHECK(isWildcard("*.foo.com"));
  CHECK_FALSE(isWildcard("foo.com"));
  CHECK_FALSE(isWildcard("foo.*"));  // only a leading * is a wildcard
  CHECK_FALSE(isWildcard(""));
}

TEST_CASE("matches: istio's symmetric host.Name.Matches") {
  // * matches everything.
  CHECK(matches("*", "foo.com"));
  CHECK(matches("foo.com", "*"));
  CHECK(matches("*", "*"));
  CHECK(matches("*", "*.foo.com"));
  // A wildcard matches names under its suffix, not the bare domain.
  CHECK(matches("*.foo.com", "bar.foo.com"));
  CHECK(matches("bar.foo.com", "*.foo.com"));
  CHECK(matches("*.foo.com", "a.b.foo.com"));
  CHECK_FALSE(matches("*.foo.com", "foo.com"));
  CHECK_FALSE(matches("foo.com", "*.foo.com"));
  CHECK_FALSE(matches("*.foo.com", "bar.com"));
  CHECK_FALSE(matches("*.foo.com", "barfoo.com"));
  // The suffix test is plain: "*foo.com" covers "barfoo.com" and "foo.com".
  CHECK(matches("*foo.com", "barfoo.com"));
  CHECK(matches("*foo.com", "foo.com"));
  // Two wildcards: the shorter suffix must end the longer one.
  CHECK(matches("*.com", "*.foo.com"));
  CHECK(matches("*.foo.com", "*.com"));
  CHECK(matches("*.foo.com", "*.foo.com"));
  CHECK_FALSE(matches("*.foo.com", "*.bar.com"));
  CHECK_FALSE(matches("*.foo.com", "*.o.com.x"));
  // Two concrete names: equal only, case-sensitive.
  CHECK(matches("reviews.default.svc.cluster.local", "reviews.default.svc.cluster.local"));
  CHECK_FALSE(matches("Foo.com", "foo.com"));
  CHECK_FALSE(matches("reviews", "reviews.default.svc.cluster.local"));
}

TEST_CASE("subsetOf: the one-directional version") {
  CHECK(subsetOf("bar.foo.com", "*.foo.com"));
  CHECK_FALSE(subsetOf("*.foo.com", "bar.foo.com"));
  CHECK(subsetOf("*.foo.com", "*.com"));
  CHECK_FALSE(subsetOf("*.com", "*.foo.com"));
  CHECK(subsetOf("*.foo.com", "*.foo.com"));
  CHECK(subsetOf("*.foo.com", "*"));
  CHECK(subsetOf("foo.com", "*"));
  CHECK(subsetOf("*", "*"));
  CHECK_FALSE(subsetOf("*", "*.com"));
  CHECK_FALSE(subsetOf("foo.com", "*.foo.com"));
  CHECK(subsetOf("foo.com", "foo.com"));
  CHECK_FALSE(subsetOf("foo.com", "bar.com"));
  CHECK_FALSE(subsetOf("*foo.com", "*.foo.com"));
  CHECK_FALSE(subsetOf("Foo.com", "foo.com"));
  // Where matches() is symmetric, subsetOf() is not.
  CHECK(matches("*.com", "*.foo.com"));
  CHECK_FALSE(subsetOf("*.com", "*.foo.com"));
}

TEST_CASE("toFqdn: only dotless, non-wildcard names are expanded") {
  CHECK(toFqdn("reviews", "default") == "reviews.default.svc.cluster.local");
  CHECK(toFqdn("reviews", "shop", "example.org") == "reviews.shop.svc.example.org");
  // Anything with a dot is taken as already qualified, even a short "name.ns".
  CHECK(toFqdn("reviews.default", "default") == "reviews.default");
  CHECK(toFqdn("reviews.default.svc.cluster.local", "other") == "reviews.default.svc.cluster.local");
  CHECK(toFqdn("api.example.com", "default") == "api.example.com");
  CHECK(toFqdn("*", "default") == "*");
  CHECK(toFqdn("*.example.com", "default") == "*.example.com");
  CHECK(toFqdn("*reviews", "default") == "*reviews");
}

}  // namespace
}  // namespace istio_lint::model::host
