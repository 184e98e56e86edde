// Bytes through the request-line parser of `simulate -i` (cli/request_line.h), the traffic lines
// of `replay` (cli/replay_traffic.h: request lines, JSON records, access log entries, and the
// bytes as a YAML file of tests) and tab completion: whatever the bytes, parsing returns a
// command, a complete request or an error with a column inside the line, the same answer twice; a
// request written back as a canonical line parses to the same request; completion returns
// candidates that fit the word being completed.
#include <string>
#include <vector>

#include "cli/replay.h"
#include "cli/replay_traffic.h"
#include "cli/traffic_tests.h"
#include "cli/request_line.h"
#include "cli/simulate_completion.h"
#include "fuzz/harness.h"

namespace {

using namespace istio_lint::cli;
using istio_lint::fuzz::require;

/// Every ASCII character that is not a letter or digit escaped with a backslash: one word,
/// whatever it holds. The bytes of UTF-8 characters stay as they are (a backslash between them
/// would make the line invalid UTF-8).
std::string word(std::string_view s) {
  std::string out;
  for (char c : s) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       static_cast<unsigned char>(c) >= 0x80;
    if (!plain) out += '\\';
    out += c;
  }
  return out.empty() ? "''" : out;
}

/// The request as a line that says everything explicitly, in the clause forms.
std::string canonical(const RequestSpec& r) {
  std::string l = "scheme " + std::string(schemeName(r.scheme));
  const char* clause = r.entry.kind == EntryPoint::Kind::Gateway   ? " via "
                       : r.entry.kind == EntryPoint::Kind::Inbound ? " to "
                                                                   : " from ";
  l += clause + word(r.entry.ns) + "/" + word(r.entry.name);
  if (r.mtls) l += " mtls";
  if (!r.host.empty()) l += " host " + word(r.host);
  if (r.isTls() && !r.sni.empty()) l += " sni " + word(r.sni);  // inbound TLS may have none
  l += " port " + std::to_string(r.port);
  if (r.isHttp()) {
    l += " path " + word(r.path) + " method " + word(r.method);
    for (const auto& [k, v] : r.headers) l += " header " + word(k + ":" + v);
  }
  if (r.random) l += " random " + std::to_string(*r.random);
  return l;
}

bool sameRequest(const RequestSpec& a, const RequestSpec& b) {
  return a.entry.kind == b.entry.kind && a.entry.ns == b.entry.ns && a.entry.name == b.entry.name &&
         a.mtls == b.mtls && a.scheme == b.scheme && a.host == b.host && a.sni == b.sni && a.port == b.port &&
         (!a.isHttp() || (a.path == b.path && a.method == b.method && a.headers == b.headers)) && a.random == b.random;
}

bool isTchar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

void check(std::string_view line, const RequestFields& defaults) {
  const ParsedLine p = parseRequestLine(line, defaults);
  const ParsedLine again = parseRequestLine(line, defaults);
  require(p.kind == again.kind && p.error.column == again.error.column && p.error.message == again.error.message,
          "parsing the same line twice gave different answers");
  const size_t width = columnAt(line, line.size());  // characters + 1
  switch (p.kind) {
    case ParsedLine::Kind::Error:
      require(!p.error.message.empty(), "an error without a message");
      require(p.error.column >= 1 && p.error.column <= width, "an error's column is outside the line");
      require(printable(line).size() >= width - 1, "printable() lost characters");
      break;
    case ParsedLine::Kind::Request: {
      const RequestSpec& r = p.request;
      require(!r.host.empty() || !r.sni.empty() || r.entry.kind == EntryPoint::Kind::Inbound,
              "an outbound request without host or SNI");
      require(!r.mtls || r.entry.kind != EntryPoint::Kind::Sidecar, "mtls on a request leaving a sidecar");
      require(r.port >= 1 && r.port <= 65535, "a port out of range");
      require(!r.entry.ns.empty() && !r.entry.name.empty(), "an entry point without namespace or name");
      require(!r.isHttp() || (!r.path.empty() && r.path[0] == '/'), "an HTTP path that does not start with /");
      require(!r.method.empty(), "an empty method");
      require(r.isTls() || r.sni.empty(), "an SNI on a plaintext request");
      require(r.entry_column <= width, "the entry point's column is outside the line");
      for (const auto& [k, v] : r.headers) {
        require(!k.empty(), "a header without a name");
        for (char c : k) require(isTchar(c), "a header name with a character outside tchar or in capitals");
      }
      // The canonical line says every header; more than one line may carry (the line's plus the
      // defaults') do not fit in one.
      const std::string again_line = canonical(r);
      if (again_line.size() <= kMaxLineBytes && r.headers.size() <= kMaxLineHeaders) {
        const ParsedLine round = parseRequestLine(again_line, {});
        require(round.kind == ParsedLine::Kind::Request, "the canonical line of a request does not parse");
        require(sameRequest(r, round.request), "the canonical line of a request parses to another request");
      }
      break;
    }
    case ParsedLine::Kind::Blank:
    case ParsedLine::Kind::Help:
    case ParsedLine::Kind::History:
    case ParsedLine::Kind::Quit: break;
  }
}

/// A traffic line of `replay`: deterministic, errors inside the line, requests complete.
void checkTraffic(std::string_view line, const RequestFields& defaults, TrafficFormat format = TrafficFormat::Auto) {
  const TrafficLine t = parseTrafficLine(line, defaults, format);
  const TrafficLine again = parseTrafficLine(line, defaults, format);
  require(format == TrafficFormat::AccessLog || t.kind != TrafficLine::Kind::Ignored,
          "a line ignored outside --format log");
  require(t.kind == again.kind && t.error.column == again.error.column && t.error.message == again.error.message,
          "parsing the same traffic line twice gave different answers");
  if (t.kind == TrafficLine::Kind::Error) {
    require(!t.error.message.empty(), "a traffic error without a message");
    require(t.error.column >= 1 && t.error.column <= columnAt(line, line.size()), "a traffic error's column is outside the line");
  }
  if (t.kind == TrafficLine::Kind::Request) {
    const RequestSpec& r = t.request;
    require(!r.entry.ns.empty() && !r.entry.name.empty(), "a traffic request without an entry point");
    require(!r.host.empty() || !r.sni.empty() || r.entry.kind == EntryPoint::Kind::Inbound,
            "an outbound traffic request without host or SNI");
    require(r.port >= 1 && r.port <= 65535, "a traffic request's port out of range");
    require(!r.isHttp() || (!r.path.empty() && r.path[0] == '/'), "a traffic request's path does not start with /");
    require(r.headers.size() <= 2 * kMaxLineHeaders, "more headers than a line and its defaults carry");
    require(!t.recorded || t.format == TrafficLine::Format::AccessLog || t.format == TrafficLine::Format::AccessLogJson,
            "a recorded outcome from a line that is not an access log entry");
    require(format != TrafficFormat::AccessLog || t.recorded, "--format log took a line that is not an access log entry");
    // Written back as a request line (replay's examples, -o jsonl), it is the same request. A TLS
    // request without SNI (inbound) has no line of its own: a line's TLS host is its SNI.
    if (!(r.isTls() && r.sni.empty()) && r.headers.size() <= kMaxLineHeaders) {
      const std::string back = requestLine(r);
      if (back.size() <= kMaxLineBytes) {
        const ParsedLine p = parseRequestLine(back, {});
        require(p.kind == ParsedLine::Kind::Request, "a traffic request written back as a request line does not parse");
        require(sameRequest(r, p.request) && r.mtls == p.request.mtls,
                "a traffic request written back as a request line parses to another request");
      }
    }
  }
}

/// The same bytes as a YAML file of tests: every entry is a request or an error, twice the same.
void checkTests(std::string_view bytes, const RequestFields& defaults) {
  const auto tests = parseTrafficTests(bytes, defaults);
  const auto again = parseTrafficTests(bytes, defaults);
  require(tests.size() == again.size(), "parsing the same tests twice gave different answers");
  for (size_t i = 0; i < tests.size(); ++i) {
    const TrafficLine& t = tests[i].second;
    require(t.kind == again[i].second.kind && t.error.message == again[i].second.error.message,
            "parsing the same tests twice gave different answers");
    require(t.kind != TrafficLine::Kind::Blank, "a test that is neither a request nor an error");
    require(t.kind != TrafficLine::Kind::Error || !t.error.message.empty(), "a test's error without a message");
    if (t.kind == TrafficLine::Kind::Request) {
      require(!t.request.entry.ns.empty() && !t.request.entry.name.empty(), "a test's request without an entry point");
      require(t.request.port >= 1 && t.request.port <= 65535, "a test's port out of range");
    }
  }
}

}  // namespace

ISTIO_LINT_FUZZ_TARGET(bytes) {
  checkTraffic(bytes, {});
  check(bytes, {});
  RequestFields d;
  d.entry = EntryPoint{EntryPoint::Kind::Gateway, "istio-system", "ingressgateway"};
  d.scheme = Scheme::Https;
  d.host = "shop.example.com";
  d.port = 8443;
  d.path = "/default";
  d.method = "GET";
  d.headers = {{"x-canary", "true"}};
  d.random = 7;
  check(bytes, d);
  checkTraffic(bytes, d);
  checkTraffic(bytes, d, TrafficFormat::AccessLog);
  checkTests(bytes, d);
  // An inbound session: no host needed, mtls from the command line.
  RequestFields in;
  in.entry = EntryPoint{EntryPoint::Kind::Inbound, "shop", "reviews"};
  in.port = 9080;
  in.mtls = true;
  check(bytes, in);

  static const CompletionIndex index{
      {"api.stripe.com", "reviews", "shop.example.com"}, {"istio-system/public-gw"}, {"payments/payments", "shop/web"}};
  const Completion c = complete(index, bytes);
  require(c.word_start <= bytes.size(), "the completed word starts past the cursor");
  for (const std::string& cand : c.candidates) {
    require(!cand.empty(), "an empty completion candidate");
  }
  const std::string prefix = commonPrefix(c.candidates);
  for (const std::string& cand : c.candidates) require(cand.compare(0, prefix.size(), prefix) == 0, "commonPrefix is not a prefix");
}
