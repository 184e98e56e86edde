#include "serve/http_codec.h"

#include <climits>
#include <cstring>

#include "model/ascii.h"

namespace istio_lint::serve {
namespace {

const http_parser_settings& settingsFor();

HttpParser* self(http_parser* p) { return static_cast<HttpParser*>(p->data); }

bool tokenContains(std::string_view list, std::string_view token) {
  size_t i = 0;
  while (i < list.size()) {
    size_t j = list.find(',', i);
    if (j == std::string_view::npos) j = list.size();
    if (model::equalsIgnoreCase(model::trimBlanks(list.substr(i, j - i)), token)) return true;
    i = j + 1;
  }
  return false;
}

}  // namespace

void HttpMessage::clear() {
  method.clear();
  target.clear();
  status = 0;
  headers.clear();
  body.clear();
  keep_alive = true;
  upgrade = false;
}

std::string_view HttpMessage::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return {};
}

HttpParser::HttpParser(Kind kind, size_t max_header_bytes, size_t max_body_bytes)
    : kind_(kind), max_header_bytes_(max_header_bytes), max_body_bytes_(max_body_bytes) {
  http_parser_init(&parser_, kind == Kind::Request ? HTTP_REQUEST : HTTP_RESPONSE);
  parser_.data = this;
}

void HttpParser::next() {
  msg_.clear();
  header_bytes_ = 0;
  in_value_ = complete_ = started_ = no_body_ = headers_done_ = false;
  if (HTTP_PARSER_ERRNO(&parser_) == HPE_PAUSED) http_parser_pause(&parser_, 0);
}

void HttpParser::reset() {
  http_parser_init(&parser_, kind_ == Kind::Request ? HTTP_REQUEST : HTTP_RESPONSE);
  parser_.data = this;
  error_.clear();
  error_status_ = 400;
  msg_.clear();
  header_bytes_ = 0;
  in_value_ = complete_ = started_ = no_body_ = headers_done_ = false;
}

size_t HttpParser::feed(const char* data, size_t len) {
  if (complete_ || failed() || len == 0) return 0;
  size_t n = http_parser_execute(&parser_, &settingsFor(), data, len);
  const http_errno e = HTTP_PARSER_ERRNO(&parser_);
  if (e == HPE_PAUSED) return n;  // paused at the end of a message: n counts through it
  if (e != HPE_OK && error_.empty()) {
    error_ = std::string(http_errno_description(e));
    error_status_ = 400;
  }
  if (!failed() && parser_.upgrade && complete_) msg_.upgrade = true;
  return n;
}

void HttpParser::finish() {
  if (complete_ || failed()) return;
  http_parser_execute(&parser_, &settingsFor(), nullptr, 0);
  if (!complete_ && error_.empty() && started_) error_ = "the connection closed before the message ended";
}

bool HttpParser::headerBytes(size_t len) {
  header_bytes_ += len;
  if (header_bytes_ <= max_header_bytes_) return true;
  error_ = "the request line and headers exceed " + std::to_string(max_header_bytes_ / 1024) + " KiB";
  error_status_ = 431;
  return false;
}

int HttpParser::onMessageBegin(http_parser* p) {
  self(p)->started_ = true;
  return 0;
}

int HttpParser::onUrl(http_parser* p, const char* at, size_t len) {
  HttpParser& s = *self(p);
  if (!s.headerBytes(len)) return 1;
  s.msg_.target.append(at, len);
  return 0;
}

int HttpParser::onHeaderField(http_parser* p, const char* at, size_t len) {
  HttpParser& s = *self(p);
  if (!s.headerBytes(len)) return 1;
  if (s.in_value_ || s.msg_.headers.empty()) {
    if (s.msg_.headers.size() >= 256) {
      s.error_ = "more than 256 headers";
      s.error_status_ = 431;
      return 1;
    }
    s.msg_.headers.emplace_back();
    s.in_value_ = false;
  }
  std::string& name = s.msg_.headers.back().first;
  for (size_t i = 0; i < len; ++i) name += model::asciiLower(at[i]);
  return 0;
}

int HttpParser::onHeaderValue(http_parser* p, const char* at, size_t len) {
  HttpParser& s = *self(p);
  if (!s.headerBytes(len)) return 1;
  s.in_value_ = true;
  s.msg_.headers.back().second.append(at, len);
  return 0;
}

int HttpParser::onHeadersComplete(http_parser* p) {
  HttpParser& s = *self(p);
  s.headers_done_ = true;
  if (s.kind_ == Kind::Request) s.msg_.method = http_method_str(static_cast<http_method>(p->method));
  s.msg_.status = p->status_code;
  s.msg_.keep_alive = http_should_keep_alive(p) != 0;
  if (p->content_length != ULLONG_MAX && p->content_length > s.max_body_bytes_) {
    s.error_ = "the body exceeds " + std::to_string(s.max_body_bytes_ / (1024 * 1024)) + " MiB";
    s.error_status_ = 413;
    return -1;
  }
  // 1: a response without a body (HEAD); http_parser skips it.
  return s.no_body_ ? 1 : 0;
}

int HttpParser::onBody(http_parser* p, const char* at, size_t len) {
  HttpParser& s = *self(p);
  if (s.msg_.body.size() + len > s.max_body_bytes_) {
    s.error_ = "the body exceeds " + std::to_string(s.max_body_bytes_ / (1024 * 1024)) + " MiB";
    s.error_status_ = 413;
    return 1;
  }
  s.msg_.body.append(at, len);
  return 0;
}

int HttpParser::onMessageComplete(http_parser* p) {
  HttpParser& s = *self(p);
  s.complete_ = true;
  s.msg_.keep_alive = http_should_keep_alive(p) != 0;
  http_parser_pause(p, 1);
  return 0;
}

// Fills in the private callbacks (a friend of HttpParser).
struct HttpParserSettings {
  static http_parser_settings make() {
    http_parser_settings st;
    std::memset(&st, 0, sizeof st);
    st.on_message_begin = &HttpParser::onMessageBegin;
    st.on_url = &HttpParser::onUrl;
    st.on_header_field = &HttpParser::onHeaderField;
    st.on_header_value = &HttpParser::onHeaderValue;
    st.on_headers_complete = &HttpParser::onHeadersComplete;
    st.on_body = &HttpParser::onBody;
    st.on_message_complete = &HttpParser::onMessageComplete;
    return st;
  }
};

namespace {

const http_parser_settings& settingsFor() {
  static const http_parser_settings kSettings = HttpParserSettings::make();
  return kSettings;
}

}  // namespace

namespace {

void appendHeaders(std::string& out, const std::vector<std::pair<std::string, std::string>>& headers) {
  for (const auto& [k, v] : headers) {
    out += k;
    out += ": ";
    out += v;
    out += "\r\n";
  }
}

}  // namespace

std::string_view reasonPhrase(unsigned status) {
  const char* s = http_status_str(static_cast<http_status>(status));
  std::string_view r = s == nullptr ? "" : s;
  return r.empty() || r == "<unknown>" ? std::string_view("Unknown") : r;
}

void writeResponse(std::string& out, unsigned status, const std::vector<std::pair<std::string, std::string>>& headers,
                   std::string_view body, bool keep_alive) {
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += reasonPhrase(status);
  out += "\r\n";
  appendHeaders(out, headers);
  const bool no_body = status == 204 || status == 304 || (status >= 100 && status < 200);
  if (!no_body) {
    out += "content-length: ";
    out += std::to_string(body.size());
    out += "\r\n";
  }
  if (!keep_alive) out += "connection: close\r\n";
  out += "\r\n";
  if (!no_body) out += body;
}

void writeRequest(std::string& out, std::string_view method, std::string_view target,
                  const std::vector<std::pair<std::string, std::string>>& headers, std::string_view body) {
  out += method;
  out += ' ';
  out += target;
  out += " HTTP/1.1\r\n";
  appendHeaders(out, headers);
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    out += "content-length: ";
    out += std::to_string(body.size());
    out += "\r\n";
  }
  out += "\r\n";
  out += body;
}

bool isHopByHop(std::string_view name, std::string_view connection_header) {
  static constexpr std::string_view kHop[] = {"connection", "keep-alive",        "proxy-connection", "te",
                                              "trailer",    "transfer-encoding", "upgrade",          "content-length",
                                              "expect"};
  for (std::string_view h : kHop) {
    if (name == h) return true;
  }
  return !connection_header.empty() && tokenContains(connection_header, name);
}

}  // namespace istio_lint::serve
