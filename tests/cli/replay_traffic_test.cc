// The traffic lines of `istio-lint replay` (cli/replay_traffic.h): request lines, JSON records
// with simulate's fields, and Envoy access log entries in Istio's text and JSON formats.

#include <doctest/doctest.h>

#include <string>

#include "cli/replay_traffic.h"
#include "cli/traffic_tests.h"

namespace istio_lint::cli {
namespace {

RequestFields viaGateway() {
  RequestFields d;
  d.entry = EntryPoint{EntryPoint::Kind::Gateway, "istio-system", "public-gw"};
  return d;
}

TrafficLine request(const std::string& line, const RequestFields& defaults = {}) {
  TrafficLine t = parseTrafficLine(line, defaults);
  INFO(line, ": ", t.error.message);
  REQUIRE(t.kind == TrafficLine::Kind::Request);
  return t;
}

std::string errorOf(const std::string& line, const RequestFields& defaults = {}) {
  TrafficLine t = parseTrafficLine(line, defaults);
  REQUIRE(t.kind == TrafficLine::Kind::Error);
  return t.error.message;
}

// The default text format of Istio's access log; SNI and ROUTE_NAME are the last two fields.
const char* kLogLine =
    R"([2026-12-01T09:00:00.120Z] "GET /api/cart?x=1 HTTP/2" 200 - via_upstream - "-" 0 512 9 8 "203.0.113.7" )"
    R"("curl/8.5.0" "id-1" "shop.example.com:443" "10.8.1.12:8080" outbound|8080|v1|cart.shop.svc.cluster.local )"
    R"(10.8.0.5:51234 10.8.0.5:8443 203.0.113.7:40112 shop.example.com cart)";

TEST_CASE("replay traffic: blank lines, comments and request lines") {
  CHECK(parseTrafficLine("", {}).kind == TrafficLine::Kind::Blank);
  CHECK(parseTrafficLine("   # a comment", {}).kind == TrafficLine::Kind::Blank);
  TrafficLine t = request("GET https://shop.example.com/api via istio-system/public-gw");
  CHECK(t.format == TrafficLine::Format::RequestLine);
  CHECK(t.request.entry.text() == "istio-system/public-gw");
  CHECK(t.request.port == 443);
  CHECK(t.request.sni == "shop.example.com");
  CHECK_FALSE(t.expect);
  CHECK_FALSE(t.recorded);
  // The line's own errors keep their column; prompt commands are not requests.
  TrafficLine bad = parseTrafficLine("GET https://shop.example.com/api via nowhere", {});
  REQUIRE(bad.kind == TrafficLine::Kind::Error);
  CHECK(bad.error.column > 1);
  CHECK(errorOf("help") == "a prompt command, not a request");
}

TEST_CASE("replay traffic: JSON records with simulate's fields and expectations") {
  TrafficLine t = request(R"({"gateway": "istio-system/public-gw", "scheme": "https", "host": "shop.example.com",)"
                          R"( "port": 8443, "path": "/api", "method": "POST", "headers": {"X-Canary": "true"},)"
                          R"( "random_value": 7, "expect": {"cluster": "outbound|8080|v2|cart", "error": null}})");
  CHECK(t.format == TrafficLine::Format::Json);
  const RequestSpec& r = t.request;
  CHECK(r.entry.kind == EntryPoint::Kind::Gateway);
  CHECK(r.scheme == Scheme::Https);
  CHECK(r.sni == "shop.example.com");  // TLS: the host, as on the command line
  CHECK(r.port == 8443);
  CHECK(r.path == "/api");
  CHECK(r.method == "POST");
  REQUIRE(r.headers.size() == 1);
  CHECK(r.headers[0] == std::pair<std::string, std::string>{"x-canary", "true"});
  CHECK(r.random == 7u);
  REQUIRE(t.expect);
  CHECK(t.expect->cluster == "outbound|8080|v2|cart");
  CHECK(t.expect->error == "");  // null: expects no error
  CHECK_FALSE(t.expect->route);

  // Defaults fill what a record leaves out; `to` alone is the inbound side, beside `from` the
  // workload followed into.
  CHECK(request(R"({"host": "shop.example.com"})", viaGateway()).request.entry.text() == "istio-system/public-gw");
  TrafficLine in = request(R"({"to": "shop/reviews", "port": 9080, "mtls": true})");
  CHECK(in.request.entry.kind == EntryPoint::Kind::Inbound);
  CHECK(in.request.mtls);
  TrafficLine both = request(R"({"from": "shop/web", "to": "shop/reviews", "host": "reviews"})");
  CHECK(both.request.entry.kind == EntryPoint::Kind::Sidecar);
  REQUIRE(both.request.deliver_to);
  CHECK(both.request.deliver_to->text() == "shop/reviews");
}

TEST_CASE("replay traffic: JSON records that are not requests say why") {
  CHECK(errorOf(R"({"gateway": "istio-system/public-gw", "hots": "a"})") == "unknown field \"hots\"; did you mean \"host\"?");
  CHECK(errorOf(R"({"gateway": "istio-system/public-gw", "host": "a", "expect": {"clster": "x"}})") ==
        "unknown expectation \"clster\"; did you mean \"cluster\"?");
  CHECK(errorOf(R"({"gateway": "istio-system/gw", "host": "a", "port": 70000})") == "\"port\" must be a number from 1 to 65535");
  CHECK(errorOf(R"({"gateway": "istio-system/gw", "host": "a", "port": "80"})") == "\"port\" must be a number from 1 to 65535");
  CHECK(errorOf(R"({"gateway": "a/b", "from": "c/d", "host": "a"})") == "give one of \"gateway\" and \"from\", not both");
  CHECK(errorOf(R"({"gateway": "nowhere", "host": "a"})") ==
        "\"nowhere\": expected NS/GATEWAY, e.g. istio-system/ingressgateway");
  CHECK(errorOf(R"({"to": "shop/"})") == "\"shop/\": expected NS/WORKLOAD, e.g. shop/reviews");
  CHECK(errorOf(R"({"gateway": "a/b", "host": "a", "scheme": "ftp"})") == "\"scheme\" must be http, https, tls or tcp, not \"ftp\"");
  CHECK(errorOf(R"({"gateway": "a/b", "host": "a", "path": "api"})") == "\"path\" must start with /");
  CHECK(errorOf(R"({"gateway": "a/b", "host": "a", "headers": ["x: y"]})") == "\"headers\" must be an object of \"name\": \"value\"");
  CHECK(errorOf(R"({"host": "a"})").starts_with("no entry point"));
  CHECK(errorOf(R"({"gateway": "a/b", "scheme": "tcp", "host": "a", "path": "/x"})") ==
        "a tcp request has no path (paths are HTTP)");
  CHECK(errorOf(R"({"gateway": "a/b", "host": "a")") == "not a JSON object");
  CHECK(errorOf("[1, 2]").starts_with("not an access log entry"));
}

TEST_CASE("replay traffic: an access log entry in Istio's default text format") {
  CHECK(errorOf(kLogLine).starts_with("an access log entry does not say which proxy wrote it"));
  TrafficLine t = request(kLogLine, viaGateway());
  CHECK(t.format == TrafficLine::Format::AccessLog);
  const RequestSpec& r = t.request;
  CHECK(r.entry.text() == "istio-system/public-gw");
  CHECK(r.method == "GET");
  CHECK(r.path == "/api/cart?x=1");
  CHECK(r.host == "shop.example.com");  // the authority's port is not part of the host
  CHECK(r.port == 8443);                 // the downstream local address: the listener's port
  CHECK(r.scheme == Scheme::Https);      // a requested server name: TLS
  CHECK(r.sni == "shop.example.com");
  REQUIRE(t.recorded);
  CHECK(t.recorded->cluster == "outbound|8080|v1|cart.shop.svc.cluster.local");
  CHECK(t.recorded->route == "cart");
  CHECK(t.recorded->response_code == 200u);

  // A TCP connection ("- - -"), with and without a server name; "-" is no cluster.
  const std::string tcp = R"([2026-12-01T09:00:00.000Z] "- - -" 0 UF - - "-" 0 0 1 - "-" "-" "-" "-" "-" - - )";
  TrafficLine plain = request(tcp + "10.0.0.1:5432 10.0.0.2:1 - -", viaGateway());
  CHECK(plain.request.scheme == Scheme::Tcp);
  CHECK(plain.request.host == "10.0.0.1");  // known by the address it reached
  CHECK(plain.request.port == 5432);
  CHECK(plain.recorded->cluster.empty());
  CHECK(plain.recorded->response_code == 0u);
  TrafficLine tls = request(tcp + "10.0.0.1:443 10.0.0.2:1 api.stripe.com -", viaGateway());
  CHECK(tls.request.scheme == Scheme::Tls);
  CHECK(tls.request.sni == "api.stripe.com");

  CHECK(errorOf(R"([2026-12-01T09:00:00Z] "GET / HTTP/1.1" 200)", viaGateway()).starts_with("not an access log entry"));
  // What the request line of an entry holds is checked as a request line's would be.
  const std::string tail = R"( 404 NR - "-" 0 0 0 - "-" "-" "-" "shop.example.com" "-" - - 10.0.0.1:80 10.0.0.2:1 - -)";
  CHECK(errorOf(R"([2026-12-01T09:00:00Z] "GET pTi/cart HTTP/2")" + tail, viaGateway()) ==
        "the logged path \"pTi/cart\" does not start with /");
  CHECK(errorOf(R"([2026-12-01T09:00:00Z] "a/GE /cart HTTP/2")" + tail, viaGateway()) ==
        "method \"a/GE\" is not an HTTP method");
  TrafficLine open = parseTrafficLine(R"([2026-12-01T09:00:00Z] "GET / HTTP/1.1 200)", viaGateway());
  REQUIRE(open.kind == TrafficLine::Kind::Error);
  CHECK(open.error.message == "unterminated quoted field");
  CHECK(open.error.column == 24);
}

TEST_CASE("replay traffic: an access log entry in Istio's JSON encoding") {
  TrafficLine t = request(R"({"method": "GET", "path": "/", "authority": "shop.example.com", "response_code": 404,)"
                          R"( "upstream_cluster": null, "downstream_local_address": "10.8.0.5:8080",)"
                          R"( "requested_server_name": null, "route_name": "-", "user_agent": "curl"})",
                          viaGateway());
  CHECK(t.format == TrafficLine::Format::AccessLogJson);
  CHECK(t.request.scheme == Scheme::Http);
  CHECK(t.request.port == 8080);
  REQUIRE(t.recorded);
  CHECK(t.recorded->cluster.empty());
  CHECK(t.recorded->route.empty());
  CHECK(t.recorded->response_code == 404u);
  CHECK(errorOf(R"({"authority": 7, "downstream_local_address": "1.2.3.4:80"})", viaGateway()) ==
        "\"authority\" is not a string");
}

TEST_CASE("replay traffic: a line longer than the limit is refused, not read") {
  const std::string huge = "GET http://a.example.com/" + std::string(kMaxLineBytes, 'x') + " via a/b";
  TrafficLine t = parseTrafficLine(huge, {});
  REQUIRE(t.kind == TrafficLine::Kind::Error);
  CHECK(t.error.message.starts_with("the line is too long"));
}

TEST_CASE("replay traffic: a YAML file of tests in router_check's shape") {
  const std::string yaml = R"(# routing tests
tests:
- name: canary
  input: {gateway: istio-system/public-gw, authority: shop.example.com, port: 8443, scheme: https,
          headers: {x-canary: "true"}, random_value: 95}
  expect: {cluster_name: "outbound|8080|v2|cart", vhost: "shop.example.com:443", route_name: cart}
- test_name: router_check's spellings
  input: {host: shop.example.com}
  validate: {error: null}
- input: {host: a, hots: b}
- [not, a, mapping]
- name: both spellings
  input: {authority: a, host: b}
- name: typo
  inptu: {host: a}
)";
  const auto tests = parseTrafficTests(yaml, viaGateway());
  REQUIRE(tests.size() == 6);
  CHECK(tests[0].first == 3);  // the line of the test
  const TrafficLine& canary = tests[0].second;
  REQUIRE(canary.kind == TrafficLine::Kind::Request);
  CHECK(canary.name == "canary");
  CHECK(canary.request.host == "shop.example.com");
  CHECK(canary.request.port == 8443);
  CHECK(canary.request.random == 95u);
  REQUIRE(canary.expect);
  CHECK(canary.expect->cluster == "outbound|8080|v2|cart");
  CHECK(canary.expect->virtual_host == "shop.example.com:443");
  CHECK(canary.expect->route == "cart");
  const TrafficLine& second = tests[1].second;
  REQUIRE(second.kind == TrafficLine::Kind::Request);
  CHECK(second.name == "router_check's spellings");
  CHECK(second.request.entry.text() == "istio-system/public-gw");  // the command line's entry
  CHECK(second.expect->error == "");
  CHECK(tests[2].first == 10);
  CHECK(tests[2].second.error.message == "unknown field \"hots\"; did you mean \"host\"?");
  CHECK(tests[3].second.error.message == "a test is a mapping of name, input and expect");
  CHECK(tests[4].second.error.message == "give one of \"authority\" and \"host\"");
  CHECK(tests[5].second.error.message == "unknown test field \"inptu\"; did you mean \"input\"?");
  CHECK(tests[5].second.error.column == 3);

  auto only = [](const std::string& text) {
    const auto t = parseTrafficTests(text, {});
    REQUIRE(t.size() == 1);
    REQUIRE(t[0].second.kind == TrafficLine::Kind::Error);
    return t[0];
  };
  CHECK(only("requests: []\n").second.error.message.starts_with("a YAML traffic file holds `tests:`"));
  const auto syntax = only("tests:\n- name: [unclosed\n");
  CHECK(syntax.first >= 2);
  CHECK_FALSE(syntax.second.error.message.empty());
}

TEST_CASE("replay traffic: a proxy's log, where only the access log entries count") {
  const auto log = TrafficFormat::AccessLog;
  auto kind = [&](const std::string& line) { return parseTrafficLine(line, viaGateway(), log).kind; };
  // pilot-agent and Envoy messages, in text and JSON, are not traffic.
  CHECK(kind("2026-12-01T09:00:00.000000Z\tinfo\tEnvoy proxy is ready") == TrafficLine::Kind::Ignored);
  CHECK(kind("[2026-12-01 09:00:00.000][15][warning][config] gRPC config stream closed: 13") ==
        TrafficLine::Kind::Ignored);
  CHECK(kind(R"({"level": "info", "time": "2026-12-01T09:00:00Z", "msg": "Envoy proxy is ready"})") ==
        TrafficLine::Kind::Ignored);
  CHECK(kind("") == TrafficLine::Kind::Ignored);
  CHECK(kind(std::string("\x01binary")) == TrafficLine::Kind::Ignored);
  // Entries are read as always; one that has the shape of an entry but a bad request is an error.
  CHECK(kind(kLogLine) == TrafficLine::Kind::Request);
  CHECK(kind(R"({"authority": "shop.example.com", "method": "GET", "path": "/", "downstream_local_address": "10.0.0.1:80"})") ==
        TrafficLine::Kind::Request);
  const std::string tail = R"( 200 - - - "-" 0 0 0 - "-" "-" "-" "shop.example.com" "-" - - 10.0.0.1:80 10.0.0.2:1 - -)";
  CHECK(kind(R"([2026-12-01T09:00:00Z] "GET cart HTTP/2")" + tail) == TrafficLine::Kind::Error);
  // Under Auto, the same messages are errors: a request file should not hide a broken line.
  CHECK(parseTrafficLine("2026-12-01T09:00:00.000000Z\tinfo\tready", viaGateway()).kind == TrafficLine::Kind::Error);
}

TEST_CASE("replay traffic: JSON records and log entries carry only what a request line could") {
  auto error = [](const std::string& json) { return errorOf(json, viaGateway()); };
  CHECK(error(R"({"host": "shop example.com"})") == "host \"shop example.com\": ` ` is not allowed in the host");
  CHECK(error(R"({"host": "*.example.com"})").starts_with("host \"*.example.com\": a request goes to one host"));
  CHECK(error(R"({"host": "a", "sni": "b\u0001"})").starts_with("sni \"b"));
  CHECK(error(R"({"host": "a", "path": "/a b"})") == "path \"/a b\": a blank in the path: write it as %20");
  CHECK(error(R"({"host": "a", "method": "GE T"})") == "method \"GE T\" is not an HTTP method");
  CHECK(error(R"({"host": "a", "headers": {"x y": "1"}})") == "header name \"x y\" is not a token");
  CHECK(error(R"({"host": "a", "headers": {"x": "1\n2"}})").starts_with("header x \"1"));
  CHECK(error(R"({"from": "shop/we b", "host": "a"})").starts_with("\"shop/we b\": ` ` is not allowed in NS/WORKLOAD"));
  // What the grammar normalizes is normalized the same way: fragments, blanks around header values.
  TrafficLine t = request(R"({"host": "a", "path": "/p?q=1#top", "headers": {"X": "  v  "}})", viaGateway());
  CHECK(t.request.path == "/p?q=1");
  CHECK(t.request.headers[0].second == "v");
  const std::string tail = R"( 200 - - - "-" 0 0 0 - "-" "-" "-" "bad host" "-" - - 10.0.0.1:80 10.0.0.2:1 - -)";
  CHECK(errorOf(R"([2026-12-01T09:00:00Z] "GET / HTTP/2")" + tail, viaGateway()) ==
        "host \"bad host\": ` ` is not allowed in the host");
}

TEST_CASE("replay traffic: a sidecar's log holds the calls it received, replayed at its inbound side") {
  RequestFields from;
  from.entry = EntryPoint{EntryPoint::Kind::Sidecar, "shop", "reviews"};
  const std::string head = R"([2026-12-01T09:00:00.000Z] "GET /reviews/1 HTTP/1.1" 200 - via_upstream - "-" 0 10 3 2 "-" "curl" "id" "reviews:9080" )";
  TrafficLine in = request(head + R"("10.1.0.7:9080" inbound|9080|| 127.0.0.6:41000 10.1.0.7:9080 10.1.0.9:51000 outbound_.9080_._.reviews.shop.svc.cluster.local default)", from);
  CHECK(in.request.entry.kind == EntryPoint::Kind::Inbound);
  CHECK(in.request.entry.text() == "shop/reviews");
  CHECK(in.request.port == 9080);
  CHECK(in.request.mtls);
  CHECK(in.request.scheme == Scheme::Http);  // the SNI is Istio's mTLS one, not the application's
  CHECK(in.request.sni.empty());
  // Its outbound calls leave from the sidecar as the command line says.
  TrafficLine out = request(head + R"("10.1.0.8:9080" outbound|9080||ratings.shop.svc.cluster.local 10.1.0.7:42000 10.96.0.12:9080 10.1.0.7:41990 - default)", from);
  CHECK(out.request.entry.kind == EntryPoint::Kind::Sidecar);
  CHECK_FALSE(out.request.mtls);
}

}  // namespace
}  // namespace istio_lint::cli
