#pragma once

// `serve --access-log`: one line per request in Istio's default access log format (the text
// format of meshConfig.accessLogFile), so `istio-lint replay --traffic` reads it back. The
// downstream local address names the gateway listener's port (what the model routes by), not the
// loopback port it is served on.

#include <cstdint>
#include <string>
#include <string_view>

#include "serve/http_codec.h"
#include "simulate/cluster.h"

namespace istio_lint::serve {

/// `status` 0: the connection was closed without a response. `flag`: Envoy's response flag ("NR",
/// "UF", ...), empty for none; `forwarded`: an upstream (real or built-in) answered.
std::string accessLogLine(const HttpMessage& request, unsigned status, std::string_view flag, bool forwarded,
                          const simulate::Cluster* cluster, std::string_view route, uint32_t listener_port,
                          size_t bytes_sent, int64_t duration_us);

/// A TLS passthrough connection, as Envoy logs a tcp_proxy: `"- - -" 0`, the bytes each way, the
/// cluster and the requested server name. `relayed`: the upstream connection was made; otherwise
/// the flag is NR (no chain or cluster took the SNI) or UF (the upstream was not named, or the
/// connection to it failed).
std::string tcpAccessLogLine(std::string_view sni, const simulate::Cluster* cluster, uint32_t listener_port,
                             size_t bytes_received, size_t bytes_sent, int64_t duration_us, bool relayed);

}  // namespace istio_lint::serve
