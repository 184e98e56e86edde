#pragma once

// The request-line grammar of `istio-lint simulate -i` (docs/simulate.md, "Interactive prompt"):
// one line of text -> a prompt command, a complete request, or an error with its column.
//
//   [METHOD] [SCHEME] TARGET [CLAUSE]...        GET https://shop.example.com/api/cart
//   TARGET := [SCHEME://]HOST[:PORT][/PATH][?QUERY]   tls api.stripe.com:443 from payments/payments
//   CLAUSE := from NS/WORKLOAD | via NS/GATEWAY | to NS/WORKLOAD | mtls | host H | sni S | port N
//           | scheme S | path P | method M | header 'k: v' | random N
//           (or the flags: --from, --gateway, --to, --mtls, -H, ...)
//
// parseRequestLine() is a pure function: it never throws on bad input, its work is linear in the
// line (at most kMaxLineBytes bytes), and every error names the column it is about.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "cli/line_words.h"  // kMaxLineBytes, columnAt(), printable()

namespace istio_lint::cli {

/// Headers one request may carry (the line's and the defaults' together).
inline constexpr size_t kMaxLineHeaders = 64;

enum class Scheme : uint8_t { Http, Https, Tls, Tcp };
std::string_view schemeName(Scheme s);  // "http", "https", "tls", "tcp"
std::optional<Scheme> schemeFromName(std::string_view name);  // case-insensitive

struct EntryPoint {
  /// Inbound: the inbound side of a workload's sidecar (`to NS/WORKLOAD`, `simulate --to`).
  enum class Kind : uint8_t { Gateway, Sidecar, Inbound };
  Kind kind = Kind::Sidecar;
  std::string ns, name;
  std::string text() const { return ns + "/" + name; }
};

/// What a line (or the command line, for the defaults) says; unset fields are not given.
struct RequestFields {
  std::optional<EntryPoint> entry;
  std::optional<Scheme> scheme;
  std::optional<std::string> host, sni, path, method;
  std::optional<uint32_t> port;
  std::optional<uint64_t> random;
  std::optional<bool> mtls;  // `mtls`, --mtls
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case, in order
  /// `from A to B` / `via G to B` on one line, `--to B` beside `--from`/`--gateway`: B (an Inbound
  /// point), whose sidecar the trace follows into. A prompt's lines do not inherit it.
  std::optional<EntryPoint> deliver_to;
};

/// A complete request: a line's fields over the session's defaults.
struct RequestSpec {
  EntryPoint entry;
  size_t entry_column = 0;  // the column of the line's NS/NAME; 0: from the defaults
  Scheme scheme = Scheme::Http;
  std::string host, sni;
  uint32_t port = 0;
  std::string path = "/", method = "GET";
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<uint64_t> random;
  bool mtls = false;  // the connection arriving at the proxy is Istio mutual TLS (`mtls`, --mtls)
  /// `--to NS/NAME` beside `--from` or `--gateway` (a line's `to` beside `from` or `via`): the
  /// workload whose sidecar the trace follows the request into (an Inbound point); unset: none.
  std::optional<EntryPoint> deliver_to;
  size_t deliver_column = 0;  // the column of the line's `to` NS/NAME beside `from`/`via`
  bool isHttp() const { return scheme == Scheme::Http || scheme == Scheme::Https; }
  bool isTls() const { return scheme == Scheme::Https || scheme == Scheme::Tls; }
};

struct LineError {
  size_t column = 1;  // 1-based, in characters (UTF-8 code points; an invalid byte counts as one)
  std::string message;
};

struct ParsedLine {
  enum class Kind : uint8_t { Blank, Help, History, Quit, Request, Error };
  Kind kind = Kind::Blank;  // Blank: empty, only blanks, or a `#` comment
  RequestSpec request;      // Kind::Request
  LineError error;          // Kind::Error
};

/// Parses one line (without its line break; a trailing CR is ignored). `defaults` fill in what the
/// line does not say: the entry point, scheme, host, sni, port, path, method, random value and
/// mtls of the command line; its headers are sent unless the line sets a header of the same name.
/// A request to the inbound side of a sidecar (`to`) needs no host; `mtls` needs `to` or `via`.
/// `to` beside the line's own `from` or `via` (either order) is not an entry point but the
/// workload the request is followed into (RequestSpec::deliver_to).
ParsedLine parseRequestLine(std::string_view line, const RequestFields& defaults);

/// Why a request's fields make no request, and which field it is about.
struct FieldError {
  enum class Field : uint8_t { Entry, Mtls, Path, Method, Headers, Sni, Host };
  Field field = Field::Entry;
  std::string message;
};

/// `given` over `defaults`, as parseRequestLine() resolves a line (and `replay` a JSON record): the
/// request, or what is missing or contradictory. The columns of the result are 0.
std::variant<RequestSpec, FieldError> resolveRequest(const RequestFields& given, const RequestFields& defaults);

/// Why `host` is not a host name a request can carry (letters, digits, '-', '.', '_'; at most 253
/// characters; no wildcard, IPv6 literal or user information), at which byte; `what` names it in
/// the message ("the host", "the SNI"). nullopt when it is one. Empty is not checked here.
std::optional<LexError> checkHost(std::string_view host, std::string_view what);
/// Why `text` is not NS/NAME of an entry point of `kind` (two names of letters, digits, '-', '.',
/// '_' around one slash), at which byte; nullopt when it is.
std::optional<LexError> checkEntryPoint(std::string_view text, EntryPoint::Kind kind);
/// `text` as the entry point of `kind`; nullopt with `error` set (checkEntryPoint's) when it is not.
std::optional<EntryPoint> parseEntryPoint(std::string_view text, EntryPoint::Kind kind, LexError& error);
/// Why `path` (with its query) cannot be a request's path: a blank in it.
std::optional<LexError> checkPath(std::string_view path);

/// What a request line would refuse in fields that came another way (replay's JSON records and
/// access log entries): a host, SNI, path, method, header name or entry point the grammar does
/// not take, or a control character; nullopt when every field is one a request line could carry.
/// The message names the field and its value.
std::optional<std::string> checkFields(const RequestFields& fields);
/// A path as clients send it: without its fragment (`#...`).
std::string pathWithoutFragment(std::string_view path);

/// Splits a header given as `name: value` or `name=value` (-H, `header`): name lower-cased, value
/// without surrounding blanks. An error message (column relative to `text`) when it is not one.
std::optional<LineError> splitHeader(std::string_view text, std::pair<std::string, std::string>& out);

/// The words the grammar knows, for completion and suggestions.
const std::vector<std::string>& lineKeywords();   // from, via, to, mtls, host, sni, port, ...
const std::vector<std::string>& lineFlags();      // --from, --gateway, --to, --mtls, -H, ...
const std::vector<std::string>& lineCommands();   // help, history, quit, exit
const std::vector<std::string>& commonMethods();  // GET, POST, ...

}  // namespace istio_lint::cli
