#include "cli/request_line.h"

#include <algorithm>

#include "cli/commands.h"
#include "cli/line_words.h"
#include "cli/request_line_parser.h"
#include "model/ascii.h"

namespace istio_lint::cli {
namespace request_line {

std::string shown(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || u >= 0x7F) return hexByte(u);
  return std::string("`") + c + "`";
}

std::string quoted(std::string_view s) {
  constexpr size_t kMax = 40;
  if (s.size() <= kMax) return "`" + std::string(s) + "`";
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0u) == 0x80u) --cut;  // whole characters
  return "`" + std::string(s.substr(0, cut)) + "...`";
}

std::optional<ParsedLine> Parser::setOnce(size_t& first, size_t offset, std::string_view what) {
  if (first != 0) {
    return fail(offset, std::string(what) + " is given twice (first at column " +
                            std::to_string(columnAt(line_, first - 1)) + ")");
  }
  first = offset + 1;
  return std::nullopt;
}

std::optional<ParsedLine> Parser::host(const Word& w, size_t from, size_t to, std::string& out, std::string_view what) {
  if (from >= to) return fail(at(w, from), "missing " + std::string(what));
  if (std::optional<LexError> e = checkHost(std::string_view(w.text).substr(from, to - from), what)) {
    return fail(at(w, from + e->offset), e->message);
  }
  out = w.text.substr(from, to - from);
  return std::nullopt;
}

std::optional<ParsedLine> Parser::port(const Word& w, size_t from, size_t to, uint32_t& out) {
  if (from >= to) return fail(at(w, from), "missing port number");
  uint64_t v = 0;
  for (size_t k = from; k < to; ++k) {
    if (!isDigit(w.text[k])) {
      return fail(at(w, k), "a port is a number: " + quoted(std::string_view(w.text).substr(from, to - from)));
    }
    if (v <= 65535) v = v * 10 + static_cast<uint64_t>(w.text[k] - '0');
  }
  if (v == 0 || v > 65535) {
    return fail(at(w, from), "port " + quoted(std::string_view(w.text).substr(from, to - from)) +
                                 " is out of range (1-65535)");
  }
  out = static_cast<uint32_t>(v);
  return std::nullopt;
}

/// A path with its query. The fragment (#...) is dropped, as clients do not send it; `?q` alone
/// becomes `/?q`.
std::optional<ParsedLine> Parser::path(const Word& w, size_t from, std::string& out) {
  std::string_view p = std::string_view(w.text).substr(from);
  size_t hash = p.find('#');
  if (hash != std::string_view::npos) p = p.substr(0, hash);
  if (std::optional<LexError> e = checkPath(p)) return fail(at(w, from + e->offset), e->message);
  out = p.empty() || p[0] == '?' ? "/" + std::string(p) : std::string(p);
  return std::nullopt;
}

std::optional<ParsedLine> Parser::entry(const Word& w, EntryPoint::Kind kind, size_t clause_at) {
  LexError e;
  std::optional<EntryPoint> parsed = parseEntryPoint(w.text, kind, e);
  if (!parsed) return fail(at(w, e.offset), e.message);
  EntryPoint point = std::move(*parsed);
  // `from A to B`, `via G to B` (either order): the request starts at A or G and is followed into
  // B's sidecar.
  const bool inbound = kind == EntryPoint::Kind::Inbound;
  if (got_.entry && inbound != (got_.entry->kind == EntryPoint::Kind::Inbound)) {
    if (auto e = setOnce(deliver_at_, clause_at, "the destination (to) beside the entry point")) return e;
    if (inbound) {
      got_.deliver_to = point;
      deliver_value_at_ = at(w, 0);
    } else {
      got_.deliver_to = *got_.entry;
      deliver_value_at_ = entry_value_at_;
      got_.entry = std::move(point);
      entry_at_ = clause_at + 1;
      entry_value_at_ = at(w, 0);
    }
    return std::nullopt;
  }
  if (auto e = setOnce(entry_at_, clause_at, "the entry point (from, via or to)")) return e;
  entry_value_at_ = at(w, 0);
  got_.entry = std::move(point);
  return std::nullopt;
}

/// The target: [SCHEME://]HOST[:PORT][/PATH][?QUERY], or /PATH alone (the host of the defaults).
std::optional<ParsedLine> Parser::target(const Word& w) {
  target_at_ = w.start + 1;
  const std::string& t = w.text;
  size_t k = 0;
  const size_t authority_end_guess = t.find_first_of("/?#");
  const size_t sep = t.find("://");
  if (sep != std::string::npos && sep < authority_end_guess) {
    if (sep == 0) return fail(at(w, 0), "missing scheme before ://");
    std::optional<Scheme> s = schemeFromName(std::string_view(t).substr(0, sep));
    if (!s) {
      return fail(at(w, 0), "unknown scheme " + quoted(std::string_view(t).substr(0, sep)) +
                                ": one of http, https, tls, tcp");
    }
    if (auto e = setOnce(scheme_at_, at(w, 0), "the scheme")) return e;
    got_.scheme = s;
    k = sep + 3;
  } else if (!t.empty() && t[0] == '/') {
    if (auto e = setOnce(path_at_, at(w, 0), "the path")) return e;
    std::string p;
    if (auto e = path(w, 0, p)) return e;
    got_.path = std::move(p);
    return std::nullopt;
  }
  size_t end = t.find_first_of("/?#", k);
  if (end == std::string::npos) end = t.size();
  size_t colon = t.find(':', k);
  if (colon != std::string::npos && colon > end) colon = std::string::npos;
  const size_t host_end = colon == std::string::npos ? end : colon;
  std::string h;
  if (auto e = host(w, k, host_end, h, "the host")) return e;
  if (auto e = setOnce(host_at_, at(w, k), "the host")) return e;
  got_.host = std::move(h);
  if (colon != std::string::npos) {
    const size_t second = t.find(':', colon + 1);
    if (second != std::string::npos && second < end) return fail(at(w, second), "unexpected `:` after the port");
    uint32_t p = 0;
    if (auto e = port(w, colon + 1, end, p)) return e;
    if (auto e = setOnce(port_at_, at(w, colon + 1), "the port")) return e;
    got_.port = p;
  }
  if (end < t.size() && t[end] != '#') {
    if (auto e = setOnce(path_at_, at(w, end), "the path")) return e;
    std::string p;
    if (auto e = path(w, end, p)) return e;
    got_.path = std::move(p);
  }
  return std::nullopt;
}

/// The word at `i`: a keyword clause (consumes its value), the method or scheme word, or the
/// target. Advances `i` past what it used.
/// The line's fields over the defaults (resolveRequest), errors placed at the field they are about.
ParsedLine Parser::resolve() const {
  std::variant<RequestSpec, FieldError> r = resolveRequest(got_, defaults_);
  if (const FieldError* e = std::get_if<FieldError>(&r)) {
    const size_t end = line_.size();
    switch (e->field) {
      case FieldError::Field::Mtls: return fail(mtls_at_ != 0 ? mtls_at_ - 1 : entry_at_ != 0 ? entry_at_ - 1 : 0, e->message);
      case FieldError::Field::Path: return fail(path_at_ - 1, e->message);
      case FieldError::Field::Method: return fail(method_at_ - 1, e->message);
      case FieldError::Field::Headers: return fail(header_at_.front(), e->message);
      case FieldError::Field::Sni: return fail(sni_at_ - 1, e->message);
      case FieldError::Field::Entry:
      case FieldError::Field::Host: return fail(end, e->message);
    }
  }
  ParsedLine out;
  out.kind = ParsedLine::Kind::Request;
  out.request = std::move(std::get<RequestSpec>(r));
  if (got_.entry) out.request.entry_column = columnAt(line_, entry_value_at_);
  if (got_.deliver_to) out.request.deliver_column = columnAt(line_, deliver_value_at_);
  return out;
}

ParsedLine Parser::run() {
  if (!line_.empty() && line_.back() == '\r') line_.remove_suffix(1);
  if (std::optional<LexError> e = checkLineBytes(line_)) return fail(e->offset, e->message);
  const size_t first = line_.find_first_not_of(" \t");
  if (first == std::string_view::npos || line_[first] == '#') return ParsedLine{};
  if (std::optional<LexError> e = splitWords(line_, words_)) return fail(e->offset, e->message);
  const Word& w0 = words_.front();
  if (!w0.quoted()) {
    ParsedLine::Kind kind = ParsedLine::Kind::Blank;
    if (w0.text == "help" || w0.text == "?") kind = ParsedLine::Kind::Help;
    if (w0.text == "history") kind = ParsedLine::Kind::History;
    if (w0.text == "quit" || w0.text == "exit") kind = ParsedLine::Kind::Quit;
    if (kind != ParsedLine::Kind::Blank) {
      if (words_.size() > 1) return fail(words_[1].start, "`" + w0.text + "` takes no arguments");
      ParsedLine p;
      p.kind = kind;
      return p;
    }
  }
  for (size_t i = 0; i < words_.size();) {
    if (auto e = clause(i)) return *e;
  }
  return resolve();
}

}  // namespace request_line

using request_line::isBlank;
using request_line::isNameChar;
using request_line::isTchar;
using request_line::quoted;
using request_line::shown;

std::string_view schemeName(Scheme s) {
  switch (s) {
    case Scheme::Http: return "http";
    case Scheme::Https: return "https";
    case Scheme::Tls: return "tls";
    case Scheme::Tcp: return "tcp";
  }
  return "http";
}

std::optional<Scheme> schemeFromName(std::string_view name) {
  const std::string n = model::asciiLower(name.substr(0, 8));
  if (name.size() > 8) return std::nullopt;
  if (n == "http") return Scheme::Http;
  if (n == "https") return Scheme::Https;
  if (n == "tls") return Scheme::Tls;
  if (n == "tcp") return Scheme::Tcp;
  return std::nullopt;
}

std::optional<LineError> splitHeader(std::string_view text, std::pair<std::string, std::string>& out) {
  const size_t sep = text.find_first_of(":=");
  if (sep == std::string_view::npos) {
    return LineError{1, "expected a header as 'name: value' or name=value, not " + quoted(text)};
  }
  if (sep == 0) {
    return LineError{1, "missing header name before " + shown(text[0]) +
                            " (the pseudo-headers :authority, :method and :path are host, method and path)"};
  }
  for (size_t k = 0; k < sep; ++k) {
    if (!isTchar(text[k])) return LineError{columnAt(text, k), shown(text[k]) + " is not allowed in a header name"};
  }
  std::string_view value = text.substr(sep + 1);
  while (!value.empty() && isBlank(value.front())) value.remove_prefix(1);
  while (!value.empty() && isBlank(value.back())) value.remove_suffix(1);
  out = {model::asciiLower(text.substr(0, sep)), std::string(value)};
  return std::nullopt;
}

std::optional<LexError> checkHost(std::string_view host, std::string_view what) {
  if (!host.empty() && host[0] == '[') return LexError{0, "IPv6 address literals are not supported; give the host name"};
  if (host.size() > 253) return LexError{253, std::string(what) + " is longer than 253 characters"};
  for (size_t k = 0; k < host.size(); ++k) {
    const char c = host[k];
    if (isNameChar(c)) continue;
    if (c == '*') {
      return LexError{k, "a request goes to one host, not a wildcard: write a name it covers (x.example.com for "
                         "*.example.com)"};
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      return LexError{k, "a non-ASCII character in " + std::string(what) + ": write the name in its xn-- (punycode) form"};
    }
    if (c == '@') return LexError{k, "user information (user@host) is not supported"};
    return LexError{k, shown(c) + " is not allowed in " + std::string(what)};
  }
  return std::nullopt;
}

std::optional<LexError> checkEntryPoint(std::string_view text, EntryPoint::Kind kind) {
  const std::string_view what = kind == EntryPoint::Kind::Gateway ? "NS/GATEWAY" : "NS/WORKLOAD";
  const size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) {
    const std::string_view example = kind == EntryPoint::Kind::Gateway   ? "istio-system/ingressgateway"
                                     : kind == EntryPoint::Kind::Inbound ? "shop/reviews"
                                                                         : "shop/web";
    return LexError{slash == std::string::npos ? 0 : slash, "expected " + std::string(what) + ", e.g. " + std::string(example)};
  }
  for (size_t k = 0; k < text.size(); ++k) {
    if (k == slash || isNameChar(text[k])) continue;
    return LexError{k, shown(text[k]) + " is not allowed in " + std::string(what)};
  }
  return std::nullopt;
}

std::optional<EntryPoint> parseEntryPoint(std::string_view text, EntryPoint::Kind kind, LexError& error) {
  if (std::optional<LexError> e = checkEntryPoint(text, kind)) {
    error = std::move(*e);
    return std::nullopt;
  }
  const size_t slash = text.find('/');
  return EntryPoint{kind, std::string(text.substr(0, slash)), std::string(text.substr(slash + 1))};
}

std::optional<LexError> checkPath(std::string_view path) {
  for (size_t k = 0; k < path.size(); ++k) {
    if (isBlank(path[k])) return LexError{k, "a blank in the path: write it as %20"};
  }
  return std::nullopt;
}

namespace {

/// A field's value quoted for a message, cut when long.
std::string shownValue(std::string_view s) {
  return "\"" + std::string(s.substr(0, 60)) + (s.size() > 60 ? "...\"" : "\"");
}

}  // namespace

std::optional<std::string> checkFields(const RequestFields& f) {
  auto bytes = [](std::string_view what, std::string_view v) -> std::optional<std::string> {
    if (std::optional<LexError> e = checkLineBytes(v)) return std::string(what) + " " + shownValue(v) + ": " + e->message;
    return std::nullopt;
  };
  for (const auto& [what, value] : {std::pair{"host", f.host}, {"sni", f.sni}}) {
    if (!value || value->empty()) continue;
    if (std::optional<LexError> e = checkHost(*value, what == std::string_view("host") ? "the host" : "the SNI")) {
      return std::string(what) + " " + shownValue(*value) + ": " + e->message;
    }
  }
  if (f.path) {
    if (auto e = bytes("path", *f.path)) return e;
    if (std::optional<LexError> e = checkPath(*f.path)) return "path " + shownValue(*f.path) + ": " + e->message;
  }
  if (f.method) {
    for (char c : *f.method) {
      if (!isTchar(c)) return "method " + shownValue(*f.method) + " is not an HTTP method";
    }
  }
  for (const auto& [name, value] : f.headers) {
    if (name.empty()) return std::string("a header without a name");
    for (char c : name) {
      if (!isTchar(c)) return "header name " + shownValue(name) + " is not a token";
    }
    if (auto e = bytes("header " + name, value)) return e;
  }
  for (const std::optional<EntryPoint>* p : {&f.entry, &f.deliver_to}) {
    if (!*p) continue;
    if (std::optional<LexError> e = checkEntryPoint((*p)->text(), (*p)->kind)) {
      return shownValue((*p)->text()) + ": " + e->message;
    }
  }
  return std::nullopt;
}

std::string pathWithoutFragment(std::string_view path) { return std::string(path.substr(0, path.find('#'))); }

std::variant<RequestSpec, FieldError> resolveRequest(const RequestFields& got, const RequestFields& defaults) {
  using Field = FieldError::Field;
  RequestSpec r;
  if (got.entry) {
    r.entry = *got.entry;
  } else if (defaults.entry) {
    r.entry = *defaults.entry;
  } else {
    return FieldError{Field::Entry, "no entry point: add `via NS/GATEWAY`, `from NS/WORKLOAD` or `to NS/WORKLOAD` (or "
                                    "start with --gateway, --from or --to)"};
  }
  r.deliver_to = got.deliver_to;
  r.mtls = got.mtls.value_or(defaults.mtls.value_or(false));
  if (r.mtls && r.entry.kind == EntryPoint::Kind::Sidecar) {
    return FieldError{Field::Mtls, "mtls describes the connection arriving at a proxy: use it with `to` or `via` "
                                   "(behind `from`, the application speaks plaintext or its own TLS)"};
  }
  r.scheme = got.scheme.value_or(defaults.scheme.value_or(Scheme::Http));
  if (!r.isHttp()) {
    const std::string scheme(schemeName(r.scheme));
    if (got.path) return FieldError{Field::Path, "a " + scheme + " request has no path (paths are HTTP)"};
    if (got.method) return FieldError{Field::Method, "a " + scheme + " request has no method (methods are HTTP)"};
    if (!got.headers.empty()) return FieldError{Field::Headers, "a " + scheme + " request has no headers (headers are HTTP)"};
  }
  if (got.sni && !r.isTls()) {
    return FieldError{Field::Sni, "an SNI needs TLS: use https:// or tls (the scheme is " +
                                      std::string(schemeName(r.scheme)) + ")"};
  }
  r.host = got.host.value_or(defaults.host.value_or(""));
  // The SNI: the line's, else (TLS only) the line's host, the command line's SNI, its host.
  if (got.sni) {
    r.sni = *got.sni;
  } else if (r.isTls()) {
    r.sni = got.host ? *got.host : defaults.sni.value_or(r.host);
  }
  if (r.host.empty() && r.sni.empty() && r.entry.kind != EntryPoint::Kind::Inbound) {
    return FieldError{Field::Host, "no host: give one, e.g. `GET https://shop.example.com/` or `tls api.stripe.com:443`"};
  }
  // A scheme on the line brings its own default port; otherwise the command line's port applies.
  const uint32_t scheme_port = r.scheme == Scheme::Http ? 80 : 443;
  r.port = got.port ? *got.port : got.scheme ? scheme_port : defaults.port.value_or(scheme_port);
  r.path = got.path.value_or(defaults.path.value_or("/"));
  r.method = got.method.value_or(defaults.method.value_or("GET"));
  // Headers are HTTP: the command line's do not follow a tls or tcp line.
  for (const auto& h : r.isHttp() ? defaults.headers : std::vector<std::pair<std::string, std::string>>{}) {
    bool replaced = std::any_of(got.headers.begin(), got.headers.end(), [&](const auto& g) { return g.first == h.first; });
    if (!replaced) r.headers.push_back(h);
  }
  r.headers.insert(r.headers.end(), got.headers.begin(), got.headers.end());
  r.random = got.random ? got.random : defaults.random;
  return r;
}

ParsedLine parseRequestLine(std::string_view line, const RequestFields& defaults) {
  return request_line::Parser(line, defaults).run();
}

const std::vector<std::string>& lineKeywords() {
  static const std::vector<std::string> k{"from", "header", "host", "method", "mtls", "path", "port", "random",
                                          "scheme", "sni", "to", "via"};
  return k;
}

const std::vector<std::string>& lineFlags() {
  static const std::vector<std::string> k{"--from", "--gateway", "--header", "--host", "--method", "--mtls", "--path",
                                          "--port", "--random-value", "--scheme", "--sni", "--to", "-H"};
  return k;
}

const std::vector<std::string>& lineCommands() {
  static const std::vector<std::string> k{"exit", "help", "history", "quit"};
  return k;
}

const std::vector<std::string>& commonMethods() {
  static const std::vector<std::string> k{"CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"};
  return k;
}

}  // namespace istio_lint::cli
