#include "cli/replay_traffic.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <vector>

#include "cli/commands.h"
#include "cli/line_words.h"
#include "model/ascii.h"
#include "model/yaml_tree.h"

namespace istio_lint::cli {
namespace {

using nlohmann::json;

TrafficLine ignoredLine() {
  TrafficLine t;
  t.kind = TrafficLine::Kind::Ignored;
  return t;
}

TrafficLine failAt(size_t column, std::string message) {
  TrafficLine t;
  t.kind = TrafficLine::Kind::Error;
  t.error = {column, std::move(message)};
  return t;
}

/// RFC 9110 tchar: the characters of a method.
bool isMethodChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::optional<uint32_t> parsePort(std::string_view s) {
  uint32_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v == 0 || v > 65535) return std::nullopt;
  return v;
}

/// `s` quoted for a message, cut when long.
std::string shownValue(std::string_view s) {
  return "\"" + std::string(s.substr(0, 60)) + (s.size() > 60 ? "...\"" : "\"");
}

/// A header value as a request line gives it: without surrounding blanks.
std::string trimmed(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return std::string(v);
}

/// A path as clients send it: without a fragment.
std::string withoutFragment(std::string_view path) { return std::string(path.substr(0, path.find('#'))); }

/// What a request line would refuse in fields that came another way (a JSON record, an access log
/// entry): the same hosts, paths, methods, header names and entry points, and no control
/// characters. nullopt when every field is one a request line could carry.
std::optional<std::string> fieldProblem(const RequestFields& f) {
  auto bytes = [](std::string_view what, std::string_view v) -> std::optional<std::string> {
    if (std::optional<LexError> e = checkLineBytes(v)) return std::string(what) + " " + shownValue(v) + ": " + e->message;
    return std::nullopt;
  };
  for (const auto& [what, value] : {std::pair{"host", f.host}, {"sni", f.sni}}) {
    if (!value || value->empty()) continue;
    if (std::optional<LexError> e = checkHost(*value, what == std::string_view("host") ? "the host" : "the SNI")) {
      return std::string(what) + " " + shownValue(*value) + ": " + e->message;
    }
  }
  if (f.path) {
    if (auto e = bytes("path", *f.path)) return e;
    if (std::optional<LexError> e = checkPath(*f.path)) return "path " + shownValue(*f.path) + ": " + e->message;
  }
  if (f.method) {
    for (char c : *f.method) {
      if (!isMethodChar(c)) return "method " + shownValue(*f.method) + " is not an HTTP method";
    }
  }
  for (const auto& [name, value] : f.headers) {
    if (name.empty()) return std::string("a header without a name");
    for (char c : name) {
      if (!isMethodChar(c)) return "header name " + shownValue(name) + " is not a token";
    }
    if (auto e = bytes("header " + name, value)) return e;
  }
  for (const std::optional<EntryPoint>* p : {&f.entry, &f.deliver_to}) {
    if (!*p) continue;
    if (std::optional<LexError> e = checkEntryPoint((*p)->text(), (*p)->kind)) {
      return shownValue((*p)->text()) + ": " + e->message;
    }
  }
  return std::nullopt;
}

/// The request of an access log entry, entering where the command line says.
TrafficLine fromLogFields(std::string_view method, std::string_view path, std::string_view authority,
                          std::string_view sni, std::string_view local_address, const RequestFields& defaults,
                          Recorded recorded, TrafficLine::Format format) {
  if (!defaults.entry) {
    return failAt(1, "an access log entry does not say which proxy wrote it: give --gateway NS/NAME or --from "
                     "NS/WORKLOAD");
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
    if (colon != std::string_view::npos && host.find(']') == std::string_view::npos && parsePort(host.substr(colon + 1))) {
      host = host.substr(0, colon);
    }
    given.host = std::string(host);
  }
  if (http) {
    given.method = std::string(method);
    given.path = unset(path) ? std::string("/") : withoutFragment(path);
    if (!given.path->starts_with('/')) {
      return failAt(1, "the logged path \"" + *given.path + "\" does not start with /");
    }
  }
  // %DOWNSTREAM_LOCAL_ADDRESS%: the address the connection reached, so its port is the listener's.
  // A TCP connection without a server name is known by that address alone.
  const size_t colon = local_address.rfind(':');
  if (colon != std::string_view::npos) {
    std::optional<uint32_t> port = parsePort(local_address.substr(colon + 1));
    if (!port) return failAt(1, "the downstream local address \"" + std::string(local_address) + "\" has no port");
    given.port = *port;
    if (!given.host && !tls) given.host = std::string(local_address.substr(0, colon));
  }
  RequestFields entry_only;
  entry_only.entry = defaults.entry;
  entry_only.deliver_to = defaults.deliver_to;
  entry_only.random = defaults.random;
  entry_only.mtls = defaults.mtls;
  if (!given.port) entry_only.port = defaults.port;
  if (std::optional<std::string> problem = fieldProblem(given)) return failAt(1, *problem);
  std::variant<RequestSpec, FieldError> r = resolveRequest(given, entry_only);
  if (const FieldError* e = std::get_if<FieldError>(&r)) return failAt(1, e->message);
  TrafficLine t;
  t.kind = TrafficLine::Kind::Request;
  t.format = format;
  t.request = std::move(std::get<RequestSpec>(r));
  t.recorded = std::move(recorded);
  return t;
}

/// Istio's default text access log format. The fields at the end are the ones replay reads:
///   [START] "METHOD PATH PROTOCOL" CODE FLAGS ... "AUTHORITY" "UPSTREAM_HOST" UPSTREAM_CLUSTER
///   UPSTREAM_LOCAL DOWNSTREAM_LOCAL DOWNSTREAM_REMOTE REQUESTED_SERVER_NAME ROUTE_NAME
/// Counting from the end keeps the older formats (without the response code details) readable.
TrafficLine fromTextLog(std::string_view line, const RequestFields& defaults, bool log_only) {
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
        if (log_only) return ignoredLine();
        return failAt(columnAt(line, i), std::string("unterminated ") + (c == '"' ? "quoted field" : "[timestamp]"));
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
    if (log_only) return ignoredLine();
    return failAt(1, "not an access log entry in Istio's default format (\"[START] \\\"METHOD PATH PROTOCOL\\\" CODE ... "
                     "\\\"AUTHORITY\\\" \\\"UPSTREAM_HOST\\\" UPSTREAM_CLUSTER ... ROUTE_NAME\")");
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

/// A string member of a JSON object, or "" when absent or null. False when it is another type.
bool stringField(const json& obj, const char* key, std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return true;
  if (!it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

/// The JSON encoding of Istio's access log (meshConfig accessLogEncoding: JSON).
TrafficLine fromJsonLog(const json& obj, const RequestFields& defaults) {
  std::string method, path, authority, sni, local, cluster, route;
  for (auto [key, out] : {std::pair{"method", &method}, {"path", &path}, {"authority", &authority},
                          {"requested_server_name", &sni}, {"downstream_local_address", &local},
                          {"upstream_cluster", &cluster}, {"route_name", &route}}) {
    if (!stringField(obj, key, *out)) return failAt(1, std::string("\"") + key + "\" is not a string");
  }
  Recorded rec;
  rec.cluster = cluster == "-" ? "" : cluster;
  rec.route = route == "-" ? "" : route;
  if (auto it = obj.find("response_code"); it != obj.end() && it->is_number_unsigned()) {
    rec.response_code = it->get<uint32_t>();
  }
  return fromLogFields(method, path, authority, sni, local, defaults, std::move(rec), TrafficLine::Format::AccessLogJson);
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

std::string unknownKey(std::string_view what, const std::string& key, const std::vector<std::string>& known) {
  std::string msg = "unknown " + std::string(what) + " \"" + key + "\"";
  std::vector<std::string> near = suggest(key, known);
  if (!near.empty()) return msg + "; did you mean \"" + near.front() + "\"?";
  std::string all;
  for (const std::string& k : known) all += (all.empty() ? "" : ", ") + k;
  return msg + " (known: " + all + ")";
}

std::optional<EntryPoint> entryPoint(EntryPoint::Kind kind, const std::string& who) {
  const size_t slash = who.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == who.size()) return std::nullopt;
  return EntryPoint{kind, who.substr(0, slash), who.substr(slash + 1)};
}

}  // namespace

TrafficLine parseTrafficRecord(const json& obj, const RequestFields& defaults) {
  if (!obj.is_object()) return failAt(1, "not a JSON object");
  RequestFields given;
  std::optional<Expectation> expect;
  std::string via, from, to;
  for (const auto& item : obj.items()) {
    const std::string& key = item.key();
    const json& value = item.value();
    auto mustString = [&](std::string& out) -> std::optional<TrafficLine> {
      if (!value.is_string()) return failAt(1, "\"" + key + "\" must be a string");
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
      if (!(bad = mustString(s)) && !s.starts_with('/')) bad = failAt(1, "\"path\" must start with /");
      if (!bad) given.path = withoutFragment(s);
    } else if (key == "method") {
      if (!(bad = mustString(s)) && s.empty()) bad = failAt(1, "\"method\" is empty");
      if (!bad) given.method = s;
    } else if (key == "scheme") {
      if (!(bad = mustString(s))) {
        given.scheme = schemeFromName(s);
        if (!given.scheme) bad = failAt(1, "\"scheme\" must be http, https, tls or tcp, not \"" + s + "\"");
      }
    } else if (key == "port") {
      if (!value.is_number_unsigned() || value.get<uint64_t>() == 0 || value.get<uint64_t>() > 65535) {
        bad = failAt(1, "\"port\" must be a number from 1 to 65535");
      } else {
        given.port = value.get<uint32_t>();
      }
    } else if (key == "random_value") {
      if (!value.is_number_unsigned()) bad = failAt(1, "\"random_value\" must be a non-negative integer");
      else given.random = value.get<uint64_t>();
    } else if (key == "mtls") {
      if (!value.is_boolean()) bad = failAt(1, "\"mtls\" must be true or false");
      else given.mtls = value.get<bool>();
    } else if (key == "headers") {
      if (!value.is_object()) bad = failAt(1, "\"headers\" must be an object of \"name\": \"value\"");
      for (const auto& [name, v] : value.items()) {
        if (bad) break;
        if (!v.is_string()) bad = failAt(1, "header \"" + name + "\" must have a string value");
        else if (given.headers.size() >= kMaxLineHeaders) bad = failAt(1, "more than " + std::to_string(kMaxLineHeaders) + " headers");
        else given.headers.emplace_back(model::asciiLower(name), trimmed(v.get<std::string>()));
      }
    } else if (key == "expect") {
      if (!value.is_object()) {
        bad = failAt(1, "\"expect\" must be an object (cluster, route, virtual_host, error, exit)");
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
          if (field == nullptr) bad = failAt(1, unknownKey("expectation", what, expectKeys()));
          else if (!v.is_string() && !v.is_null()) bad = failAt(1, "expect \"" + what + "\" must be a string or null");
          else *field = v.is_null() ? std::string() : v.get<std::string>();
        }
      }
    } else {
      bad = failAt(1, unknownKey("field", key, recordKeys()));
    }
    if (bad) return *bad;
  }
  if (!via.empty() && !from.empty()) return failAt(1, "give one of \"gateway\" and \"from\", not both");
  const std::string& who = !via.empty() ? via : from;
  if (!who.empty()) {
    given.entry = entryPoint(!via.empty() ? EntryPoint::Kind::Gateway : EntryPoint::Kind::Sidecar, who);
    if (!given.entry) return failAt(1, "\"" + who + "\": expected NS/NAME");
  }
  if (!to.empty()) {
    std::optional<EntryPoint> point = entryPoint(EntryPoint::Kind::Inbound, to);
    if (!point) return failAt(1, "\"" + to + "\": expected NS/NAME");
    (given.entry ? given.deliver_to : given.entry) = point;
  }
  if (std::optional<std::string> problem = fieldProblem(given)) return failAt(1, *problem);
  std::variant<RequestSpec, FieldError> r = resolveRequest(given, defaults);
  if (const FieldError* e = std::get_if<FieldError>(&r)) return failAt(1, e->message);
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
  if (log_only && (first == std::string_view::npos || (line[first] != '[' && line[first] != '{'))) return ignoredLine();
  if (std::optional<LexError> e = checkLineBytes(line)) return failAt(columnAt(line, e->offset), e->message);
  if (first == std::string_view::npos || line[first] == '#') return TrafficLine{};
  if (line[first] == '[') return fromTextLog(line, defaults, log_only);
  if (line[first] == '{') {
    json obj = json::parse(line, nullptr, false);
    const bool object = !obj.is_discarded() && obj.is_object();
    const bool log = object && (obj.contains("upstream_cluster") || obj.contains("authority") ||
                                obj.contains("downstream_local_address"));
    if (log_only && !log) return ignoredLine();  // the proxy's own messages, in JSON
    if (!object) return failAt(columnAt(line, first), "not a JSON object");
    return log ? fromJsonLog(obj, defaults) : parseTrafficRecord(obj, defaults);
  }
  ParsedLine p = parseRequestLine(line, defaults);
  TrafficLine t;
  switch (p.kind) {
    case ParsedLine::Kind::Request:
      t.kind = TrafficLine::Kind::Request;
      t.request = std::move(p.request);
      return t;
    case ParsedLine::Kind::Error: return failAt(p.error.column, std::move(p.error.message));
    case ParsedLine::Kind::Blank: return t;
    case ParsedLine::Kind::Help:
    case ParsedLine::Kind::History:
    case ParsedLine::Kind::Quit: return failAt(columnAt(line, first), "a prompt command, not a request");
  }
  return t;
}

namespace {

/// A YAML node as JSON: plain scalars that YAML resolves to numbers, booleans or null as such.
json yamlToJson(const model::yaml::Node& n) {
  if (n.isNull()) return nullptr;
  if (n.isScalar()) {
    if (!n.isString()) {
      if (std::optional<int64_t> i = n.asInt()) return *i >= 0 ? json(static_cast<uint64_t>(*i)) : json(*i);
      if (std::optional<bool> b = n.asBool()) return *b;
      if (std::optional<double> d = n.asDouble()) return *d;
    }
    return n.str();
  }
  if (n.isSeq()) {
    json a = json::array();
    for (uint32_t i = 0; i < n.size; ++i) a.push_back(yamlToJson(n.at(i)));
    return a;
  }
  json o = json::object();
  for (uint32_t i = 0; i < n.size; ++i) o[n.key(i).str()] = yamlToJson(n.value(i));
  return o;
}

/// Renames router_check's spellings to a record's; false when both spellings are given.
bool renameKey(json& obj, const char* from, const char* to) {
  auto it = obj.find(from);
  if (it == obj.end()) return true;
  if (obj.contains(to)) return false;
  obj[to] = *it;
  obj.erase(from);
  return true;
}

TrafficLine oneTest(const model::yaml::Node& test, const RequestFields& defaults) {
  if (!test.isMap()) return failAt(test.col, "a test is a mapping of name, input and expect");
  json input = json::object(), expect;
  std::string name;
  for (uint32_t i = 0; i < test.size; ++i) {
    const std::string k = test.key(i).str();
    const model::yaml::Node& v = test.value(i);
    if (k == "name" || k == "test_name") {
      name = v.str();
    } else if (k == "input") {
      if (!v.isMap()) return failAt(v.col, "\"input\" must be a mapping of the request's fields");
      input = yamlToJson(v);
    } else if (k == "expect" || k == "validate") {
      if (!v.isMap()) return failAt(v.col, "\"" + k + "\" must be a mapping");
      expect = yamlToJson(v);
    } else {
      return failAt(test.key(i).col, unknownKey("test field", k, {"expect", "input", "name"}));
    }
  }
  if (!renameKey(input, "authority", "host")) return failAt(test.col, "give one of \"authority\" and \"host\"");
  if (expect.is_object()) {
    for (auto [from, to] : {std::pair{"cluster_name", "cluster"}, {"virtual_host_name", "virtual_host"},
                            {"vhost", "virtual_host"}, {"route_name", "route"}}) {
      if (!renameKey(expect, from, to)) return failAt(test.col, std::string("give one of \"") + from + "\" and \"" + to + "\"");
    }
    input["expect"] = std::move(expect);
  }
  TrafficLine t = parseTrafficRecord(input, defaults);
  t.name = std::move(name);
  if (t.kind == TrafficLine::Kind::Error) t.error.column = test.col;
  return t;
}

}  // namespace

std::vector<std::pair<size_t, TrafficLine>> parseTrafficTests(std::string_view yaml, const RequestFields& defaults) {
  std::vector<std::pair<size_t, TrafficLine>> out;
  model::yaml::ParseResult parsed = model::yaml::parse(yaml, 0);
  for (const model::yaml::ParseProblem& p : parsed.problems) {
    out.emplace_back(p.span.line, failAt(p.span.col, p.message));
  }
  if (!parsed.problems.empty()) return out;
  for (const model::yaml::DocumentPtr& doc : parsed.documents) {
    const model::yaml::Node* root = doc->root();
    const model::yaml::Node* tests = root != nullptr && root->isMap() ? root->get("tests") : nullptr;
    if (tests == nullptr || !tests->isSeq()) {
      out.emplace_back(root != nullptr ? root->line : 1,
                       failAt(1, "a YAML traffic file holds `tests:`, a list of {name, input, expect}"));
      continue;
    }
    for (uint32_t i = 0; i < tests->size; ++i) out.emplace_back(tests->at(i).line, oneTest(tests->at(i), defaults));
  }
  return out;
}

}  // namespace istio_lint::cli
