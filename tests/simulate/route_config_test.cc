#include <doctest/doctest.h>

#include "simulate/route_config.h"
#include "simulate/string_matcher.h"

namespace istio_lint::simulate {
namespace {

RouteConfig config(std::vector<std::vector<std::string>> domains) {
  RouteConfig rc;
  for (size_t i = 0; i < domains.size(); ++i) {
    VirtualHost& v = rc.vhosts.emplace_back();
    v.name = "vh" + std::to_string(i);
    v.domains = domains[i];
  }
  rc.index();
  return rc;
}

TEST_CASE("virtual host lookup: exact, longest suffix, longest prefix, then *") {
  RouteConfig rc = config({{"*"}, {"*.example.com"}, {"*.shop.example.com"}, {"api.*"}, {"api.v1.*"},
                           {"exact.example.com"}});
  CHECK(rc.find("exact.example.com")->name == "vh5");
  CHECK(rc.find("EXACT.Example.com:8080")->name == "vh5");  // case and port ignored
  CHECK(rc.find("a.shop.example.com")->name == "vh2");
  CHECK(rc.find("b.example.com")->name == "vh1");
  CHECK(rc.find("api.v1.internal")->name == "vh4");
  CHECK(rc.find("api.other")->name == "vh3");
  CHECK(rc.find("unrelated.org")->name == "vh0");
  // A wildcard needs at least one character.
  CHECK(rc.find(".example.com")->name == "vh0");
}

TEST_CASE("virtual host lookup strips the port, not the colons of an IPv6 literal") {
  RouteConfig rc = config({{"[::1]"}, {"::1"}, {"[::1"}, {"*"}});
  CHECK(rc.find("[::1]:8080")->name == "vh0");
  CHECK(rc.find("[::1]")->name == "vh0");
  CHECK(rc.find("[::1")->name == "vh2");      // no ']': nothing is a port
  CHECK(rc.find("::1:80")->name == "vh1");    // unbracketed: the last ':' starts the port
  CHECK(rc.find("[::2]:80")->name == "vh3");
}

TEST_CASE("virtual host lookup: the longest of many wildcard suffixes and prefixes wins") {
  std::vector<std::vector<std::string>> domains;
  for (int i = 0; i < 50; ++i) domains.push_back({"*.ns" + std::to_string(i) + ".example.com"});
  domains.push_back({"*.example.com"});
  domains.push_back({"*-api.ns7.example.com"});
  domains.push_back({"api.*"});
  domains.push_back({"api.v2.*"});
  RouteConfig rc = config(domains);
  CHECK(rc.find("x.ns7.example.com")->name == "vh7");
  CHECK(rc.find("billing-api.ns7.example.com")->name == "vh51");
  CHECK(rc.find("x.ns70.example.com")->name == "vh50");
  CHECK(rc.find("ns7.example.com")->name == "vh50");
  CHECK(rc.find(".ns7.example.com")->name == "vh50");  // the suffix must be strictly shorter
  CHECK(rc.find("api.v2.internal")->name == "vh53");
  CHECK(rc.find("api.v3.internal")->name == "vh52");
  CHECK(rc.find("example.com") == nullptr);
}

TEST_CASE("an empty domain (a schema error upstream) is skipped, not indexed") {
  RouteConfig rc = config({{""}, {"*"}});
  CHECK(rc.find("")->name == "vh1");
  CHECK(rc.find("a.example.com")->name == "vh1");
}

TEST_CASE("virtual host lookup without a * virtual host misses") {
  RouteConfig rc = config({{"foo.bar"}});
  CHECK(rc.find("foo.bar") != nullptr);
  CHECK(rc.find("bad.bar") == nullptr);
  CHECK(rc.byDomain("foo.bar") == &rc.vhosts[0]);
}

TEST_CASE("string matchers") {
  model::StringMatch re{model::StringMatch::Type::Regex, "/v[0-9]+/.*", {}};
  StringMatcher m = StringMatcher::from(re);
  CHECK(m.matches("/v1/x"));
  CHECK_FALSE(m.matches("/api/v1/x"));  // whole value must match
  model::StringMatch bad{model::StringMatch::Type::Regex, "(", {}};
  CHECK(StringMatcher::from(bad).invalid());
  CHECK_FALSE(StringMatcher::from(bad).matches("("));
  CHECK(StringMatcher::prefix("/API", true).matches("/api/cart"));
  CHECK_FALSE(StringMatcher::prefix("/API").matches("/api/cart"));
  model::StringMatch star{model::StringMatch::Type::Regex, "*", {}};
  CHECK(StringMatcher::from(star).kind() == StringMatcher::Kind::Present);
}

TEST_CASE("string matcher: a path-separated prefix matches whole path segments") {
  StringMatcher m = StringMatcher::pathSeparatedPrefix("/api");
  CHECK(m.matches("/api"));
  CHECK(m.matches("/api/"));
  CHECK(m.matches("/api/cart"));
  CHECK_FALSE(m.matches("/apix"));
  CHECK_FALSE(m.matches("/ap"));
  CHECK_FALSE(m.matches("/API/cart"));
  CHECK(StringMatcher::pathSeparatedPrefix("/API", true).matches("/api/cart"));
  CHECK_FALSE(StringMatcher::pathSeparatedPrefix("/API", true).matches("/apix"));
  CHECK(m.describe() == "path prefix /api");
  // istiod drops a trailing '/': "/api/" is the prefix "/api".
  CHECK(StringMatcher::pathSeparatedPrefix("/api/").matches("/api"));
  CHECK_FALSE(StringMatcher::pathSeparatedPrefix("/api/").matches("/apix"));
}

}  // namespace
}  // namespace istio_lint::simulate
