// serviceentry.ConflictingServiceEntryProtocolAnalyzer: ServiceEntries visible in the same
// namespaces must not give one host and port different protocols; sidecars build one listener
// per port and can only use one of them.

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "model/ascii.h"

namespace istio_lint::analyzers {
namespace {

using model::ServiceEntry;

struct PortUse {
  const ServiceEntry* se;
  const model::ServicePort* port;
  std::string protocol;  // upper-cased
};


class ConflictingServiceEntryProtocolAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "serviceentry.ConflictingServiceEntryProtocolAnalyzer",
        "Checks if multiple ServiceEntries define the same host and port with different protocols",
        {Kind::ServiceEntry},
        {Code::IST0177}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    // (scope, host, port) -> uses; a sorted map, so the output never depends on hashing.
    using Key = std::tuple<std::string, std::string, uint32_t>;
    std::map<Key, std::vector<PortUse>> index;
    for (const ServiceEntry* se : ctx.graph().typed<ServiceEntry>(Kind::ServiceEntry)) {
      for (const std::string& scope : scopes(*se)) {
        for (const model::Str& h : se->hosts) {
          for (const model::ServicePort& p : se->ports) {
            index[{scope, h.value, p.number}].push_back({se, &p, model::asciiUpper(p.protocol.value)});
          }
        }
      }
    }
    std::set<const ServiceEntry*> reported;
    for (const auto& [key, uses] : index) {
      const auto& [scope, host, port] = key;
      std::vector<PortUse> group = uses;
      // Namespaces an entry is exported to also see every entry exported everywhere.
      if (scope != "*") {
        auto it = index.find({"*", host, port});
        if (it != index.end()) group.insert(group.end(), it->second.begin(), it->second.end());
      }
      std::set<std::string> protocols;
      for (const PortUse& u : group) protocols.insert(u.protocol);
      if (protocols.size() < 2) continue;
      std::set<std::string> names;
      for (const PortUse& u : group) names.insert(u.se->qualifiedName());
      std::string names_text, protocols_text;
      for (const std::string& n : names) names_text += (names_text.empty() ? "" : ", ") + n;
      for (const std::string& p : protocols) protocols_text += (protocols_text.empty() ? "" : ", ") + p;
      for (const PortUse& u : group) {
        if (!reported.insert(u.se).second) continue;
        rules::Finding& f = ctx.report(Code::IST0177, *u.se, u.port->protocol.span.known() ? u.port->protocol.span : u.port->span,
                                       names_text, host, port, protocols_text);
        for (const PortUse& other : group) {
          if (other.se == u.se || other.protocol == u.protocol) continue;
          f.notes.push_back({"ServiceEntry " + other.se->qualifiedName() + " declares port " + std::to_string(port) + " as " +
                                 (other.protocol.empty() ? std::string("unset") : other.protocol) +
                                 "; use one protocol for the port in every ServiceEntry of the host",
                             other.port->protocol.span.known() ? other.port->protocol.span : other.port->span});
        }
      }
    }
  }

 private:
  /// `*` when exported everywhere (no exportTo, or `*` in it), else each namespace (`.` is its own).
  static std::vector<std::string> scopes(const ServiceEntry& se) {
    std::vector<std::string> out;
    for (const model::Str& e : se.export_to) {
      if (e.value == "*") return {"*"};
      std::string ns = e.value == "." ? se.ns() : e.value;
      if (std::find(out.begin(), out.end(), ns) == out.end()) out.push_back(ns);
    }
    if (out.empty()) out.push_back("*");
    return out;
  }
};

}  // namespace

AnalyzerPtr makeServiceEntryConflictingServiceEntryProtocolAnalyzer() {
  return std::make_unique<ConflictingServiceEntryProtocolAnalyzer>();
}

}  // namespace istio_lint::analyzers
