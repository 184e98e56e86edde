// The request-line grammar of `simulate -i` (cli/request_line.h): good lines, every error path,
// and odd input (empty, very long, NUL bytes, invalid UTF-8).

#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "cli/request_line.h"

namespace istio_lint::cli {
namespace {

using Kind = ParsedLine::Kind;

RequestFields fromPayments() {
  RequestFields d;
  d.entry = EntryPoint{EntryPoint::Kind::Sidecar, "payments", "payments"};
  return d;
}

RequestSpec request(std::string_view line, const RequestFields& defaults = fromPayments()) {
  ParsedLine p = parseRequestLine(line, defaults);
  INFO("line: ", line, " error: col ", p.error.column, " ", p.error.message);
  REQUIRE(p.kind == Kind::Request);
  return p.request;
}

LineError error(std::string_view line, const RequestFields& defaults = fromPayments()) {
  ParsedLine p = parseRequestLine(line, defaults);
  INFO("line: ", line);
  REQUIRE(p.kind == Kind::Error);
  CHECK(!p.error.message.empty());
  CHECK(p.error.column >= 1);
  return p.error;
}

/// The error's column and that its message contains `part`.
void checkError(std::string_view line, size_t column, std::string_view part,
                const RequestFields& defaults = fromPayments()) {
  LineError e = error(line, defaults);
  INFO("line: ", line, " message: ", e.message);
  CHECK(e.column == column);
  CHECK(e.message.find(part) != std::string::npos);
}

TEST_CASE("request line: a URL with method, via a gateway") {
  RequestSpec r = request("GET https://shop.example.com/api/cart?x=1 via istio-system/ingressgateway");
  CHECK(r.entry.kind == EntryPoint::Kind::Gateway);
  CHECK(r.entry.ns == "istio-system");
  CHECK(r.entry.name == "ingressgateway");
  CHECK(r.entry_column == 47);
  CHECK(r.scheme == Scheme::Https);
  CHECK(r.host == "shop.example.com");
  CHECK(r.sni == "shop.example.com");
  CHECK(r.port == 443);
  CHECK(r.path == "/api/cart?x=1");
  CHECK(r.method == "GET");
  CHECK(r.headers.empty());
  CHECK(!r.random);
}

TEST_CASE("request line: scheme word, host:port, from a workload") {
  RequestSpec r = request("tls api.stripe.com:443 from payments/payments", {});
  CHECK(r.entry.kind == EntryPoint::Kind::Sidecar);
  CHECK(r.entry.text() == "payments/payments");
  CHECK(r.scheme == Scheme::Tls);
  CHECK(r.host == "api.stripe.com");
  CHECK(r.sni == "api.stripe.com");
  CHECK(r.port == 443);
  CHECK(!r.isHttp());

  RequestSpec t = request("tcp db.example.com:5432");
  CHECK(t.scheme == Scheme::Tcp);
  CHECK(t.port == 5432);
  CHECK(t.sni.empty());
}

TEST_CASE("request line: to a workload's inbound side, with and without mtls") {
  // No host is needed: the request arrives at the workload's own port.
  RequestSpec r = request("GET /reviews port 9080 to shop/reviews mtls", {});
  CHECK(r.entry.kind == EntryPoint::Kind::Inbound);
  CHECK(r.entry.text() == "shop/reviews");
  CHECK(r.entry_column == 27);
  CHECK(r.mtls);
  CHECK(r.host.empty());
  CHECK(r.port == 9080);
  CHECK(r.path == "/reviews");

  RequestSpec t = request("tcp port 5432 --to=shop/reviews", {});
  CHECK(t.entry.kind == EntryPoint::Kind::Inbound);
  CHECK(t.scheme == Scheme::Tcp);
  CHECK(!t.mtls);
  // mtls through a gateway, in the flag form.
  RequestSpec g = request("https shop.example.com via istio-system/ingressgateway --mtls", {});
  CHECK(g.entry.kind == EntryPoint::Kind::Gateway);
  CHECK(g.mtls);

  // The command line's --to and --mtls are the defaults; a line's own entry point replaces them.
  RequestFields in;
  in.entry = EntryPoint{EntryPoint::Kind::Inbound, "shop", "reviews"};
  in.mtls = true;
  RequestSpec d = request("GET /x port 8080", in);
  CHECK(d.entry.kind == EntryPoint::Kind::Inbound);
  CHECK(d.mtls);
  RequestSpec v = request("GET https://shop.example.com/ via istio-system/ingressgateway", in);
  CHECK(v.entry.kind == EntryPoint::Kind::Gateway);
  CHECK(v.mtls);

  checkError("GET /x from shop/web mtls", 22, "mtls describes the connection arriving at a proxy", {});
  checkError("GET https://a.example.com/ from shop/web", 28, "use it with `to` or `via`", in);
  checkError("GET /x to shop/reviews --mtls=yes", 31, "`--mtls` takes no value", {});
  checkError("GET /x to shop/reviews mtls mtls", 29, "mtls is given twice (first at column 24)", {});
  checkError("GET /x from shop/web via istio-system/gw", 22, "the entry point (from, via or to) is given twice", {});
  checkError("GET /x to shop/reviews to shop/db", 24, "the entry point (from, via or to) is given twice", {});
  checkError("GET /x to reviews", 11, "expected NS/WORKLOAD, e.g. shop/reviews", {});
  checkError("GET /x port 80", 15, "`to NS/WORKLOAD`", {});
}

TEST_CASE("request line: `to` beside `from` or `via` names where the request is followed to") {
  for (std::string_view line : {"GET reviews:9080/x from shop/web to shop/reviews",
                                "GET reviews:9080/x to shop/reviews from shop/web"}) {
    RequestSpec r = request(line, {});
    CHECK(r.entry.kind == EntryPoint::Kind::Sidecar);
    CHECK(r.entry.text() == "shop/web");
    REQUIRE(r.deliver_to);
    CHECK(r.deliver_to->kind == EntryPoint::Kind::Inbound);
    CHECK(r.deliver_to->text() == "shop/reviews");
    CHECK(r.host == "reviews");
    CHECK(r.port == 9080);
  }
  RequestSpec r = request("GET reviews:9080/x from shop/web to shop/reviews", {});
  CHECK(r.entry_column == 25);
  CHECK(r.deliver_column == 37);
  r = request("GET reviews:9080/x to shop/reviews from shop/web", {});
  CHECK(r.entry_column == 41);
  CHECK(r.deliver_column == 23);

  r = request("GET shop.example.com/ via istio-system/gw to shop/web mtls", {});
  CHECK(r.entry.kind == EntryPoint::Kind::Gateway);
  REQUIRE(r.deliver_to);
  CHECK(r.deliver_to->text() == "shop/web");
  CHECK(r.mtls);

  // `to` alone still enters at the inbound side; the session's --from does not pair with it.
  RequestFields from_web;
  from_web.entry = EntryPoint{EntryPoint::Kind::Sidecar, "shop", "web"};
  r = request("GET /x port 8080 to shop/reviews", from_web);
  CHECK(r.entry.kind == EntryPoint::Kind::Inbound);
  CHECK(!r.deliver_to);

  checkError("GET reviews/ from shop/web to shop/reviews to shop/db", 44,
             "the destination (to) beside the entry point is given twice (first at column 28)", {});
  checkError("GET reviews/ from shop/web to shop/reviews mtls", 44, "mtls describes the connection arriving at a proxy",
             {});
}

TEST_CASE("request line: http scheme word with a path, headers in both forms, random") {
  RequestSpec r = request(
      "http shop.example.com/x -H 'X-Canary: true' header user=jason --header=\"a: b c \" random 42 method POST");
  CHECK(r.scheme == Scheme::Http);
  CHECK(r.port == 80);
  CHECK(r.sni.empty());
  CHECK(r.path == "/x");
  CHECK(r.method == "POST");
  REQUIRE(r.headers.size() == 3);
  CHECK(r.headers[0] == std::pair<std::string, std::string>{"x-canary", "true"});
  CHECK(r.headers[1] == std::pair<std::string, std::string>{"user", "jason"});
  CHECK(r.headers[2] == std::pair<std::string, std::string>{"a", "b c"});
  REQUIRE(r.random);
  CHECK(*r.random == 42);
}

TEST_CASE("request line: flag forms of every clause") {
  RequestSpec r = request(
      "--gateway=istio-system/gw --host h.example.com --sni s.example.com --port 8443 --scheme https --path /p "
      "--method PUT --random-value=7 -H 'k: v'",
      {});
  CHECK(r.entry.kind == EntryPoint::Kind::Gateway);
  CHECK(r.host == "h.example.com");
  CHECK(r.sni == "s.example.com");
  CHECK(r.port == 8443);
  CHECK(r.scheme == Scheme::Https);
  CHECK(r.path == "/p");
  CHECK(r.method == "PUT");
  CHECK(*r.random == 7);
  CHECK(r.headers.size() == 1);

  RequestSpec k = request("host h.example.com sni s.example.com port 9443 scheme tls from a/b");
  CHECK(k.entry.text() == "a/b");
  CHECK(k.sni == "s.example.com");
  CHECK(k.port == 9443);
}

TEST_CASE("request line: the defaults fill in what the line leaves out") {
  RequestFields d;
  d.entry = EntryPoint{EntryPoint::Kind::Gateway, "istio-system", "gw"};
  d.host = "shop.example.com";
  d.port = 8080;
  d.path = "/default";
  d.method = "HEAD";
  d.headers = {{"x-env", "prod"}, {"x-canary", "false"}};
  d.random = 3;
  RequestSpec r = request("/api -H 'x-canary: true'", d);
  CHECK(r.entry.text() == "istio-system/gw");
  CHECK(r.entry_column == 0);
  CHECK(r.host == "shop.example.com");
  CHECK(r.port == 8080);
  CHECK(r.path == "/api");
  CHECK(r.method == "HEAD");
  CHECK(r.headers == std::vector<std::pair<std::string, std::string>>{{"x-env", "prod"}, {"x-canary", "true"}});
  CHECK(*r.random == 3);

  // A scheme on the line brings its own port; an explicit port wins over everything.
  CHECK(request("https://other.example.com/", d).port == 443);
  CHECK(request("http other.example.com", d).port == 80);
  CHECK(request("other.example.com", d).port == 8080);
  CHECK(request("other.example.com:9000", d).port == 9000);
  // A line's own entry point wins.
  CHECK(request("x.example.com from shop/web", d).entry.text() == "shop/web");

  // Default SNI: the line's host wins over the command line's SNI.
  RequestFields t;
  t.entry = d.entry;
  t.scheme = Scheme::Tls;
  t.sni = "api.stripe.com";
  CHECK(request("port 443", t).sni == "api.stripe.com");
  CHECK(request("other.example.com", t).sni == "other.example.com");
  CHECK(request("other.example.com", t).scheme == Scheme::Tls);
  // The command line's SNI does not go out with a plaintext line.
  CHECK(request("http other.example.com", t).sni.empty());
}

TEST_CASE("request line: URL details") {
  CHECK(request("shop.example.com").path == "/");
  CHECK(request("shop.example.com?q=1").path == "/?q=1");
  CHECK(request("shop.example.com/a#frag").path == "/a");
  CHECK(request("shop.example.com#frag").path == "/");
  CHECK(request("HTTPS://Shop.Example.com/").scheme == Scheme::Https);
  CHECK(request("HTTPS://Shop.Example.com/").host == "Shop.Example.com");
  CHECK(request("shop.example.com/r?to=http://x/").path == "/r?to=http://x/");
  CHECK(request("reviews:9080").host == "reviews");
  CHECK(request("PURGE http://cache.example.com/").method == "PURGE");
  CHECK(request("  GET\thttp://a.example.com/  ").host == "a.example.com");
  CHECK(request("'from'").host == "from");  // a quoted word is never a keyword
  CHECK(request("GET http://a.example.com/\r").path == "/");  // a CR LF script
  CHECK(request("GET shop.example.com/caf\xC3\xA9").path == "/caf\xC3\xA9");
  CHECK(request("a.example.com path '/x?y=1'").path == "/x?y=1");
  CHECK(request("a.example.com header \"x: say \\\"hi\\\"\"").headers.at(0).second == "say \"hi\"");
  CHECK(request("a.example.com -H k\\:\\ v").headers.at(0).second == "v");
  CHECK(request("--header='x: y' a.example.com").headers.at(0).first == "x");
}

TEST_CASE("request line: commands, blanks and comments") {
  CHECK(parseRequestLine("", {}).kind == Kind::Blank);
  CHECK(parseRequestLine("   \t ", {}).kind == Kind::Blank);
  CHECK(parseRequestLine("# a comment: GET nowhere", {}).kind == Kind::Blank);
  CHECK(parseRequestLine("  # indented comment", {}).kind == Kind::Blank);
  CHECK(parseRequestLine("\r", {}).kind == Kind::Blank);
  CHECK(parseRequestLine("help", {}).kind == Kind::Help);
  CHECK(parseRequestLine("?", {}).kind == Kind::Help);
  CHECK(parseRequestLine(" history ", {}).kind == Kind::History);
  CHECK(parseRequestLine("quit", {}).kind == Kind::Quit);
  CHECK(parseRequestLine("exit", {}).kind == Kind::Quit);
  checkError("quit now", 6, "`quit` takes no arguments");
  checkError("help me", 6, "`help` takes no arguments");
  // Quoted, a command word is a host.
  CHECK(request("'help'").host == "help");
}

TEST_CASE("request line: errors in the target") {
  checkError("GET https://", 13, "missing the host");
  checkError("GET ftp://x.example.com/", 5, "unknown scheme `ftp`");
  checkError("://x.example.com", 1, "missing scheme");
  checkError("GET https://shop.example.com:99999/", 30, "out of range (1-65535)");
  checkError("GET https://shop.example.com:0/", 30, "out of range");
  checkError("shop.example.com:", 18, "missing port number");
  checkError("shop.example.com:8x", 19, "a port is a number");
  checkError("a.example.com:80:90", 17, "unexpected `:` after the port");
  checkError("*.example.com", 1, "not a wildcard");
  checkError("[::1]:80", 1, "IPv6");
  checkError("user@a.example.com", 5, "user information");
  checkError("caf\xC3\xA9.example.com", 4, "punycode");
  checkError("a!b.example.com", 2, "`!` is not allowed in the host");
  checkError("'a.example.com/x y'", 17, "a blank in the path");
  checkError(std::string(300, 'a'), 254, "longer than 253");
  checkError("https://a.example.com https://b.example.com", 23, "unexpected `https://b.example.com`");
  checkError("https://a.example.com GET", 23, "the method goes before the target");
  checkError("https", 6, "no host");  // a scheme word alone
}

TEST_CASE("request line: errors in clauses") {
  checkError("a.example.com form x/y", 15, "did you mean `from`?");
  checkError("a.example.com --gatway x/y", 15, "did you mean `--gateway`?");
  checkError("a.example.com zzzzzz", 15, "clauses are from, via");
  checkError("a.example.com from", 19, "`from` needs a value: NS/WORKLOAD");
  checkError("a.example.com --from=", 22, "expected NS/WORKLOAD");
  checkError("a.example.com via gw", 19, "expected NS/GATEWAY");
  checkError("a.example.com via /gw", 19, "expected NS/GATEWAY");
  checkError("a.example.com via ns/", 21, "expected NS/GATEWAY");
  checkError("a.example.com via ns/g!w", 23, "`!` is not allowed in NS/GATEWAY");
  checkError("a.example.com from a/b via c/d", 24, "the entry point (from, via or to) is given twice (first at column 15)");
  checkError("a.example.com host b.example.com", 15, "the host is given twice (first at column 1)");
  checkError("a.example.com:80 port 81", 18, "the port is given twice (first at column 15)");
  checkError("https://a.example.com tls", 23, "unexpected `tls`");
  checkError("tls https://a.example.com", 5, "the scheme is given twice (first at column 1)");
  checkError("a.example.com scheme ftp", 22, "unknown scheme `ftp`");
  checkError("a.example.com port http", 20, "a port is a number");
  checkError("a.example.com path x", 20, "a path starts with /");
  checkError("a.example.com/x path /y", 17, "the path is given twice (first at column 14)");
  checkError("GET a.example.com method POST", 19, "the method is given twice");
  checkError("a.example.com method 'P T'", 24, "` ` is not allowed in a method name");
  checkError("a.example.com method ''", 22, "missing method name");
  checkError("a.example.com -H novalue", 18, "expected a header as 'name: value' or name=value");
  checkError("a.example.com -H ': x'", 19, "missing header name");
  checkError("a.example.com -H 'a b: x'", 20, "` ` is not allowed in a header name");
  checkError("a.example.com header k\\ x=v", 24, "` ` is not allowed in a header name");
  checkError("a.example.com random -1", 22, "a random value is a non-negative number");
  checkError("a.example.com random 18446744073709551616", 22, "out of range");
  checkError("a.example.com random ''", 22, "missing random value");
  checkError("a.example.com random 1 random 2", 24, "the random value is given twice");
  checkError("a.example.com sni s.example.com", 15, "an SNI needs TLS");
  checkError("a.example.com sni '*.x.com' scheme tls", 20, "not a wildcard");
  CHECK(request("a.example.com random 18446744073709551615").random == UINT64_MAX);
  std::string many = "a.example.com";
  for (int i = 0; i <= 64; ++i) many += " -H h" + std::to_string(i) + "=v";
  checkError(many, many.size() - 7, "too many headers (at most 64");
}

TEST_CASE("request line: errors that need the line and the defaults together") {
  checkError("GET https://a.example.com/", 27, "no entry point", {});
  checkError("from a/b", 9, "no host", {});
  checkError("tls a.example.com/x", 18, "a tls request has no path");
  checkError("tcp a.example.com path /x", 19, "a tcp request has no path");
  checkError("POST tls://a.example.com", 1, "a tls request has no method");
  checkError("tcp a.example.com -H k=v", 19, "a tcp request has no headers");
}

TEST_CASE("request line: quoting errors") {
  checkError("a.example.com -H 'k: v", 18, "unterminated ' quote");
  checkError("a.example.com -H \"k: v", 18, "unterminated \" quote");
  checkError("a.example.com \\", 15, "a backslash at the end of the line");
}

TEST_CASE("request line: odd bytes") {
  checkError(std::string("GET a.example.com\0/x", 20), 18, "a NUL byte");
  checkError(std::string("\0", 1), 1, "a NUL byte");
  checkError("GET a.example.com\x1b[2J", 18, "a control character (0x1B)");
  checkError("GET a.example.com\x7f", 18, "a control character (0x7F)");
  checkError("GET a.example.com \xC2\x85", 19, "a control character (U+0085)");
  checkError("GET a.example.com\r\n", 18, "a control character (0x0D)");
  checkError("GET \xFF", 5, "invalid UTF-8 (byte 0xFF)");
  checkError("GET a.example.com/\xC3", 19, "invalid UTF-8 (byte 0xC3)");        // truncated
  checkError("GET \xC0\xAF", 5, "invalid UTF-8 (byte 0xC0)");                  // overlong /
  checkError("GET \xED\xA0\x80", 5, "invalid UTF-8 (byte 0xED)");              // a surrogate
  checkError("GET \xF4\x90\x80\x80", 5, "invalid UTF-8 (byte 0xF4)");          // past U+10FFFF
  checkError("GET \x80", 5, "invalid UTF-8 (byte 0x80)");                      // a stray continuation
  // Columns count characters: the error after a two-byte and a three-byte character.
  checkError("GET a.example.com/\xC3\xA9\xE2\x82\xAC path /x", 22, "the path is given twice");
  checkError("'\xC3\xA9' \xFF", 5, "invalid UTF-8");
}

TEST_CASE("request line: length limit and bounded work") {
  std::string at_limit = "a.example.com/" + std::string(kMaxLineBytes - 14, 'x');
  CHECK(at_limit.size() == kMaxLineBytes);
  CHECK(request(at_limit).path.size() == kMaxLineBytes - 13);
  std::string over = at_limit + "x";
  checkError(over, kMaxLineBytes + 1, "the line is too long: 8193 bytes (at most 8192)");
  // A huge line is rejected at once, without looking at its bytes.
  std::string huge(64u << 20, '\xFF');
  auto start = std::chrono::steady_clock::now();
  checkError(huge, kMaxLineBytes + 1, "too long");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  // The worst cases within the limit: all quotes, all words, all headers.
  std::string words;
  while (words.size() + 2 < kMaxLineBytes) words += "a ";
  checkError(words, 3, "unexpected `a`");
  std::string quotes(kMaxLineBytes, '\'');
  CHECK(parseRequestLine(quotes, fromPayments()).kind == Kind::Error);
  std::string escapes = "a.example.com path /";
  while (escapes.size() + 2 <= kMaxLineBytes) escapes += "\\x";
  CHECK(request(escapes).path.size() == 1 + (kMaxLineBytes - 20) / 2);
}

TEST_CASE("splitHeader and columnAt") {
  std::pair<std::string, std::string> h;
  CHECK(!splitHeader("Content-Type:  text/plain ", h));
  CHECK(h == std::pair<std::string, std::string>{"content-type", "text/plain"});
  CHECK(!splitHeader("k=", h));
  CHECK(h == std::pair<std::string, std::string>{"k", ""});
  CHECK(!splitHeader("k=a=b", h));
  CHECK(h.second == "a=b");
  REQUIRE(splitHeader("é: x", h));
  CHECK(splitHeader("é: x", h)->column == 1);
  CHECK(columnAt("", 5) == 1);
  CHECK(columnAt("abc", 3) == 4);
  CHECK(columnAt("\xC3\xA9x", 2) == 2);
  CHECK(columnAt("\xFF\xFFx", 2) == 3);
  CHECK(printable(std::string("a\0b\tc\xFF\xC3\xA9", 8)) == "a?b c?\xC3\xA9");
  CHECK(schemeFromName("HtTpS") == Scheme::Https);
  CHECK(!schemeFromName("httpsxxxxx"));
  CHECK(!schemeFromName(""));
}

TEST_CASE("request line: the command line's headers follow HTTP lines only") {
  RequestFields d = fromPayments();
  d.headers = {{"x-canary", "true"}};
  CHECK(request("GET http://shop.example.com/", d).headers.size() == 1);
  CHECK(request("tls api.stripe.com:443", d).headers.empty());
  CHECK(request("tcp db.example.com:5432", d).headers.empty());
}

}  // namespace
}  // namespace istio_lint::cli
