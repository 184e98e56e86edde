#include "model/config/lint_config.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <tuple>

#include "model/ascii.h"
#include "model/decode/reader.h"
#include "model/edit_distance.h"
#include "model/glob.h"
#include "model/yaml_tree.h"

namespace istio_lint::model::config {
namespace {

using yaml::Node;

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// Reads one configuration document. Problems go through the Reader (field path, position), and
/// are turned into ConfigErrors by parse().
class ConfigReader {
 public:
  ConfigReader(decode::Reader& r, LintConfig& c) : r_(r), c_(c) {}

  void read(const Node& root) {
    if (!root.isMap()) {
      if (!root.isNull()) r_.issue(root, "the configuration must be a mapping of settings");
      return;
    }
    r_.known(root, {"failureThreshold", "outputThreshold", "severity", "suppressions", "gateways", "certificates",
                    "egress"});
    c_.failure_threshold = level(root, "failureThreshold");
    c_.output_threshold = level(root, "outputThreshold");
    readSeverity(root);
    readSuppressions(root);
    if (const Node* gw = r_.map(root, "gateways")) {
      auto g = r_.field("gateways");
      r_.known(*gw, {"internalHostSuffixes", "assumeDefaultIngress"});
      for (const Str& s : r_.strList(*gw, "internalHostSuffixes")) {
        std::string_view v = s.value;
        if (v.starts_with("*.")) v.remove_prefix(2);
        while (v.starts_with(".")) v.remove_prefix(1);
        if (v.empty() || v.find('*') != std::string_view::npos) {
          auto gs = r_.field("internalHostSuffixes");
          issueAt(s.span, "\"" + s.value + "\" is not a host suffix; write it as corp.example.com or *.corp.example.com");
          continue;
        }
        c_.internal_host_suffixes.push_back(asciiLower(v));
      }
      c_.assume_default_ingress = r_.boolean(*gw, "assumeDefaultIngress");
    }
    if (const Node* certs = r_.map(root, "certificates")) {
      auto g = r_.field("certificates");
      r_.known(*certs, {"expiryWarningDays"});
      if (const Node* d = certs->get("expiryWarningDays"); d != nullptr && !d->isNull()) {
        auto days = r_.integer(*certs, "expiryWarningDays");
        if (days && (*days < 0 || *days > 36500)) {
          auto gd = r_.field("expiryWarningDays");
          r_.issue(*d, "must be between 0 and 36500 days");
        } else if (days) {
          c_.certificate_expiry_days = *days;
        }
      }
    }
    readEgress(root);
  }

 private:
  void issueAt(Span at, const std::string& message) {
    Node n;
    n.line = at.line;
    n.col = at.col;
    r_.issue(n, message);
  }

  static Pos pos(const Node& n) { return Pos{n.line, n.col}; }

  std::optional<rules::Level> level(const Node& parent, std::string_view key) {
    auto s = r_.str(parent, key);
    if (!s) return std::nullopt;
    auto l = rules::parseLevel(s->value);
    if (!l) {
      auto g = r_.field(key);
      issueAt(s->span, "\"" + s->value + "\" is not a level; use Info, Warning or Error");
    }
    return l;
  }

  std::optional<rules::Code> code(const Node& n) {
    if (!n.isScalar() || n.isNull()) {
      r_.issue(n, "expected a rule code such as IST0101 or IL1001");
      return std::nullopt;
    }
    auto c = rules::codeFromString(n.text);
    if (!c) {
      std::string msg = "unknown rule code \"" + n.str() + "\"";
      // The nearest code by edit distance: IST0101 for IST101, IL1001 for IL101.
      std::string_view best;
      size_t best_d = 3;
      const std::string upper = asciiUpper(n.str());
      for (const rules::MessageType& t : rules::allMessageTypes()) {
        size_t d = model::editDistance(upper, t.code);
        if (d < best_d) {
          best_d = d;
          best = t.code;
        }
      }
      if (!best.empty()) msg += "; did you mean \"" + std::string(best) + "\"?";
      msg += " (istio-lint rules lists every code)";
      r_.issue(n, msg);
    }
    return c;
  }

  void readSeverity(const Node& root) {
    const Node* sev = r_.map(root, "severity");
    if (sev == nullptr) return;
    auto g = r_.field("severity");
    for (uint32_t i = 0; i < sev->size; ++i) {
      const Node& k = sev->key(i);
      const Node& v = sev->value(i);
      auto c = code(k);
      if (!c) continue;
      auto gk = r_.field(k.text);
      SeverityOverride o;
      o.at = pos(v);
      std::string text = v.isScalar() ? asciiLower(v.text) : "";
      if (text == "off") {
        o.level = std::nullopt;
      } else if (auto l = rules::parseLevel(text); l && v.isScalar()) {
        o.level = *l;
      } else {
        r_.issue(v, "expected Info, Warning, Error or off, got " +
                        (v.isScalar() ? "\"" + v.str() + "\"" : std::string("a ") + (v.isMap() ? "mapping" : "list")));
        continue;
      }
      if (!c_.severity.emplace(*c, o).second) r_.issue(k, "the code is listed twice");
    }
  }

  void readSuppressions(const Node& root) {
    r_.each(root, "suppressions", [&](const Node& n) {
      if (!n.isMap()) {
        r_.issue(n, "expected a mapping with code, resource and reason");
        return;
      }
      r_.known(n, {"code", "resource", "file", "reason"});
      Suppression s;
      s.at = pos(n);
      const Node* c = n.get("code");
      std::optional<rules::Code> parsed;
      if (c == nullptr) {
        r_.issue(n, "a suppression needs a code");
      } else {
        auto g = r_.field("code");
        parsed = code(*c);
      }
      auto resource = r_.str(n, "resource");
      auto file = r_.str(n, "file");
      auto reason = r_.str(n, "reason");
      if (!resource && !file) {
        r_.issue(n, "a suppression needs a resource (a glob over \"Kind namespace/name\", \"*\" for any) or a file glob");
      }
      if (!reason || reason->value.find_first_not_of(" \t\n") == std::string::npos) {
        r_.issue(n, "a suppression needs a reason: say why the finding does not apply here");
      }
      if (!parsed) return;
      s.code = *parsed;
      s.resource = resource ? resource->value : "*";
      s.file = file ? file->value : "";
      s.reason = reason ? reason->value : "";
      c_.suppressions.push_back(std::move(s));
    });
  }

  void readEgress(const Node& root) {
    r_.each(root, "egress", [&](const Node& n) {
      if (!n.isMap()) {
        r_.issue(n, "expected a mapping with hosts, via and from");
        return;
      }
      r_.known(n, {"hosts", "via", "from"});
      EgressIntent e;
      e.at = pos(n);
      for (const Str& h : r_.strList(n, "hosts")) {
        if (h.value.empty() || h.value.find('/') != std::string::npos ||
            (h.value.find('*') != std::string::npos && !(h.value.starts_with("*.") && h.value.find('*', 1) == std::string::npos))) {
          auto g = r_.field("hosts");
          issueAt(h.span, "\"" + h.value + "\" is not an external host name (a leading *. is the only wildcard)");
          continue;
        }
        e.hosts.push_back({asciiLower(h.value), {h.span.line, h.span.col}});
      }
      if (e.hosts.empty() && !n.get("hosts")) r_.issue(n, "an egress intent needs hosts");
      if (auto via = r_.str(n, "via")) {
        size_t slash = via->value.find('/');
        if (slash == std::string::npos || slash == 0 || slash + 1 == via->value.size() ||
            via->value.find('/', slash + 1) != std::string::npos || via->value.find('*') != std::string::npos) {
          auto g = r_.field("via");
          issueAt(via->span, "\"" + via->value + "\" must name the egress Gateway as namespace/name, e.g. istio-system/egress-card");
        } else {
          e.via = {via->value, {via->span.line, via->span.col}};
          e.via_namespace = via->value.substr(0, slash);
          e.via_name = via->value.substr(slash + 1);
        }
      } else if (!n.get("via")) {
        r_.issue(n, "an egress intent needs via: the egress Gateway as namespace/name");
      }
      for (const Str& f : r_.strList(n, "from")) {
        size_t slash = f.value.find('/');
        if (slash == std::string::npos || slash == 0 || slash + 1 == f.value.size() ||
            f.value.find('/', slash + 1) != std::string::npos) {
          auto g = r_.field("from");
          issueAt(f.span, "\"" + f.value + "\" must be namespace/workload (either may be a glob, as in payments/*)");
          continue;
        }
        e.from.push_back({f.value, {f.span.line, f.span.col}});
      }
      c_.egress.push_back(std::move(e));
    });
  }

  decode::Reader& r_;
  LintConfig& c_;
};

}  // namespace

bool EgressIntent::covers(std::string_view ns, std::string_view workload) const {
  if (from.empty()) return true;
  std::string key = std::string(ns) + "/" + std::string(workload);
  return std::any_of(from.begin(), from.end(), [&](const Item& f) { return globMatch(f.value, key); });
}

std::string LintConfig::where(Pos p) const {
  std::string out = path.empty() ? std::string(kDefaultFileName) : path;
  if (p.line != 0) out += ":" + std::to_string(p.line) + ":" + std::to_string(p.col);
  return out;
}

std::optional<rules::Level> LintConfig::levelOf(rules::Code code) const {
  auto it = severity.find(code);
  if (it == severity.end()) return rules::messageType(code).level;
  return it->second.level;
}

bool looksInternalBuiltin(std::string_view host) {
  std::string h = asciiLower(host);
  if (h.starts_with("*.")) h.erase(0, 2);
  for (std::string_view suffix : {"internal", "local", "cluster.local"}) {
    if (h == suffix || endsWith(h, "." + std::string(suffix))) return true;
  }
  // A `corp` label that is not the last one: app.corp.example.com, corp.example.com.
  size_t start = 0;
  while (start < h.size()) {
    size_t dot = h.find('.', start);
    if (dot == std::string::npos) break;
    if (h.compare(start, dot - start, "corp") == 0) return true;
    start = dot + 1;
  }
  return false;
}

bool LintConfig::isInternalHost(std::string_view host) const {
  if (looksInternalBuiltin(host)) return true;
  std::string h = asciiLower(host);
  if (h.starts_with("*.")) h.erase(0, 2);
  return std::any_of(internal_host_suffixes.begin(), internal_host_suffixes.end(),
                     [&](const std::string& s) { return h == s || endsWith(h, "." + s); });
}

const LintConfig& defaults() {
  static const LintConfig kDefaults;
  return kDefaults;
}

std::string ParsedConfig::describeErrors() const {
  std::string out;
  for (const ConfigError& e : errors) out += config.where(e.at) + ": " + e.message + "\n";
  return out;
}

ParsedConfig parse(std::string_view bytes, const std::string& path) {
  ParsedConfig out;
  out.config.path = path;
  yaml::ParseResult parsed = yaml::parse(bytes, 0);
  for (const yaml::ParseProblem& p : parsed.problems) {
    out.errors.push_back({"not valid YAML: " + p.message, {p.span.line, p.span.col}});
  }
  if (parsed.documents.size() > 1) {
    out.errors.push_back({"the configuration must be a single YAML document", {parsed.documents[1]->startLine(), 1}});
  }
  if (!parsed.documents.empty() && parsed.documents.front()->root() != nullptr) {
    std::vector<SchemaIssue> issues;
    decode::Reader r(0, issues);
    ConfigReader(r, out.config).read(*parsed.documents.front()->root());
    for (const SchemaIssue& i : issues) out.errors.push_back({i.message, {i.span.line, i.span.col}});
  }
  std::stable_sort(out.errors.begin(), out.errors.end(), [](const ConfigError& a, const ConfigError& b) {
    return std::tie(a.at.line, a.at.col) < std::tie(b.at.line, b.at.col);
  });
  return out;
}

ParsedConfig load(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    ParsedConfig out;
    out.config.path = path;
    out.errors.push_back({"cannot read the configuration file: it is a directory", {}});
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ParsedConfig out;
    out.config.path = path;
    out.errors.push_back({std::string("cannot read the configuration file: ") + std::strerror(errno), {}});
    return out;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse(bytes, path);
}

}  // namespace istio_lint::model::config
