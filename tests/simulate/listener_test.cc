#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "simulate/listener.h"

namespace istio_lint::simulate {
namespace {

FilterChain chain(std::string name, std::vector<std::string> server_names,
                  FilterChain::Transport transport = FilterChain::Transport::Any) {
  FilterChain c;
  c.name = std::move(name);
  c.server_names = std::move(server_names);
  c.transport = transport;
  return c;
}

const std::string& matched(const Listener& l, std::string_view sni, bool tls, bool http = false) {
  static const std::string none = "<none>";
  bool ambiguous = false;
  const FilterChain* c = l.match("0.0.0.0", sni, tls, http, ambiguous);
  return c ? c->name : none;
}

TEST_CASE("filter chain by SNI: exact, then the longest wildcard, then chains without names") {
  Listener l;
  l.chains.push_back(chain("wild-short", {"*.com"}));
  l.chains.push_back(chain("wild-long", {"*.example.com", "*.example.com"}));  // a name twice
  l.chains.push_back(chain("exact", {"api.example.com"}));
  l.chains.push_back(chain("plain", {}, FilterChain::Transport::Raw));
  l.chains.push_back(chain("star-only", {"*"}));  // "*" names no server Envoy would match
  l.index();
  CHECK(matched(l, "api.example.com", true) == "exact");
  CHECK(matched(l, "www.example.com", true) == "wild-long");
  CHECK(matched(l, "example.com", true) == "wild-short");
  CHECK(matched(l, "example.org", true) == "<none>");     // only the Raw chain is unnamed
  CHECK(matched(l, "", false) == "plain");
  CHECK(matched(l, "api.example.com", false) == "plain");  // no TLS: SNI plays no part
}

TEST_CASE("filter chain by SNI: no match falls back to the default chain") {
  Listener l;
  l.chains.push_back(chain("a", {"a.example.com"}));
  l.chains.push_back(chain("default", {}));
  l.default_chain = 1;
  l.index();
  CHECK(matched(l, "a.example.com", true) == "a");
  CHECK(matched(l, "b.example.com", true) == "default");
}

TEST_CASE("filter chain by SNI: thousands of chains on one listener") {
  Listener l;
  for (int i = 0; i < 6000; ++i) l.chains.push_back(chain("c" + std::to_string(i), {"*.svc" + std::to_string(i) + ".example.com"}));
  l.chains.push_back(chain("passthrough", {}));
  l.default_chain = 6000;
  l.index();
  CHECK(matched(l, "api.svc5999.example.com", true) == "c5999");
  CHECK(matched(l, "api.svc0.example.com", true) == "c0");
  CHECK(matched(l, "api.nowhere.example.org", true) == "passthrough");
  Listener fresh;
  fresh.chains = l.chains;
  fresh.default_chain = 6000;
  CHECK(matched(fresh, "api.svc4500.example.com", true) == "c4500");
}

// The indexed lookup must choose exactly what the full sieve chooses (a listener that was never
// indexed takes the sieve), on random listeners and requests.
TEST_CASE("filter chain lookup agrees with the full sieve") {
  std::mt19937 rng(7);
  const std::vector<std::string> names = {"a.x.com", "b.x.com", "*.x.com", "*.com", "*x.com", "*",
                                          "a.y.org", "*.y.org", "*.a.y.org", "c.x.com"};
  const std::vector<std::string> snis = {"a.x.com", "b.x.com", "z.x.com", "q.a.y.org", "a.y.org",
                                         "y.org", "x.com", "other.net", "", "bx.com"};
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  for (int round = 0; round < 300; ++round) {
    Listener indexed;
    size_t n = 1 + pick(8);
    for (size_t i = 0; i < n; ++i) {
      std::vector<std::string> sn;
      for (size_t k = pick(4); k > 0; --k) sn.push_back(names[pick(names.size())]);
      FilterChain c = chain("c" + std::to_string(i), sn, static_cast<FilterChain::Transport>(pick(3)));
      c.http_alpn = pick(4) == 0;
      c.istio_alpn = !c.http_alpn && pick(4) == 0;
      if (pick(10) == 0) c.prefix_ranges.push_back(pick(2) ? "10.0.0.0/8" : "0.0.0.0/0");
      indexed.chains.push_back(std::move(c));
    }
    if (pick(3) == 0) indexed.default_chain = static_cast<int>(pick(n));
    Listener sieve = indexed;  // copied before index(): always the full sieve
    indexed.index();
    for (const std::string& sni : snis) {
      for (int mode = 0; mode < 4; ++mode) {
        bool tls = mode & 1, http = mode & 2;
        const char* address = pick(2) ? "10.1.2.3" : "192.168.0.1";
        bool amb_a = false, amb_b = false;
        const FilterChain* a = indexed.match(address, sni, tls, http, amb_a);
        const FilterChain* b = sieve.match(address, sni, tls, http, amb_b);
        INFO("round " << round << " sni '" << sni << "' tls " << tls << " http " << http);
        long ia = a ? a - indexed.chains.data() : -1, ib = b ? b - sieve.chains.data() : -1;
        CHECK(ia == ib);
        CHECK(amb_a == amb_b);
      }
    }
  }
}

}  // namespace
}  // namespace istio_lint::simulate
