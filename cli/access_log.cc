#include "cli/access_log.h"

#include <charconv>
#include <vector>

#include "cli/line_words.h"
#include "model/port_number.h"

namespace istio_lint::cli {
namespace {

using nlohmann::json;

using model::parsePortNumber;

/// The request of an access log entry, entering where the command line says.
TrafficLine fromLogFields(std::string_view method, std::string_view path, std::string_view authority,
                          std::string_view sni, std::string_view local_address, const RequestFields& defaults,
                          Recorded recorded, TrafficLine::Format format) {
  if (!defaults.entry) {
    return trafficError(1, "an access log entry does not say which proxy wrote it: give --gateway NS/NAME or "
                           "--from NS/WORKLOAD");
  }
  auto unset = [](std::string_view v) { return v.empty() || v == "-"; };
  RequestFields given;
  const bool http = !unset(method);
  const bool tls = !unset(sni);
  given.scheme = http ? (tls ? Scheme::Https : Scheme::Http) : (tls ? Scheme::Tls : Scheme::Tcp);
  if (tls) given.sni = std::string(sni);
  if (!unset(authority)) {
    std::string_view host = authority;
    const size_t colon = host.rfind(':');
    if (colon != std::string_view::npos && host.find(']') == std::string_view::npos && parsePortNumber(host.substr(colon + 1))) {
      host = host.substr(0, colon);
    }
    given.host = std::string(host);
  }
  if (http) {
    given.method = std::string(method);
    std::string p = unset(path) ? std::string("/") : pathWithoutFragment(path);
    if (!p.starts_with('/')) return trafficError(1, "the logged path \"" + p + "\" does not start with /");
    given.path = std::move(p);
  }
  // %DOWNSTREAM_LOCAL_ADDRESS%: the address the connection reached, so its port is the listener's.
  // A TCP connection without a server name is known by that address alone.
  const size_t colon = local_address.rfind(':');
  if (colon != std::string_view::npos) {
    std::optional<uint32_t> port = parsePortNumber(local_address.substr(colon + 1));
    if (!port) return trafficError(1, "the downstream local address \"" + std::string(local_address) + "\" has no port");
    given.port = *port;
    if (!given.host && !tls) given.host = std::string(local_address.substr(0, colon));
  }
  RequestFields entry_only;
  entry_only.entry = defaults.entry;
  entry_only.deliver_to = defaults.deliver_to;
  entry_only.random = defaults.random;
  entry_only.mtls = defaults.mtls;
  if (!given.port) entry_only.port = defaults.port;
  // A sidecar logs the calls it receives too: an entry with an inbound cluster arrived at the
  // workload's inbound side, on the port it reached, from a caller in the mesh (Istio mTLS).
  if (defaults.entry->kind == EntryPoint::Kind::Sidecar && recorded.cluster.starts_with("inbound|")) {
    entry_only.entry = EntryPoint{EntryPoint::Kind::Inbound, defaults.entry->ns, defaults.entry->name};
    entry_only.deliver_to.reset();
    given.mtls = true;
    // Its server name is Istio's mTLS SNI (outbound_.9080_._.reviews...), not the application's.
    given.scheme = http ? Scheme::Http : Scheme::Tcp;
    given.sni.reset();
  }
  if (std::optional<std::string> problem = checkFields(given)) return trafficError(1, *problem);
  std::variant<RequestSpec, FieldError> r = resolveRequest(given, entry_only);
  if (const FieldError* e = std::get_if<FieldError>(&r)) return trafficError(1, e->message);
  TrafficLine t;
  t.kind = TrafficLine::Kind::Request;
  t.format = format;
  t.request = std::move(std::get<RequestSpec>(r));
  t.recorded = std::move(recorded);
  return t;
}

}  // namespace

TrafficLine parseAccessLogText(std::string_view line, const RequestFields& defaults, bool log_only) {
  struct Token {
    std::string_view text;
    bool quoted = false;
  };
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t') {
      ++i;
      continue;
    }
    const char close = c == '"' ? '"' : c == '[' ? ']' : '\0';
    if (close != '\0') {
      const size_t end = line.find(close, i + 1);
      if (end == std::string_view::npos) {
        if (log_only) return trafficIgnored();
        return trafficError(columnAt(line, i), std::string("unterminated ") + (c == '"' ? "quoted field" : "[timestamp]"));
      }
      tokens.push_back({line.substr(i + 1, end - i - 1), c == '"'});
      i = end + 1;
      continue;
    }
    const size_t end = line.find_first_of(" \t", i);
    tokens.push_back({line.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i), false});
    i = end == std::string_view::npos ? line.size() : end;
  }
  const size_t n = tokens.size();
  if (n < 11 || !tokens[1].quoted || !tokens[n - 7].quoted || !tokens[n - 8].quoted) {
    // The proxy's own messages: "[2026-12-01 09:00:00.000][15][warning][config] ...".
    if (log_only) return trafficIgnored();
    return trafficError(1, "not an access log entry in Istio's default format ([START] \"METHOD PATH PROTOCOL\" "
                           "CODE ... \"AUTHORITY\" \"UPSTREAM_HOST\" UPSTREAM_CLUSTER ... ROUTE_NAME)");
  }
  std::string_view request = tokens[1].text;
  std::string_view method = request.substr(0, request.find(' '));
  std::string_view path;
  if (const size_t sp = request.find(' '); sp != std::string_view::npos) {
    path = request.substr(sp + 1);
    path = path.substr(0, path.rfind(' '));
  }
  Recorded rec;
  if (tokens[n - 6].text != "-") rec.cluster = std::string(tokens[n - 6].text);
  if (tokens[n - 1].text != "-") rec.route = std::string(tokens[n - 1].text);
  std::from_chars(tokens[2].text.data(), tokens[2].text.data() + tokens[2].text.size(), rec.response_code);
  return fromLogFields(method, path, tokens[n - 8].text, tokens[n - 2].text, tokens[n - 4].text, defaults, std::move(rec),
                       TrafficLine::Format::AccessLog);
}

namespace {

/// A string member of a JSON object, or "" when absent or null. False when it is another type.
bool stringField(const json& obj, const char* key, std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return true;
  if (!it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

}  // namespace

bool isAccessLogJson(const json& obj) {
  return obj.contains("upstream_cluster") || obj.contains("authority") || obj.contains("downstream_local_address");
}

TrafficLine parseAccessLogJson(const json& obj, const RequestFields& defaults) {
  std::string method, path, authority, sni, local, cluster, route;
  for (auto [key, out] : {std::pair{"method", &method}, {"path", &path}, {"authority", &authority},
                          {"requested_server_name", &sni}, {"downstream_local_address", &local},
                          {"upstream_cluster", &cluster}, {"route_name", &route}}) {
    if (!stringField(obj, key, *out)) return trafficError(1, std::string("\"") + key + "\" is not a string");
  }
  Recorded rec;
  rec.cluster = cluster == "-" ? "" : cluster;
  rec.route = route == "-" ? "" : route;
  if (auto it = obj.find("response_code"); it != obj.end() && it->is_number_unsigned()) {
    rec.response_code = it->get<uint32_t>();
  }
  return fromLogFields(method, path, authority, sni, local, defaults, std::move(rec), TrafficLine::Format::AccessLogJson);
}

}  // namespace istio_lint::cli
