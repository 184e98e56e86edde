#include "serve/access_log.h"

#include <ctime>

namespace istio_lint::serve {
namespace {

std::string orDash(std::string_view s) { return s.empty() ? "-" : std::string(s); }

/// Envoy's %RESPONSE_CODE_DETAILS% for the answers serve gives.
std::string_view details(std::string_view flag, bool forwarded) {
  if (flag == "NR") return "route_not_found";
  if (flag == "NC") return "cluster_not_found";
  if (flag == "UH") return "no_healthy_upstream";
  if (flag == "FI") return "fault_filter_abort";
  if (flag == "UF") return "upstream_reset_before_response_started{connection_failure}";
  if (flag == "UC") return "upstream_reset_before_response_started{connection_termination}";
  if (flag == "UT") return "response_timeout";
  if (flag == "DPE") return "http1.codec_error";
  return forwarded ? "via_upstream" : "direct_response";
}

/// "[2026-12-07T04:12:58.040Z] "
std::string startTime() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  tm utc{};
  gmtime_r(&ts.tv_sec, &utc);
  char start[40];
  std::strftime(start, sizeof start, "%Y-%m-%dT%H:%M:%S", &utc);
  std::string line = "[";
  line += start;
  line += '.';
  const long ms = ts.tv_nsec / 1000000;
  line += static_cast<char>('0' + ms / 100);
  line += static_cast<char>('0' + ms / 10 % 10);
  line += static_cast<char>('0' + ms % 10);
  line += "Z] ";
  return line;
}

/// " RECEIVED SENT DURATION_MS - " (the upstream service time is never known here).
void appendCounts(std::string& line, size_t received, size_t sent, int64_t duration_us) {
  line += std::to_string(received);
  line += ' ';
  line += std::to_string(sent);
  line += ' ';
  line += std::to_string(duration_us / 1000);
  line += " - ";
}

/// "UPSTREAM_CLUSTER UPSTREAM_LOCAL DOWNSTREAM_LOCAL DOWNSTREAM_REMOTE SNI ROUTE\n".
void appendTail(std::string& line, const simulate::Cluster* cluster, uint32_t listener_port, std::string_view sni,
                std::string_view route) {
  line += cluster != nullptr ? cluster->name : "-";
  line += " - 127.0.0.1:";
  line += std::to_string(listener_port);
  line += " 127.0.0.1:0 ";
  line += orDash(sni);
  line += ' ';
  line += orDash(route);
  line += '\n';
}

}  // namespace

std::string accessLogLine(const HttpMessage& request, unsigned status, std::string_view flag, bool forwarded,
                          const simulate::Cluster* cluster, std::string_view route, uint32_t listener_port,
                          size_t bytes_sent, int64_t duration_us) {
  std::string line = startTime();
  line += '"';
  line += orDash(request.method);
  line += ' ';
  line += orDash(request.target);
  line += " HTTP/1.1\" ";
  line += std::to_string(status);
  line += ' ';
  line += orDash(flag);
  line += ' ';
  line += details(flag, forwarded);
  line += " - \"-\" ";
  appendCounts(line, request.body.size(), bytes_sent, duration_us);
  line += '"';
  line += orDash(request.header("x-forwarded-for"));
  line += "\" \"";
  line += orDash(request.header("user-agent"));
  line += "\" \"";
  line += orDash(request.header("x-request-id"));
  line += "\" \"";
  line += orDash(request.header("host"));
  line += "\" \"-\" ";
  appendTail(line, cluster, listener_port, {}, route);
  return line;
}

std::string tcpAccessLogLine(std::string_view sni, const simulate::Cluster* cluster, uint32_t listener_port,
                             size_t bytes_received, size_t bytes_sent, int64_t duration_us, bool relayed) {
  std::string line = startTime();
  line += "\"- - -\" 0 ";
  line += relayed ? "- -" : cluster == nullptr ? "NR filter_chain_not_found" : "UF -";
  line += " - \"-\" ";
  appendCounts(line, bytes_received, bytes_sent, duration_us);
  line += "\"-\" \"-\" \"-\" \"-\" \"-\" ";
  appendTail(line, cluster, listener_port, sni, {});
  return line;
}

}  // namespace istio_lint::serve
