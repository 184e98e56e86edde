#include "serve/http_codec.h"

#include <doctest/doctest.h>

#include <string>

namespace istio_lint::serve {
namespace {

size_t feedAll(HttpParser& p, const std::string& bytes) { return p.feed(bytes.data(), bytes.size()); }

TEST_CASE("a request is read whole: method, target, headers lower-cased, body") {
  HttpParser p(HttpParser::Kind::Request);
  const std::string req = "POST /a?b=1 HTTP/1.1\r\nHost: Shop.Example.com\r\nX-Thing: A\r\nContent-Length: 5\r\n\r\nhello";
  CHECK(feedAll(p, req) == req.size());
  REQUIRE(p.complete());
  const HttpMessage& m = p.message();
  CHECK(m.method == "POST");
  CHECK(m.target == "/a?b=1");
  CHECK(m.header("host") == "Shop.Example.com");
  CHECK(m.header("x-thing") == "A");
  CHECK(m.header("missing").empty());
  CHECK(m.body == "hello");
  CHECK(m.keep_alive);
}

TEST_CASE("pipelined requests come one at a time; bytes split anywhere are joined") {
  HttpParser p(HttpParser::Kind::Request);
  const std::string two = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n";
  size_t used = feedAll(p, two);
  REQUIRE(p.complete());
  CHECK(p.message().target == "/1");
  CHECK(used < two.size());
  p.next();
  // The rest, a byte at a time.
  for (size_t i = used; i < two.size(); ++i) CHECK(p.feed(two.data() + i, 1) == 1);
  REQUIRE(p.complete());
  CHECK(p.message().target == "/2");
  CHECK(p.message().header("host") == "b");
  CHECK_FALSE(p.message().keep_alive);
}

TEST_CASE("the headers are known before the body arrives") {
  HttpParser p(HttpParser::Kind::Request);
  feedAll(p, "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
  CHECK(p.headersDone());
  CHECK_FALSE(p.complete());
  CHECK(p.message().header("expect") == "100-continue");
  feedAll(p, "abc");
  CHECK(p.complete());
  p.reset();
  CHECK_FALSE(p.headersDone());
}

TEST_CASE("a chunked body is de-chunked") {
  HttpParser p(HttpParser::Kind::Request);
  feedAll(p, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  REQUIRE(p.complete());
  CHECK(p.message().body == "abcde");
}

TEST_CASE("malformed and oversized requests fail with the status to answer") {
  SUBCASE("garbage") {
    HttpParser p(HttpParser::Kind::Request);
    feedAll(p, "\x16\x03\x01\x02\x00 not http\r\n\r\n");
    CHECK(p.failed());
    CHECK(p.errorStatus() == 400);
  }
  SUBCASE("headers past the limit") {
    HttpParser p(HttpParser::Kind::Request, 64);
    feedAll(p, "GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + std::string(100, 'x') + "\r\n\r\n");
    CHECK(p.failed());
    CHECK(p.errorStatus() == 431);
  }
  SUBCASE("a declared body past the limit") {
    HttpParser p(HttpParser::Kind::Request, 64 * 1024, 10);
    feedAll(p, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n");
    CHECK(p.failed());
    CHECK(p.errorStatus() == 413);
  }
  SUBCASE("a chunked body past the limit") {
    HttpParser p(HttpParser::Kind::Request, 64 * 1024, 4);
    feedAll(p, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n");
    CHECK(p.failed());
    CHECK(p.errorStatus() == 413);
  }
  SUBCASE("too many headers") {
    HttpParser p(HttpParser::Kind::Request);
    std::string req = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 300; ++i) req += "h" + std::to_string(i) + ": v\r\n";
    feedAll(p, req + "\r\n");
    CHECK(p.failed());
    CHECK(p.errorStatus() == 431);
  }
}

TEST_CASE("responses: by length, to the close, and without a body after HEAD") {
  SUBCASE("content-length") {
    HttpParser p(HttpParser::Kind::Response);
    feedAll(p, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\n\r\nno");
    REQUIRE(p.complete());
    CHECK(p.message().status == 503);
    CHECK(p.message().body == "no");
  }
  SUBCASE("until the connection closes") {
    HttpParser p(HttpParser::Kind::Response);
    feedAll(p, "HTTP/1.0 200 OK\r\n\r\npart");
    CHECK_FALSE(p.complete());
    p.finish();
    REQUIRE(p.complete());
    CHECK(p.message().body == "part");
    CHECK_FALSE(p.message().keep_alive);
  }
  SUBCASE("HEAD") {
    HttpParser p(HttpParser::Kind::Response);
    p.expectNoBody();
    feedAll(p, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
    CHECK(p.complete());
  }
  SUBCASE("cut short") {
    HttpParser p(HttpParser::Kind::Response);
    feedAll(p, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    p.finish();
    CHECK_FALSE(p.complete());
    CHECK(p.failed());
  }
}

TEST_CASE("writers: a response with its length and close; a request with its body's length") {
  std::string out;
  writeResponse(out, 404, {{"x-a", "1"}}, "", false);
  CHECK(out == "HTTP/1.1 404 Not Found\r\nx-a: 1\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
  out.clear();
  writeResponse(out, 204, {}, "", true);
  CHECK(out == "HTTP/1.1 204 No Content\r\n\r\n");
  out.clear();
  writeRequest(out, "POST", "/x", {{"host", "h"}}, "abc");
  CHECK(out == "POST /x HTTP/1.1\r\nhost: h\r\ncontent-length: 3\r\n\r\nabc");
  CHECK(reasonPhrase(599) == "Unknown");
}

TEST_CASE("hop-by-hop headers, and the ones the connection header names, are not forwarded") {
  CHECK(isHopByHop("connection", ""));
  CHECK(isHopByHop("transfer-encoding", ""));
  CHECK(isHopByHop("x-secret", "keep-alive, X-Secret"));
  CHECK_FALSE(isHopByHop("x-secret", "keep-alive"));
  CHECK_FALSE(isHopByHop("authorization", ""));
}

}  // namespace
}  // namespace istio_lint::serve
