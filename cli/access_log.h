#pragma once

// Envoy access log entries, in Istio's default text format and in its JSON encoding (meshConfig
// accessLogEncoding: JSON), as traffic for `istio-lint replay` (docs/replay.md): the request an
// entry logged, entering at the proxy the command line names (a log does not say which proxy
// wrote it), and what the proxy recorded for it (cluster, route, response code).
//
// The text format is read from its end, where the fields replay needs are:
//   [START] "METHOD PATH PROTOCOL" CODE FLAGS ... "AUTHORITY" "UPSTREAM_HOST" UPSTREAM_CLUSTER
//   UPSTREAM_LOCAL DOWNSTREAM_LOCAL DOWNSTREAM_REMOTE REQUESTED_SERVER_NAME ROUTE_NAME
// so that the older default formats (without the response code details) read the same. The port
// comes from DOWNSTREAM_LOCAL (the listener's), the SNI from REQUESTED_SERVER_NAME (then the
// request is TLS). Every field is held to the request-line grammar (checkFields).

#include <nlohmann/json.hpp>

#include <string_view>

#include "cli/replay_traffic.h"

namespace istio_lint::cli {

/// A line starting with `[`. With `log_only` (--format log), a line that is not shaped like an
/// entry (the proxy's own messages) is Ignored instead of an error.
TrafficLine parseAccessLogText(std::string_view line, const RequestFields& defaults, bool log_only);

/// Whether a JSON object is an access log entry (it has upstream_cluster, authority or
/// downstream_local_address) rather than a record with simulate's fields.
bool isAccessLogJson(const nlohmann::json& obj);
TrafficLine parseAccessLogJson(const nlohmann::json& obj, const RequestFields& defaults);

}  // namespace istio_lint::cli
