#pragma once

// One line of `istio-lint replay --traffic FILE` -> a request to decide, what the line expects of
// it, and what the proxy recorded for it (docs/replay.md). Each line is one of:
//
// - a request line, as `simulate -i` reads them: `GET https://shop.example.com/api via ns/gw`;
// - a JSON object with simulate's fields: {"gateway": "ns/gw", "host": "shop.example.com",
//   "path": "/api", ...}, optionally with "expect": {"cluster": ..., "route": ..., ...};
// - an Envoy access log entry in Istio's default text format, or its JSON encoding
//   (`accessLogEncoding: JSON`): the request it logged, entering at the proxy --gateway or --from
//   names (a log does not say which proxy wrote it), with the logged cluster and response code.
//
// parseTrafficLine() is a pure function of the line and the defaults; it never throws, and its
// work is linear in the line (at most kMaxLineBytes bytes).
//
// Access log entries are read by cli/access_log.h; a YAML file of tests is read whole instead,
// by cli/traffic_tests.h.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/request_line.h"

namespace istio_lint::cli {

/// What a JSON record's "expect" asks of the decision. Each field is checked when given; an empty
/// string expects no value (no error, no cluster).
struct Expectation {
  std::optional<std::string> cluster;       // the cluster of the last hop
  std::optional<std::string> route;         // the route the entry proxy chose: its name, or NS/NAME of its VirtualService
  std::optional<std::string> virtual_host;  // the virtual host of the entry proxy
  std::optional<std::string> error;         // the last hop's error as Envoy names it ("404 NR"), "" for none
  std::optional<std::string> exit;          // "direct", "egress-gateway NS/NAME" or "none"
};

/// What an access log entry says the proxy did.
struct Recorded {
  std::string cluster;  // %UPSTREAM_CLUSTER%; empty for "-"
  std::string route;    // %ROUTE_NAME%; empty for "-"
  uint32_t response_code = 0;  // 0 for a TCP connection ("-" or 0)
};

struct TrafficLine {
  /// Ignored: under TrafficFormat::AccessLog, a line that is not an access log entry.
  enum class Kind : uint8_t { Blank, Request, Error, Ignored };
  enum class Format : uint8_t { RequestLine, Json, AccessLog, AccessLogJson };
  Kind kind = Kind::Blank;
  Format format = Format::RequestLine;
  RequestSpec request;                    // Kind::Request
  std::string name;                       // a YAML test's name
  std::optional<Expectation> expect;      // a JSON record's "expect"
  std::optional<Recorded> recorded;       // an access log entry's outcome
  LineError error;                        // Kind::Error
};

/// Auto: each line is whichever of the forms it is. AccessLog: the traffic is a proxy's log
/// (`kubectl logs`), where access log entries sit among the proxy's own messages: a line that is
/// not an entry (text or JSON) is Ignored rather than an error.
enum class TrafficFormat : uint8_t { Auto, AccessLog };

/// Parses one line (without its line break). `defaults` are the command line's --gateway/--from,
/// --host, --port, ... as for `simulate -i`; an access log entry takes only its entry point from them.
TrafficLine parseTrafficLine(std::string_view line, const RequestFields& defaults,
                             TrafficFormat format = TrafficFormat::Auto);

/// A traffic line that is an error at `column`, and one that is Ignored.
TrafficLine trafficError(size_t column, std::string message);
TrafficLine trafficIgnored();

/// "unknown field \"hots\"; did you mean \"host\"?", or the list of `known` when nothing is close.
std::string unknownFieldMessage(std::string_view what, const std::string& key, const std::vector<std::string>& known);

/// A JSON object with simulate's fields and an optional "expect" (what a `{` line holds).
TrafficLine parseTrafficRecord(const nlohmann::json& record, const RequestFields& defaults);


}  // namespace istio_lint::cli
