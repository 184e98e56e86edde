#include "serve/client_hello.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace istio_lint::serve {
namespace {

std::string u16(size_t v) { return {static_cast<char>(v >> 8), static_cast<char>(v & 0xff)}; }
std::string u24(size_t v) { return static_cast<char>(v >> 16) + u16(v & 0xffff); }

/// A ClientHello handshake message with the given SNI (none when empty) and ALPN protocols.
std::string hello(const std::string& sni, const std::vector<std::string>& alpn) {
  std::string ext;
  if (!sni.empty()) {
    std::string entry = std::string(1, '\0') + u16(sni.size()) + sni;
    std::string list = u16(entry.size()) + entry;
    ext += u16(0) + u16(list.size()) + list;
  }
  if (!alpn.empty()) {
    std::string protos;
    for (const std::string& p : alpn) protos += static_cast<char>(p.size()) + p;
    std::string list = u16(protos.size()) + protos;
    ext += u16(16) + u16(list.size()) + list;
  }
  ext = u16(0x002b) + u16(3) + "\x02\x03\x04" + ext;  // supported_versions, skipped
  std::string body = "\x03\x03" + std::string(32, 'r') + std::string(1, '\0') + u16(2) + "\x13\x01" +
                     std::string("\x01\x00", 2) + u16(ext.size()) + ext;
  return "\x01" + u24(body.size()) + body;
}

std::string record(const std::string& fragment) { return "\x16\x03\x01" + u16(fragment.size()) + fragment; }

TEST_CASE("the SNI and ALPN of a ClientHello in one record") {
  ClientHello h;
  REQUIRE(parseClientHello(record(hello("tls-a.example.com", {"h2", "http/1.1"})), h) == HelloResult::Ok);
  CHECK(h.sni == "tls-a.example.com");
  CHECK(h.alpn == std::vector<std::string>{"h2", "http/1.1"});
  REQUIRE(parseClientHello(record(hello("", {})), h) == HelloResult::Ok);
  CHECK(h.sni.empty());
  CHECK(h.alpn.empty());
}

TEST_CASE("a ClientHello split over two records, and every prefix of one") {
  const std::string msg = hello("db.corp.internal", {"istio"});
  const std::string split = record(msg.substr(0, 20)) + record(msg.substr(20));
  ClientHello h;
  REQUIRE(parseClientHello(split, h) == HelloResult::Ok);
  CHECK(h.sni == "db.corp.internal");
  CHECK(h.alpn == std::vector<std::string>{"istio"});
  for (size_t n = 0; n < split.size(); ++n) {
    CAPTURE(n);
    CHECK(parseClientHello(split.substr(0, n), h) == HelloResult::NeedMore);
  }
}

TEST_CASE("a hello over 64 KiB is refused as soon as its length says so") {
  // The handshake header claims a 100 KiB body: the first record is enough to refuse it, so a
  // connection never buffers more than one record past the limit.
  std::string big = hello("x", {});
  big.replace(1, 3, u24(100 * 1024));
  ClientHello h;
  CHECK(parseClientHello(record(big.substr(0, 200)), h) == HelloResult::NotTls);
}

TEST_CASE("what is not a ClientHello") {
  ClientHello h;
  CHECK(parseClientHello("GET / HTTP/1.1\r\n\r\n", h) == HelloResult::NotTls);
  CHECK(parseClientHello("G", h) == HelloResult::NotTls);
  // A handshake record whose message is not a ClientHello (a ServerHello).
  std::string server = hello("x", {});
  server[0] = '\x02';
  CHECK(parseClientHello(record(server), h) == HelloResult::NotTls);
  // An extension whose length runs past the message.
  std::string bad = hello("tls-a.example.com", {});
  bad[bad.size() - 21] = '\x7f';  // the server name list's length (low byte)
  CHECK(parseClientHello(record(bad), h) == HelloResult::NotTls);
  // A record length over the protocol's limit.
  CHECK(parseClientHello(std::string("\x16\x03\x01\xff\xff", 5), h) == HelloResult::NotTls);
}

}  // namespace
}  // namespace istio_lint::serve
