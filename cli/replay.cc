#include "cli/replay.h"

#include <algorithm>

namespace istio_lint::cli {
namespace {

/// A redirect's outcome without its URL, so that redirects count together.
std::string resultOf(const simulate::TraceHop& hop) {
  if (!hop.error.empty()) return hop.error;
  if (hop.outcome.starts_with("redirect ")) {
    const size_t url = hop.outcome.find(' ', 9);
    return url == std::string::npos ? hop.outcome : hop.outcome.substr(0, url);
  }
  return hop.outcome.empty() ? "forwarded" : hop.outcome;
}

std::string splitText(const simulate::TraceHop& hop) {
  std::string out = "split";
  for (size_t i = 0; i < hop.split.size(); ++i) {
    out += (i ? ", " : " ") + hop.split[i].first + " " + std::to_string(hop.split[i].second);
  }
  return out;
}

std::string quotedOrNone(const std::string& s) { return "[" + s + "]"; }

}  // namespace

std::string ReplayOutcome::describe() const {
  std::string out = result;
  if (!cluster.empty()) out += " to " + cluster;
  if (exit != "none") out += ", exit " + exit;
  return out;
}

ReplayOutcome outcomeOf(const simulate::Trace& t, const model::FileTable& files) {
  ReplayOutcome o;
  o.exit = t.exit_kind + (t.exit_gateway.empty() ? "" : " " + t.exit_gateway);
  if (t.hops.empty()) {
    o.result = "none";
    return o;
  }
  const simulate::TraceHop& first = t.hops.front();
  o.entry = first.proxy_type + " " + first.proxy;
  o.virtual_host = first.virtual_host;
  o.route_name = first.route == "#" ? "" : first.route;
  if (first.vs != nullptr) {
    o.route_vs = first.vs->ns() + "/" + first.vs->name();
    o.route = o.route_vs + (o.route_name.empty() ? "" : " " + o.route_name);
    if (first.rule_span.file != 0) {
      o.route += " (" + files.path(first.rule_span.file) + ":" + std::to_string(first.rule_span.line) + ")";
    }
  } else {
    o.route = o.route_name;
  }
  o.entry_cluster = first.cluster;
  for (const auto& [cluster, weight] : first.split) o.entry_split.push_back(cluster);
  const simulate::TraceHop& last = t.hops.back();
  o.cluster = !last.cluster.empty() ? last.cluster : last.split.empty() ? "" : splitText(last);
  o.result = resultOf(last);
  o.error = last.error;
  return o;
}

namespace {

/// Whether `s` is one word of a request line as it is.
bool plainWord(std::string_view s) { return !s.empty() && s.find_first_of(" \t'\"\\") == std::string_view::npos; }

/// `s` as one word: in single quotes, or in double quotes with `"` and `\` escaped.
std::string quotedWord(std::string_view s) {
  if (s.find('\'') == std::string_view::npos) return "'" + std::string(s) + "'";
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string word(std::string_view s) { return plainWord(s) ? std::string(s) : quotedWord(s); }

}  // namespace

std::string requestLine(const RequestSpec& r) {
  std::string out;
  // A method of capital letters leads the line; any other token is a `method` clause.
  const bool method_word = !r.method.empty() && r.method.size() <= 32 &&
                           std::all_of(r.method.begin(), r.method.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  if (r.isHttp() && method_word) out += r.method + " ";
  const std::string scheme(schemeName(r.scheme));
  // HOST:PORT works when the host is one plain word without the characters a target splits at.
  const bool compact = plainWord(r.host) && r.host.find_first_of(":/?#") == std::string::npos;
  if (compact && r.isHttp() && plainWord(r.path) && r.path.starts_with('/')) {
    out += scheme + "://" + r.host + ":" + std::to_string(r.port) + r.path;
  } else if (compact && !r.isHttp()) {
    out += scheme + " " + r.host + ":" + std::to_string(r.port);
  } else {
    // The clause forms, which take any host and path as one (quoted) word.
    out += "scheme " + scheme;
    if (!r.host.empty()) out += " host " + word(r.host);
    out += " port " + std::to_string(r.port);
    if (r.isHttp()) out += " path " + word(r.path);
  }
  if (r.isHttp() && !method_word) out += " method " + word(r.method);
  if (!r.sni.empty() && r.sni != r.host) out += " sni " + word(r.sni);
  for (const auto& [name, value] : r.headers) out += " header " + quotedWord(name + ": " + value);
  const char* clause = r.entry.kind == EntryPoint::Kind::Gateway   ? " via "
                       : r.entry.kind == EntryPoint::Kind::Sidecar ? " from "
                                                                   : " to ";
  out += clause + r.entry.text();
  if (r.deliver_to) out += " to " + r.deliver_to->text();
  if (r.mtls) out += " mtls";
  if (r.random) out += " random " + std::to_string(*r.random);
  return out;
}

nlohmann::json outcomeJson(size_t line, const RequestSpec& spec, const ReplayOutcome& o) {
  return {{"line", line},         {"request", requestLine(spec)}, {"entry", o.entry},   {"virtual_host", o.virtual_host},
          {"route", o.route},     {"cluster", o.cluster},         {"result", o.result}, {"error", o.error},
          {"exit", o.exit}};
}

std::vector<std::string> checkExpectation(const Expectation& e, const ReplayOutcome& o) {
  std::vector<std::string> out;
  auto check = [&out](const std::optional<std::string>& want, const std::string& actual, const char* field,
                      const std::string& also = "") {
    if (!want || *want == actual || (!also.empty() && *want == also)) return;
    out.push_back("expected: " + quotedOrNone(*want) + ", actual: " + quotedOrNone(actual) + ", field: " + field);
  };
  check(e.cluster, o.cluster, "cluster");
  check(e.route, o.route_name, "route", o.route_vs);
  check(e.virtual_host, o.virtual_host, "virtual_host");
  check(e.error, o.error, "error");
  check(e.exit, o.exit, "exit");
  return out;
}

void ReplaySummary::bump(CountMap& m, const std::string& key, size_t line) {
  Count& c = m[key];
  if (c.n++ == 0) c.first_line = line;
}

void ReplaySummary::note(GroupMap& m, const std::string& key, size_t line, const RequestSpec& spec) {
  Group& g = m[key];
  ++g.n;
  if (g.examples.size() < kExamples) g.examples.push_back({line, requestLine(spec)});
}

void ReplaySummary::add(size_t line, const RequestSpec&, const ReplayOutcome& o) {
  ++requests_;
  bump(by_entry_, o.entry, line);
  bump(by_route_, o.route.empty() ? "(none)" : o.route, line);
  bump(by_cluster_, o.cluster.empty() ? "(none)" : o.cluster, line);
  bump(by_result_, o.result, line);
  bump(by_exit_, o.exit, line);
}

void ReplaySummary::compareRecorded(size_t line, const RequestSpec& spec, const Recorded& rec, const ReplayOutcome& o) {
  ++recorded_;
  const bool agree = rec.cluster == o.entry_cluster ||
                     std::find(o.entry_split.begin(), o.entry_split.end(), rec.cluster) != o.entry_split.end();
  if (agree) {
    ++recorded_agree_;
    return;
  }
  std::string logged = rec.cluster.empty() ? "no cluster" : rec.cluster;
  if (rec.response_code != 0) logged += " (" + std::to_string(rec.response_code) + ")";
  // Without a cluster, the decision is its result: "404 NR", "redirect 301", ...
  const std::string decided = !o.entry_cluster.empty() ? o.entry_cluster : o.entry_split.empty() ? o.result : "a split";
  note(recorded_differs_, "logged " + logged + ", decided " + decided, line, spec);
}

void ReplaySummary::compareOld(size_t line, const RequestSpec& spec, const ReplayOutcome& old, const ReplayOutcome& o) {
  compared_old_ = true;
  const std::string before = old.describe(), after = o.describe();
  if (before == after) return;
  ++changed_;
  note(changes_, before + " -> " + after, line, spec);
}

void ReplaySummary::expectation(size_t line, const RequestSpec& spec, const std::vector<std::string>& failures,
                                const std::string& name) {
  ++expectations_checked_;
  if (failures.empty()) return;
  ++expectations_failed_;
  const std::string where = "line " + std::to_string(line) + (name.empty() ? "" : " (" + name + ")") + ": ";
  for (const std::string& f : failures) {
    if (failures_.size() < kMaxFailuresShown) failures_.push_back(where + requestLine(spec) + ": " + f);
  }
}

namespace {

/// The entries by count, most first, then by value: the output's order, whatever the hashing.
template <typename Map>
std::vector<typename Map::const_pointer> byCount(const Map& m) {
  std::vector<typename Map::const_pointer> out;
  for (const auto& kv : m) out.push_back(&kv);
  std::sort(out.begin(), out.end(), [](auto a, auto b) {
    return a->second.n != b->second.n ? a->second.n > b->second.n : a->first < b->first;
  });
  return out;
}

std::string padded(uint64_t n) {
  std::string s = std::to_string(n);
  return std::string(s.size() < 8 ? 8 - s.size() : 0, ' ') + s;
}

}  // namespace

void ReplaySummary::printText(std::ostream& out, const std::string& traffic_name) const {
  out << "replay: " << requests_ << " request" << (requests_ == 1 ? "" : "s") << " from " << traffic_name;
  std::string notes;
  if (skipped_ != 0) notes += std::to_string(skipped_) + " line" + (skipped_ == 1 ? "" : "s") + " skipped";
  if (ignored_ != 0) {
    notes += (notes.empty() ? "" : ", ") + std::to_string(ignored_) + " other line" + (ignored_ == 1 ? "" : "s") + " ignored";
  }
  if (!notes.empty()) out << " (" << notes << ")";
  out << "\n";
  auto table = [&](const char* title, const CountMap& m) {
    if (m.empty()) return;
    out << "\n" << title << ":\n";
    for (const auto* kv : byCount(m)) out << padded(kv->second.n) << "  " << kv->first << "\n";
  };
  table("results", by_result_);
  table("entry proxies", by_entry_);
  table("routes", by_route_);
  table("clusters", by_cluster_);
  table("exits", by_exit_);
  auto groups = [&](const GroupMap& m) {
    for (const auto* kv : byCount(m)) {
      out << padded(kv->second.n) << "  " << kv->first << "\n";
      for (const Example& e : kv->second.examples) out << "          line " << e.line << ": " << e.request << "\n";
    }
  };
  if (recorded_ != 0) {
    out << "\naccess log: " << recorded_agree_ << " of " << recorded_ << " logged clusters match the decision";
    out << (recorded_differs_.empty() ? "\n" : "; these differ:\n");
    groups(recorded_differs_);
  }
  if (compared_old_) {
    out << "\n--diff: " << changed_ << " of " << requests_ << " request" << (requests_ == 1 ? "" : "s")
        << " change outcome" << (changes_.empty() ? "\n" : ":\n");
    groups(changes_);
  }
  if (expectations_checked_ != 0) {
    out << "\nexpectations: " << expectations_checked_ << " checked, " << expectations_failed_ << " failed\n";
    for (const std::string& f : failures_) out << "  " << f << "\n";
    if (expectations_failed_ > failures_.size()) out << "  (only the first " << failures_.size() << " failures are shown)\n";
  }
}

nlohmann::json ReplaySummary::toJson() const {
  using nlohmann::json;
  auto table = [](const CountMap& m) {
    json a = json::array();
    for (const auto* kv : byCount(m)) a.push_back({{"value", kv->first}, {"count", kv->second.n}, {"first_line", kv->second.first_line}});
    return a;
  };
  auto groups = [](const GroupMap& m) {
    json a = json::array();
    for (const auto* kv : byCount(m)) {
      json ex = json::array();
      for (const Example& e : kv->second.examples) ex.push_back({{"line", e.line}, {"request", e.request}});
      a.push_back({{"change", kv->first}, {"count", kv->second.n}, {"examples", ex}});
    }
    return a;
  };
  json j;
  j["requests"] = requests_;
  j["skipped_lines"] = skipped_;
  j["ignored_lines"] = ignored_;
  j["results"] = table(by_result_);
  j["entries"] = table(by_entry_);
  j["routes"] = table(by_route_);
  j["clusters"] = table(by_cluster_);
  j["exits"] = table(by_exit_);
  if (recorded_ != 0) {
    j["access_log"] = {{"compared", recorded_}, {"match", recorded_agree_}, {"differ", groups(recorded_differs_)}};
  }
  if (compared_old_) j["diff"] = {{"changed", changed_}, {"changes", groups(changes_)}};
  if (expectations_checked_ != 0) {
    j["expectations"] = {{"checked", expectations_checked_}, {"failed", expectations_failed_}, {"failures", failures_}};
  }
  return j;
}

}  // namespace istio_lint::cli
