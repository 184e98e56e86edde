#include "serve/upstreams.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "serve/access_log.h"

namespace istio_lint::serve {
namespace {

simulate::Cluster cluster(std::string name, std::string host) {
  simulate::Cluster c;
  c.name = std::move(name);
  c.host = std::move(host);
  c.port = 80;
  return c;
}

uint16_t portOf(const std::optional<sockaddr_in>& a) { return a ? ntohs(a->sin_port) : 0; }

TEST_CASE("--upstream: by cluster name, then by host, then *") {
  UpstreamMap m;
  std::string error;
  REQUIRE(m.add("outbound|80|v1|reviews.shop.svc.cluster.local=127.0.0.1:9001", error));
  REQUIRE(m.add("Reviews.shop.svc.cluster.local=localhost:9002", error));
  const auto v1 = cluster("outbound|80|v1|reviews.shop.svc.cluster.local", "reviews.shop.svc.cluster.local");
  const auto v2 = cluster("outbound|80|v2|reviews.shop.svc.cluster.local", "reviews.shop.svc.cluster.local");
  const auto other = cluster("outbound|80||ratings.shop.svc.cluster.local", "ratings.shop.svc.cluster.local");
  CHECK(portOf(m.find(v1)) == 9001);
  CHECK(portOf(m.find(v2)) == 9002);
  CHECK_FALSE(m.find(other).has_value());
  REQUIRE(m.add("*=127.0.0.2:9003", error));
  CHECK(portOf(m.find(other)) == 9003);
}

TEST_CASE("--upstream: malformed or non-loopback specs are refused with the reason") {
  UpstreamMap m;
  std::string error;
  CHECK_FALSE(m.add("nohost", error));
  CHECK(error.find("CLUSTER=127.0.0.1:PORT") != std::string::npos);
  CHECK_FALSE(m.add("a=127.0.0.1", error));
  CHECK_FALSE(m.add("a=127.0.0.1:0", error));
  CHECK_FALSE(m.add("a=127.0.0.1:70000", error));
  CHECK_FALSE(m.add("a=10.0.0.1:80", error));
  CHECK(error.find("loopback") != std::string::npos);
  CHECK_FALSE(m.add("a=example.com:80", error));
  CHECK(m.empty());
}

TEST_CASE("the built-in upstream's body is JSON naming the cluster and the request") {
  simulate::Cluster c = cluster("outbound|80||a.b.svc.cluster.local", "a.b.svc.cluster.local");
  const std::string body = builtinResponseBody(c, "GET", "/x?\"q\"", {{"host", "h"}, {"x-ctl", "\x01\n"}});
  auto doc = nlohmann::json::parse(body);
  CHECK(doc["cluster"] == "outbound|80||a.b.svc.cluster.local");
  CHECK(doc["port"] == 80);
  CHECK(doc["request"]["path"] == "/x?\"q\"");
  CHECK(doc["request"]["headers"]["x-ctl"] == "\x01\n");
}

TEST_CASE("access log lines are Istio's default format, with the listener's port") {
  HttpMessage m;
  m.method = "GET";
  m.target = "/api";
  m.headers = {{"host", "shop.example.com"}, {"user-agent", "curl"}};
  simulate::Cluster c = cluster("outbound|80||c1.shop.svc.cluster.local", "c1.shop.svc.cluster.local");
  const std::string line = accessLogLine(m, 200, "", true, &c, "api", 8080, 120, 3500);
  CHECK(line.front() == '[');
  CHECK(line.find("] \"GET /api HTTP/1.1\" 200 - via_upstream - \"-\" 0 120 3 - \"-\" \"curl\" \"-\" "
                  "\"shop.example.com\" \"-\" outbound|80||c1.shop.svc.cluster.local - 127.0.0.1:8080 127.0.0.1:0 - api\n") !=
        std::string::npos);
  HttpMessage bad;
  const std::string none = accessLogLine(bad, 400, "DPE", false, nullptr, "", 8080, 0, 0);
  CHECK(none.find("\"- - HTTP/1.1\" 400 DPE http1.codec_error") != std::string::npos);
}

}  // namespace
}  // namespace istio_lint::serve
