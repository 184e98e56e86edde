#include "cli/request_line.h"

#include <algorithm>
#include <array>

#include "cli/commands.h"
#include "cli/line_words.h"

namespace istio_lint::cli {
namespace {

bool isBlank(char c) { return c == ' ' || c == '\t'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
/// RFC 9110 tchar: the characters of a method or header name.
bool isTchar(char c) {
  return isAlpha(c) || isDigit(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}
bool isNameChar(char c) { return isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_'; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (isUpper(c)) c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

/// A character as an error message shows it: `x`, or its byte value when it does not print.
std::string shown(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || u >= 0x7F) return hexByte(u);
  return std::string("`") + c + "`";
}

/// Messages quote what the user typed; long words are cut so a message stays one line.
std::string quoted(std::string_view s) {
  constexpr size_t kMax = 40;
  if (s.size() <= kMax) return "`" + std::string(s) + "`";
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0u) == 0x80u) --cut;  // whole characters
  return "`" + std::string(s.substr(0, cut)) + "...`";
}

class Parser {
 public:
  Parser(std::string_view line, const RequestFields& defaults) : line_(line), defaults_(defaults) {}

  ParsedLine run();

 private:
  ParsedLine fail(size_t byte_offset, std::string message) const {
    ParsedLine p;
    p.kind = ParsedLine::Kind::Error;
    p.error = {columnAt(line_, byte_offset), std::move(message)};
    return p;
  }
  // The byte offset of character k of a word, for errors inside it; past its end: just after its
  // last character (or the word's start when it has none).
  static size_t at(const Word& w, size_t k) {
    if (k < w.src.size()) return w.src[k];
    return w.src.empty() ? w.start : w.src.back() + 1;
  }

  std::optional<ParsedLine> clause(size_t& i);
  std::optional<ParsedLine> target(const Word& w);
  std::optional<ParsedLine> setOnce(size_t& first, size_t offset, std::string_view what);
  std::optional<ParsedLine> host(const Word& w, size_t from, size_t to, std::string& out, std::string_view what);
  std::optional<ParsedLine> port(const Word& w, size_t from, size_t to, uint32_t& out);
  std::optional<ParsedLine> path(const Word& w, size_t from, std::string& out);
  std::optional<ParsedLine> entry(const Word& w, EntryPoint::Kind kind, size_t clause_at);
  ParsedLine resolve() const;

  std::string_view line_;
  const RequestFields& defaults_;
  std::vector<Word> words_;
  RequestFields got_;
  // Byte offsets + 1 where the line set each field (0: not set), for "given twice" and later checks.
  size_t entry_at_ = 0, scheme_at_ = 0, host_at_ = 0, sni_at_ = 0, port_at_ = 0, path_at_ = 0, method_at_ = 0,
         random_at_ = 0, target_at_ = 0, mtls_at_ = 0, deliver_at_ = 0;
  size_t entry_value_at_ = 0;    // where the entry point's NS/NAME begins
  size_t deliver_value_at_ = 0;  // where the NS/NAME of `to` beside `from`/`via` begins
  std::vector<size_t> header_at_;
};

enum class Field : uint8_t { From, Via, To, Mtls, Host, Sni, Port, Scheme, Path, Method, Header, Random };

struct Keyword {
  std::string_view word;
  Field field;
  std::string_view value;  // what the value is, for "needs a value"; empty: the keyword takes none
};

constexpr std::array<Keyword, 25> kKeywords{{
    {"from", Field::From, "NS/WORKLOAD"},
    {"via", Field::Via, "NS/GATEWAY"},
    {"to", Field::To, "NS/WORKLOAD"},
    {"mtls", Field::Mtls, ""},
    {"host", Field::Host, "a host"},
    {"sni", Field::Sni, "a TLS server name"},
    {"port", Field::Port, "a port number"},
    {"scheme", Field::Scheme, "http, https, tls or tcp"},
    {"path", Field::Path, "a path such as /api?x=1"},
    {"method", Field::Method, "a method such as POST"},
    {"header", Field::Header, "'name: value' or name=value"},
    {"random", Field::Random, "a number"},
    {"--from", Field::From, "NS/WORKLOAD"},
    {"--gateway", Field::Via, "NS/GATEWAY"},
    {"--to", Field::To, "NS/WORKLOAD"},
    {"--mtls", Field::Mtls, ""},
    {"--host", Field::Host, "a host"},
    {"--sni", Field::Sni, "a TLS server name"},
    {"--port", Field::Port, "a port number"},
    {"--scheme", Field::Scheme, "http, https, tls or tcp"},
    {"--path", Field::Path, "a path such as /api?x=1"},
    {"--method", Field::Method, "a method such as POST"},
    {"-H", Field::Header, "'name: value'"},
    {"--header", Field::Header, "'name: value'"},
    {"--random-value", Field::Random, "a number"},
}};

const Keyword* keyword(std::string_view word) {
  for (const Keyword& k : kKeywords) {
    if (k.word == word) return &k;
  }
  return nullptr;
}

/// A word of capitals only (GET, POST, PURGE) before the target is the method.
bool isMethodWord(const Word& w) {
  if (w.quoted() || w.text.empty() || w.text.size() > 32) return false;
  return std::all_of(w.text.begin(), w.text.end(), isUpper);
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
  if (w.text[from] == '[') return fail(at(w, from), "IPv6 address literals are not supported; give the host name");
  if (to - from > 253) return fail(at(w, from + 253), std::string(what) + " is longer than 253 characters");
  for (size_t k = from; k < to; ++k) {
    const char c = w.text[k];
    if (isNameChar(c)) continue;
    if (c == '*') {
      return fail(at(w, k), "a request goes to one host, not a wildcard: write a name it covers (x.example.com for *.example.com)");
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      return fail(at(w, k), "a non-ASCII character in " + std::string(what) + ": write the name in its xn-- (punycode) form");
    }
    if (c == '@') return fail(at(w, k), "user information (user@host) is not supported");
    return fail(at(w, k), shown(c) + " is not allowed in " + std::string(what));
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
  for (size_t k = 0; k < p.size(); ++k) {
    if (isBlank(p[k])) return fail(at(w, from + k), "a blank in the path: write it as %20");
  }
  out = p.empty() || p[0] == '?' ? "/" + std::string(p) : std::string(p);
  return std::nullopt;
}

std::optional<ParsedLine> Parser::entry(const Word& w, EntryPoint::Kind kind, size_t clause_at) {
  const std::string_view what = kind == EntryPoint::Kind::Gateway ? "NS/GATEWAY" : "NS/WORKLOAD";
  const size_t slash = w.text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == w.text.size()) {
    const std::string_view example = kind == EntryPoint::Kind::Gateway   ? "istio-system/ingressgateway"
                                     : kind == EntryPoint::Kind::Inbound ? "shop/reviews"
                                                                         : "shop/web";
    return fail(at(w, slash == std::string::npos ? 0 : slash),
                "expected " + std::string(what) + ", e.g. " + std::string(example));
  }
  for (size_t k = 0; k < w.text.size(); ++k) {
    if (k == slash || isNameChar(w.text[k])) continue;
    return fail(at(w, k), shown(w.text[k]) + " is not allowed in " + std::string(what));
  }
  EntryPoint point{kind, w.text.substr(0, slash), w.text.substr(slash + 1)};
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
std::optional<ParsedLine> Parser::clause(size_t& i) {
  const Word& w = words_[i];
  const Keyword* kw = nullptr;
  Word value;
  bool has_value = false;
  const size_t eq = w.text.find('=');
  if (!w.quoted()) kw = keyword(w.text);
  // --flag=value, the flag part unquoted.
  if (kw == nullptr && w.text.rfind("--", 0) == 0 && eq != std::string::npos && eq < w.quoted_from) {
    kw = keyword(std::string_view(w.text).substr(0, eq));
    if (kw != nullptr) {
      value.text = w.text.substr(eq + 1);
      value.src.assign(w.src.begin() + static_cast<std::ptrdiff_t>(eq + 1), w.src.end());
      value.start = w.src[eq] + 1;
      value.end = w.end;
      if (w.quoted()) value.quoted_from = w.quoted_from - (eq + 1);
      has_value = true;
    }
  }
  if (kw == nullptr) {
    ++i;
    if (target_at_ == 0) {
      if (isMethodWord(w)) {
        if (auto e = setOnce(method_at_, w.start, "the method")) return e;
        got_.method = w.text;
        return std::nullopt;
      }
      if (!w.quoted() && (w.text == "http" || w.text == "https" || w.text == "tls" || w.text == "tcp")) {
        if (auto e = setOnce(scheme_at_, w.start, "the scheme")) return e;
        got_.scheme = schemeFromName(w.text);
        return std::nullopt;
      }
      return target(w);
    }
    if (isMethodWord(w)) return fail(w.start, "the method goes before the target: `" + w.text + " https://host/path`");
    std::string msg = "unexpected " + quoted(w.text);
    std::vector<std::string> near;
    if (!w.quoted() && w.text.size() <= 32) near = suggest(w.text, w.text.rfind('-', 0) == 0 ? lineFlags() : lineKeywords());
    if (!near.empty()) {
      msg += "; did you mean `" + near.front() + "`?";
    } else {
      msg += " after the target (column " + std::to_string(columnAt(line_, target_at_ - 1)) +
             "); clauses are from, via, to, mtls, host, sni, port, scheme, path, method, header, random";
    }
    return fail(w.start, msg);
  }
  if (kw->value.empty()) {  // a keyword without a value: mtls
    if (has_value) return fail(value.start, "`" + std::string(kw->word) + "` takes no value");
    i += 1;
    if (auto e = setOnce(mtls_at_, w.start, "mtls")) return e;
    got_.mtls = true;
    return std::nullopt;
  }
  if (!has_value) {
    if (i + 1 >= words_.size()) {
      return fail(w.end, "`" + std::string(kw->word) + "` needs a value: " + std::string(kw->value));
    }
    value = words_[i + 1];
    i += 2;
  } else {
    i += 1;
  }
  const Word& v = value;
  const size_t clause_at = w.start;  // duplicates and conflicts point at the clause
  switch (kw->field) {
    case Field::From: return entry(v, EntryPoint::Kind::Sidecar, clause_at);
    case Field::Via: return entry(v, EntryPoint::Kind::Gateway, clause_at);
    case Field::To: return entry(v, EntryPoint::Kind::Inbound, clause_at);
    case Field::Mtls: return std::nullopt;  // handled above
    case Field::Host: {
      std::string h;
      if (auto e = host(v, 0, v.text.size(), h, "the host")) return e;
      if (auto e = setOnce(host_at_, clause_at, "the host")) return e;
      got_.host = std::move(h);
      return std::nullopt;
    }
    case Field::Sni: {
      std::string h;
      if (auto e = host(v, 0, v.text.size(), h, "the SNI")) return e;
      if (auto e = setOnce(sni_at_, clause_at, "the SNI")) return e;
      got_.sni = std::move(h);
      return std::nullopt;
    }
    case Field::Port: {
      uint32_t p = 0;
      if (auto e = port(v, 0, v.text.size(), p)) return e;
      if (auto e = setOnce(port_at_, clause_at, "the port")) return e;
      got_.port = p;
      return std::nullopt;
    }
    case Field::Scheme: {
      std::optional<Scheme> s = schemeFromName(v.text);
      if (!s) return fail(at(v, 0), "unknown scheme " + quoted(v.text) + ": one of http, https, tls, tcp");
      if (auto e = setOnce(scheme_at_, clause_at, "the scheme")) return e;
      got_.scheme = s;
      return std::nullopt;
    }
    case Field::Path: {
      if (v.text.empty() || v.text[0] != '/') return fail(at(v, 0), "a path starts with /");
      std::string p;
      if (auto e = path(v, 0, p)) return e;
      if (auto e = setOnce(path_at_, clause_at, "the path")) return e;
      got_.path = std::move(p);
      return std::nullopt;
    }
    case Field::Method: {
      if (v.text.empty()) return fail(at(v, 0), "missing method name");
      for (size_t k = 0; k < v.text.size(); ++k) {
        if (!isTchar(v.text[k])) return fail(at(v, k), shown(v.text[k]) + " is not allowed in a method name");
      }
      if (auto e = setOnce(method_at_, clause_at, "the method")) return e;
      got_.method = v.text;
      return std::nullopt;
    }
    case Field::Header: {
      std::pair<std::string, std::string> h;
      if (std::optional<LineError> e = splitHeader(v.text, h)) return fail(at(v, e->column - 1), e->message);
      if (got_.headers.size() >= kMaxLineHeaders) {
        return fail(clause_at, "too many headers (at most " + std::to_string(kMaxLineHeaders) + " on one line)");
      }
      header_at_.push_back(clause_at);
      got_.headers.push_back(std::move(h));
      return std::nullopt;
    }
    case Field::Random: {
      if (v.text.empty()) return fail(at(v, 0), "missing random value");
      uint64_t r = 0;
      for (size_t k = 0; k < v.text.size(); ++k) {
        const char c = v.text[k];
        if (!isDigit(c)) return fail(at(v, k), "a random value is a non-negative number: " + quoted(v.text));
        const auto d = static_cast<uint64_t>(c - '0');
        if (r > (UINT64_MAX - d) / 10) return fail(at(v, 0), "random value " + quoted(v.text) + " is out of range (at most 18446744073709551615)");
        r = r * 10 + d;
      }
      if (auto e = setOnce(random_at_, clause_at, "the random value")) return e;
      got_.random = r;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

/// The line's fields over the defaults, and the checks that need both.
ParsedLine Parser::resolve() const {
  ParsedLine out;
  out.kind = ParsedLine::Kind::Request;
  RequestSpec& r = out.request;
  const size_t end = line_.size();
  if (got_.entry) {
    r.entry = *got_.entry;
    r.entry_column = columnAt(line_, entry_value_at_);
  } else if (defaults_.entry) {
    r.entry = *defaults_.entry;
  } else {
    return fail(end, "no entry point: add `via NS/GATEWAY`, `from NS/WORKLOAD` or `to NS/WORKLOAD` (or start with "
                     "--gateway, --from or --to)");
  }
  if (got_.deliver_to) {
    r.deliver_to = got_.deliver_to;
    r.deliver_column = columnAt(line_, deliver_value_at_);
  }
  r.mtls = got_.mtls.value_or(defaults_.mtls.value_or(false));
  if (r.mtls && r.entry.kind == EntryPoint::Kind::Sidecar) {
    return fail(mtls_at_ != 0 ? mtls_at_ - 1 : entry_at_ != 0 ? entry_at_ - 1 : 0,
                "mtls describes the connection arriving at a proxy: use it with `to` or `via` (behind `from`, the "
                "application speaks plaintext or its own TLS)");
  }
  r.scheme = got_.scheme.value_or(defaults_.scheme.value_or(Scheme::Http));
  if (!r.isHttp()) {
    const std::string scheme(schemeName(r.scheme));
    if (path_at_ != 0) return fail(path_at_ - 1, "a " + scheme + " request has no path (paths are HTTP)");
    if (method_at_ != 0) return fail(method_at_ - 1, "a " + scheme + " request has no method (methods are HTTP)");
    if (!header_at_.empty()) return fail(header_at_.front(), "a " + scheme + " request has no headers (headers are HTTP)");
  }
  if (sni_at_ != 0 && !r.isTls()) {
    return fail(sni_at_ - 1, "an SNI needs TLS: use https:// or tls (the scheme is " + std::string(schemeName(r.scheme)) + ")");
  }
  r.host = got_.host.value_or(defaults_.host.value_or(""));
  // The SNI: the line's, else (TLS only) the line's host, the command line's SNI, its host.
  if (got_.sni) {
    r.sni = *got_.sni;
  } else if (r.isTls()) {
    r.sni = got_.host ? *got_.host : defaults_.sni.value_or(r.host);
  }
  if (r.host.empty() && r.sni.empty() && r.entry.kind != EntryPoint::Kind::Inbound) {
    return fail(end, "no host: give one, e.g. `GET https://shop.example.com/` or `tls api.stripe.com:443`");
  }
  // A scheme on the line brings its own default port; otherwise the command line's port applies.
  const uint32_t scheme_port = r.scheme == Scheme::Http ? 80 : 443;
  r.port = got_.port ? *got_.port : got_.scheme ? scheme_port : defaults_.port.value_or(scheme_port);
  r.path = got_.path.value_or(defaults_.path.value_or("/"));
  r.method = got_.method.value_or(defaults_.method.value_or("GET"));
  for (const auto& h : defaults_.headers) {
    bool replaced = std::any_of(got_.headers.begin(), got_.headers.end(), [&](const auto& g) { return g.first == h.first; });
    if (!replaced) r.headers.push_back(h);
  }
  r.headers.insert(r.headers.end(), got_.headers.begin(), got_.headers.end());
  r.random = got_.random ? got_.random : defaults_.random;
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

}  // namespace

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
  const std::string n = lower(name.substr(0, 8));
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
  out = {lower(text.substr(0, sep)), std::string(value)};
  return std::nullopt;
}

ParsedLine parseRequestLine(std::string_view line, const RequestFields& defaults) {
  return Parser(line, defaults).run();
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
