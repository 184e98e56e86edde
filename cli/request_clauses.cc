// The keyword clauses of a request line (from, via, to, mtls, host, sni, port, scheme, path,
// method, header, random, and their command-line spellings): cli/request_line.h.

#include <algorithm>
#include <array>

#include "cli/commands.h"
#include "cli/request_line_parser.h"

namespace istio_lint::cli::request_line {
namespace {

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

}  // namespace

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
    case Field::Host:
    case Field::Sni: {
      const bool sni = kw->field == Field::Sni;
      const std::string_view what = sni ? "the SNI" : "the host";
      std::string h;
      if (auto e = host(v, 0, v.text.size(), h, what)) return e;
      if (auto e = setOnce(sni ? sni_at_ : host_at_, clause_at, what)) return e;
      (sni ? got_.sni : got_.host) = std::move(h);
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

}  // namespace istio_lint::cli::request_line
