#include "cli/replay_traffic.h"

#include <nlohmann/json.hpp>

#include <vector>

#include "cli/access_log.h"
#include "cli/commands.h"
#include "cli/line_words.h"
#include "model/ascii.h"

namespace istio_lint::cli {

TrafficLine trafficError(size_t column, std::string message) {
  TrafficLine t;
  t.kind = TrafficLine::Kind::Error;
  t.error = {column, std::move(message)};
  return t;
}

TrafficLine trafficIgnored() {
  TrafficLine t;
  t.kind = TrafficLine::Kind::Ignored;
  return t;
}

namespace {

using nlohmann::json;

/// A header value as a request line gives it: without surrounding blanks.
std::string trimBlanks(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return std::string(v);
}

const std::vector<std::string>& recordKeys() {
  static const std::vector<std::string> k{"expect", "from",   "gateway", "headers", "host", "method", "mtls",
                                          "path",   "port",   "random_value", "scheme", "sni", "to", "via"};
  return k;
}

const std::vector<std::string>& expectKeys() {
  static const std::vector<std::string> k{"cluster", "error", "exit", "route", "virtual_host"};
  return k;
}

}  // namespace

std::string unknownFieldMessage(std::string_view what, const std::string& key, const std::vector<std::string>& known) {
  std::string msg = "unknown " + std::string(what) + " \"" + key + "\"";
  std::vector<std::string> near = suggest(key, known);
  if (!near.empty()) return msg + "; did you mean \"" + near.front() + "\"?";
  std::string all;
  for (const std::string& k : known) all += (all.empty() ? "" : ", ") + k;
  return msg + " (known: " + all + ")";
}

namespace {


}  // namespace

TrafficLine parseTrafficRecord(const json& obj, const RequestFields& defaults) {
  if (!obj.is_object()) return trafficError(1, "not a JSON object");
  RequestFields given;
  std::optional<Expectation> expect;
  std::string via, from, to;
  for (const auto& item : obj.items()) {
    const std::string& key = item.key();
    const json& value = item.value();
    auto mustString = [&](std::string& out) -> std::optional<TrafficLine> {
      if (!value.is_string()) return trafficError(1, "\"" + key + "\" must be a string");
      out = value.get<std::string>();
      return std::nullopt;
    };
    std::optional<TrafficLine> bad;
    std::string s;
    if (key == "gateway" || key == "via") {
      bad = mustString(via);
    } else if (key == "from") {
      bad = mustString(from);
    } else if (key == "to") {
      bad = mustString(to);
    } else if (key == "host") {
      if (!(bad = mustString(s))) given.host = s;
    } else if (key == "sni") {
      if (!(bad = mustString(s))) given.sni = s;
    } else if (key == "path") {
      if (!(bad = mustString(s)) && !s.starts_with('/')) bad = trafficError(1, "\"path\" must start with /");
      if (!bad) given.path = pathWithoutFragment(s);
    } else if (key == "method") {
      if (!(bad = mustString(s)) && s.empty()) bad = trafficError(1, "\"method\" is empty");
      if (!bad) given.method = s;
    } else if (key == "scheme") {
      if (!(bad = mustString(s))) {
        given.scheme = schemeFromName(s);
        if (!given.scheme) bad = trafficError(1, "\"scheme\" must be http, https, tls or tcp, not \"" + s + "\"");
      }
    } else if (key == "port") {
      if (!value.is_number_unsigned() || value.get<uint64_t>() == 0 || value.get<uint64_t>() > 65535) {
        bad = trafficError(1, "\"port\" must be a number from 1 to 65535");
      } else {
        given.port = value.get<uint32_t>();
      }
    } else if (key == "random_value") {
      if (!value.is_number_unsigned()) bad = trafficError(1, "\"random_value\" must be a non-negative integer");
      else given.random = value.get<uint64_t>();
    } else if (key == "mtls") {
      if (!value.is_boolean()) bad = trafficError(1, "\"mtls\" must be true or false");
      else given.mtls = value.get<bool>();
    } else if (key == "headers") {
      if (!value.is_object()) bad = trafficError(1, "\"headers\" must be an object of \"name\": \"value\"");
      for (const auto& [name, v] : value.items()) {
        if (bad) break;
        if (!v.is_string()) bad = trafficError(1, "header \"" + name + "\" must have a string value");
        else if (given.headers.size() >= kMaxLineHeaders) bad = trafficError(1, "more than " + std::to_string(kMaxLineHeaders) + " headers");
        else given.headers.emplace_back(model::asciiLower(name), trimBlanks(v.get<std::string>()));
      }
    } else if (key == "expect") {
      if (!value.is_object()) {
        bad = trafficError(1, "\"expect\" must be an object (cluster, route, virtual_host, error, exit)");
      } else {
        Expectation& e = expect.emplace();
        for (const auto& [what, v] : value.items()) {
          if (bad) break;
          std::optional<std::string>* field = what == "cluster"        ? &e.cluster
                                              : what == "route"        ? &e.route
                                              : what == "virtual_host" ? &e.virtual_host
                                              : what == "error"        ? &e.error
                                              : what == "exit"         ? &e.exit
                                                                       : nullptr;
          if (field == nullptr) bad = trafficError(1, unknownFieldMessage("expectation", what, expectKeys()));
          else if (!v.is_string() && !v.is_null()) bad = trafficError(1, "expect \"" + what + "\" must be a string or null");
          else *field = v.is_null() ? std::string() : v.get<std::string>();
        }
      }
    } else {
      bad = trafficError(1, unknownFieldMessage("field", key, recordKeys()));
    }
    if (bad) return *bad;
  }
  if (!via.empty() && !from.empty()) return trafficError(1, "give one of \"gateway\" and \"from\", not both");
  const std::string& who = !via.empty() ? via : from;
  if (!who.empty()) {
    LexError e;
    given.entry = parseEntryPoint(who, !via.empty() ? EntryPoint::Kind::Gateway : EntryPoint::Kind::Sidecar, e);
    if (!given.entry) return trafficError(1, "\"" + who + "\": " + e.message);
  }
  if (!to.empty()) {
    LexError e;
    std::optional<EntryPoint> point = parseEntryPoint(to, EntryPoint::Kind::Inbound, e);
    if (!point) return trafficError(1, "\"" + to + "\": " + e.message);
    (given.entry ? given.deliver_to : given.entry) = point;
  }
  if (std::optional<std::string> problem = checkFields(given)) return trafficError(1, *problem);
  std::variant<RequestSpec, FieldError> r = resolveRequest(given, defaults);
  if (const FieldError* e = std::get_if<FieldError>(&r)) return trafficError(1, e->message);
  TrafficLine t;
  t.kind = TrafficLine::Kind::Request;
  t.format = TrafficLine::Format::Json;
  t.request = std::move(std::get<RequestSpec>(r));
  t.expect = std::move(expect);
  return t;
}

TrafficLine parseTrafficLine(std::string_view line, const RequestFields& defaults, TrafficFormat format) {
  const bool log_only = format == TrafficFormat::AccessLog;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const size_t first = line.find_first_not_of(" \t");
  if (log_only && (first == std::string_view::npos || (line[first] != '[' && line[first] != '{'))) return trafficIgnored();
  if (std::optional<LexError> e = checkLineBytes(line)) return trafficError(columnAt(line, e->offset), e->message);
  if (first == std::string_view::npos || line[first] == '#') return TrafficLine{};
  if (line[first] == '[') return parseAccessLogText(line, defaults, log_only);
  if (line[first] == '{') {
    json obj = json::parse(line, nullptr, false);
    const bool object = !obj.is_discarded() && obj.is_object();
    const bool log = object && isAccessLogJson(obj);
    if (log_only && !log) return trafficIgnored();  // the proxy's own messages, in JSON
    if (!object) return trafficError(columnAt(line, first), "not a JSON object");
    return log ? parseAccessLogJson(obj, defaults) : parseTrafficRecord(obj, defaults);
  }
  ParsedLine p = parseRequestLine(line, defaults);
  TrafficLine t;
  switch (p.kind) {
    case ParsedLine::Kind::Request:
      t.kind = TrafficLine::Kind::Request;
      t.request = std::move(p.request);
      return t;
    case ParsedLine::Kind::Error: return trafficError(p.error.column, std::move(p.error.message));
    case ParsedLine::Kind::Blank: return t;
    case ParsedLine::Kind::Help:
    case ParsedLine::Kind::History:
    case ParsedLine::Kind::Quit: return trafficError(columnAt(line, first), "a prompt command, not a request");
  }
  return t;
}

}  // namespace istio_lint::cli
