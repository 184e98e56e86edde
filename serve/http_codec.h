#pragma once

// HTTP/1.1 messages for `serve`: an incremental parser over libhttp-parser (Debian's
// libhttp-parser-dev, node's http_parser) that stops after each complete message, so requests
// pipelined on one connection are handled one at a time, and the writers for requests and
// responses.

#include <http_parser.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace istio_lint::serve {

struct HttpMessage {
  std::string method;  // requests: "GET"
  std::string target;  // requests: the request target as sent ("/a?b=1")
  unsigned status = 0;  // responses
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case, in order
  std::string body;    // de-chunked
  bool keep_alive = true;
  bool upgrade = false;  // Upgrade / CONNECT: not proxied

  void clear();
  /// The first value of a header (name lower-case); empty when absent.
  std::string_view header(std::string_view name) const;
};

class HttpParser {
 public:
  enum class Kind : uint8_t { Request, Response };
  /// Limits: the request line and headers together, and the body; beyond them the message fails
  /// (431 / 413 for requests).
  explicit HttpParser(Kind kind, size_t max_header_bytes = 64 * 1024, size_t max_body_bytes = 16 * 1024 * 1024);
  HttpParser(const HttpParser&) = delete;
  HttpParser& operator=(const HttpParser&) = delete;

  /// Parses from `data`; returns how many bytes it consumed. It stops after a complete message
  /// (complete()) and on an error (failed()); the rest of `data` is for the next message.
  size_t feed(const char* data, size_t len);
  /// The peer closed the connection: a response without a length ends here.
  void finish();
  /// A response to HEAD, or one whose request forbids a body: headers only.
  void expectNoBody() { no_body_ = true; }

  bool complete() const { return complete_; }
  bool failed() const { return !error_.empty(); }
  /// What was wrong, for the log and the 400 body; the status to answer with (400, 413, 431).
  const std::string& error() const { return error_; }
  unsigned errorStatus() const { return error_status_; }
  /// The request line and headers are read (the body may still be coming).
  bool headersDone() const { return headers_done_; }
  HttpMessage& message() { return msg_; }
  const HttpMessage& message() const { return msg_; }
  /// After a complete message: forget it and read the next.
  void next();
  /// A new connection: forget everything, errors included.
  void reset();

 private:
  friend struct HttpParserSettings;
  static int onMessageBegin(http_parser* p);
  static int onUrl(http_parser* p, const char* at, size_t len);
  static int onHeaderField(http_parser* p, const char* at, size_t len);
  static int onHeaderValue(http_parser* p, const char* at, size_t len);
  static int onHeadersComplete(http_parser* p);
  static int onBody(http_parser* p, const char* at, size_t len);
  static int onMessageComplete(http_parser* p);
  bool headerBytes(size_t len);

  http_parser parser_{};
  Kind kind_;
  HttpMessage msg_;
  size_t max_header_bytes_, max_body_bytes_, header_bytes_ = 0;
  bool in_value_ = false, complete_ = false, no_body_ = false, headers_done_ = false;
  bool started_ = false;  // a byte of a message was read: a close before its end cuts it short
  std::string error_;
  unsigned error_status_ = 400;
};

/// The reason phrase of a status ("Not Found"); "Unknown" for codes without one.
std::string_view reasonPhrase(unsigned status);

/// Appends "HTTP/1.1 <status> <reason>" and the headers; adds content-length (the body's size)
/// and `connection: close` when !keep_alive, then the body.
void writeResponse(std::string& out, unsigned status, const std::vector<std::pair<std::string, std::string>>& headers,
                   std::string_view body, bool keep_alive);

/// Appends a request with the given target and headers (hop-by-hop headers already removed by
/// the caller), content-length when there is a body (or the method usually has one).
void writeRequest(std::string& out, std::string_view method, std::string_view target,
                  const std::vector<std::pair<std::string, std::string>>& headers, std::string_view body);

/// Headers a proxy does not copy from one connection to the next: the connection-level ones
/// (RFC 9110 7.6.1: connection, keep-alive, proxy-connection, te, trailer, transfer-encoding,
/// upgrade, and those the connection header names), content-length, which the writers set, and
/// expect: serve reads a body whole before it forwards it, so the upstream is never asked to
/// continue.
bool isHopByHop(std::string_view name, std::string_view connection_header);

}  // namespace istio_lint::serve
