#include "model/route_rules.h"

#include <functional>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace istio_lint::model {
namespace {

/// Go's %q of a string (the names are plain text; quotes and backslashes are escaped).
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string ruleName(const Str& name, size_t index) {
  return name.empty() ? "#" + std::to_string(index) : quoted(name.value);
}

// Canonical keys: two matches are duplicates when every field but the name is equal (istiod
// compares their JSON serialization without the name). Absent and empty differ only where the
// JSON form differs: a string match present but empty (`uri: {}`) is not an absent one.
constexpr char kSep = '\x1f';

void add(std::string& key, std::string_view field, std::string_view value) {
  key += field;
  key += '=';
  key += value;
  key += kSep;
}

std::string stringMatchKey(const StringMatch& m) {
  if (!m.span.known()) return {};
  static constexpr const char* kTypes[] = {"any", "exact", "prefix", "regex"};
  return std::string(kTypes[static_cast<int>(m.type)]) + ":" + m.value;
}

void addStringMatch(std::string& key, std::string_view field, const StringMatch& m) {
  if (m.span.known()) add(key, field, stringMatchKey(m));
}

void addMatchMap(std::string& key, std::string_view field, const std::map<std::string, StringMatch>& m) {
  for (const auto& [k, v] : m) add(key, field, k + '\x1e' + (v.span.known() ? stringMatchKey(v) : "null"));
}

void addLabels(std::string& key, std::string_view field, const Labels& l) {
  for (const auto& [k, v] : l) add(key, field, k + '\x1e' + v);
}

void addList(std::string& key, std::string_view field, const std::vector<Str>& l) {
  for (const Str& s : l) add(key, field, s.value);
}

std::string httpMatchKey(const HttpMatch& m) {
  std::string key;
  addStringMatch(key, "uri", m.uri);
  addStringMatch(key, "scheme", m.scheme);
  addStringMatch(key, "method", m.method);
  addStringMatch(key, "authority", m.authority);
  addMatchMap(key, "headers", m.headers);
  if (m.port && *m.port != 0) add(key, "port", std::to_string(*m.port));
  addLabels(key, "sourceLabels", m.source_labels);
  addList(key, "gateways", m.gateways);
  addMatchMap(key, "queryParams", m.query_params);
  if (m.ignore_uri_case) add(key, "ignoreUriCase", "true");
  addMatchMap(key, "withoutHeaders", m.without_headers);
  if (!m.source_namespace.empty()) add(key, "sourceNamespace", m.source_namespace.value);
  if (!m.stat_prefix.empty()) add(key, "statPrefix", m.stat_prefix);
  return key;
}

std::string l4MatchKey(const L4Match& m) {
  std::string key;
  addList(key, "sniHosts", m.sni_hosts);
  for (const std::string& s : m.destination_subnets) add(key, "destinationSubnets", s);
  if (m.port && *m.port != 0) add(key, "port", std::to_string(*m.port));
  addLabels(key, "sourceLabels", m.source_labels);
  addList(key, "gateways", m.gateways);
  if (!m.source_namespace.empty()) add(key, "sourceNamespace", m.source_namespace.value);
  if (!m.source_subnet.empty()) add(key, "sourceSubnet", m.source_subnet);
  return key;
}

/// A prefix match reduced to what istiod compares for overlaps: the method defaults to GET, and
/// only exact and prefix string matches count (a regex condition reads as empty).
struct PrefixMatch {
  std::string rule, match, prefix;
  uint32_t port = 0;
  std::string method, authority;
  std::map<std::string, std::string> headers, query_params, without_headers;
  Span span;
};

std::string exactOrPrefix(const StringMatch& m) {
  if (m.type == StringMatch::Type::Exact && !m.value.empty()) return "exact:" + m.value;
  if (m.type == StringMatch::Type::Prefix && !m.value.empty()) return "prefix:" + m.value;
  return {};
}

std::map<std::string, std::string> reduce(const std::map<std::string, StringMatch>& m) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : m) out.emplace(k, exactOrPrefix(v));
  return out;
}

/// istiod's coveredValidation: does the earlier match `a` take all the traffic of the later `b`?
bool covers(const PrefixMatch& a, const PrefixMatch& b) {
  if (!b.prefix.starts_with(a.prefix)) return false;
  if (a.port != b.port) return false;
  auto sameOrStarts = [](const std::string& x, const std::string& y) { return x == y || x.starts_with(y); };
  if (!sameOrStarts(a.method, b.method) || !sameOrStarts(a.authority, b.authority)) return false;
  auto mapCovered = [&](const std::map<std::string, std::string>& x, const std::map<std::string, std::string>& y) {
    if (x.size() != y.size()) return false;
    for (const auto& [k, v] : x) {
      auto it = y.find(k);
      if (it == y.end() || !sameOrStarts(v, it->second)) return false;
    }
    return true;
  };
  return mapCovered(a.headers, b.headers) && mapCovered(a.query_params, b.query_params) &&
         mapCovered(a.without_headers, b.without_headers);
}

/// The generic walk over rules: `matches(i)` lists rule i's match keys, names and spans.
struct RuleView {
  std::string name;
  Span span;
  struct Match {
    std::string key, name;
    Span span;
  };
  std::vector<Match> matches;
};

void walk(const std::vector<RuleView>& rules, std::vector<RouteRuleIssue>& out,
          const std::function<void(size_t rule, size_t match)>& on_new_match = {}) {
  std::unordered_map<std::string, size_t> seen;
  std::optional<size_t> catch_all;
  for (size_t i = 0; i < rules.size(); ++i) {
    const RuleView& rule = rules[i];
    if (rule.matches.empty()) {
      if (catch_all) {
        out.push_back({RouteRuleIssue::Type::UnreachableRule, rule.name, "only the last rule can have no matches",
                       {}, rules[*catch_all].name, rule.span, rules[*catch_all].span});
      }
      catch_all = i;
      continue;
    }
    if (catch_all) {
      out.push_back({RouteRuleIssue::Type::UnreachableRule, rule.name, "route without matches defined before", {},
                     rules[*catch_all].name, rule.span, rules[*catch_all].span});
      continue;
    }
    size_t duplicates = 0;
    Span first_earlier;
    std::string first_earlier_name;
    for (size_t j = 0; j < rule.matches.size(); ++j) {
      const RuleView::Match& m = rule.matches[j];
      auto [it, inserted] = seen.emplace(m.key, i);
      if (!inserted) {
        const RuleView& earlier = rules[it->second];
        out.push_back({RouteRuleIssue::Type::IneffectiveMatch, rule.name, {}, m.name, earlier.name, m.span,
                       earlier.span});
        if (duplicates++ == 0) {
          first_earlier = earlier.span;
          first_earlier_name = earlier.name;
        }
        continue;
      }
      if (on_new_match) on_new_match(i, j);
    }
    if (duplicates == rule.matches.size()) {
      out.push_back({RouteRuleIssue::Type::UnreachableRule, rule.name, "all matches used by prior rules", {},
                     first_earlier_name, rule.span, first_earlier});
    }
  }
}

}  // namespace

std::vector<RouteRuleIssue> findUnreachableRouteRules(const VirtualService& vs) {
  std::vector<RouteRuleIssue> out;

  std::vector<RuleView> http;
  for (size_t i = 0; i < vs.http.size(); ++i) {
    const HttpRoute& h = vs.http[i];
    RuleView v{ruleName(h.name, i), h.span, {}};
    for (size_t j = 0; j < h.match.size(); ++j) {
      v.matches.push_back({httpMatchKey(h.match[j]), ruleName(h.match[j].name, j), h.match[j].span});
    }
    http.push_back(std::move(v));
  }
  std::vector<PrefixMatch> prefixes;
  walk(http, out, [&](size_t i, size_t j) {
    const HttpMatch& m = vs.http[i].match[j];
    if (m.uri.type != StringMatch::Type::Prefix || m.uri.value.empty()) return;
    PrefixMatch p;
    p.rule = http[i].name;
    p.match = http[i].matches[j].name;
    p.prefix = m.uri.value;
    p.port = m.port.value_or(0);
    p.method = exactOrPrefix(m.method);
    if (p.method.empty()) p.method = "exact:GET";
    p.authority = exactOrPrefix(m.authority);
    p.headers = reduce(m.headers);
    p.query_params = reduce(m.query_params);
    p.without_headers = reduce(m.without_headers);
    p.span = m.span;
    prefixes.push_back(std::move(p));
  });
  // Each later prefix match against every earlier one with a shorter prefix: quadratic in the
  // number of prefix matches of one VirtualService, never across resources.
  for (size_t a = 0; a < prefixes.size(); ++a) {
    for (size_t b = a + 1; b < prefixes.size(); ++b) {
      const PrefixMatch& pa = prefixes[a];
      const PrefixMatch& pb = prefixes[b];
      if (pa.prefix == pb.prefix || !covers(pa, pb)) continue;
      out.push_back({RouteRuleIssue::Type::IneffectiveMatch, pb.rule, {}, pb.match + " of prefix " + pb.prefix,
                     pa.match + " of prefix " + pa.prefix + " on " + pa.rule, pb.span, pa.span});
    }
  }

  for (const auto* routes : {&vs.tcp, &vs.tls}) {
    std::vector<RuleView> rules;
    for (size_t i = 0; i < routes->size(); ++i) {
      const L4Route& l = (*routes)[i];
      RuleView v{"#" + std::to_string(i), l.span, {}};
      for (size_t j = 0; j < l.match.size(); ++j) {
        v.matches.push_back({l4MatchKey(l.match[j]), "#" + std::to_string(j), l.match[j].span});
      }
      rules.push_back(std::move(v));
    }
    walk(rules, out);
  }
  return out;
}

}  // namespace istio_lint::model
