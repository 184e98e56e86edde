// envoyfilter.EnvoyPatchAnalyzer: patch operations that Istio ignores for their applyTo (ADD and
// REMOVE on route configurations and HTTP routes, REPLACE outside filters and virtual hosts), and
// relative operations in an EnvoyFilter without a priority, whose order of application is then
// not defined (worse when another patch of the same filter is pinned to a proxy version).

#include <map>
#include <set>

#include "analyzers/analyzer.h"
#include "analyzers/policy_helpers.h"
#include "analyzers/registry_entries.h"
#include "model/resources/extensions.h"

namespace istio_lint::analyzers {
namespace {

using model::EnvoyConfigPatch;
using model::EnvoyFilter;

/// The name a patch is about, as istio's analyzer derives it: the patch value's `name`, else the
/// name of the listener filter it matches. Empty when the patch has no value.
std::string instanceName(const EnvoyConfigPatch& p) {
  if (!p.has_value) return "";
  if (p.value_name) return "value.name=" + p.value_name->value;
  if (!p.filter_name.empty()) return "filter.name=" + p.filter_name.value;
  return "";
}

bool routeLevel(const std::string& apply_to) { return apply_to == "ROUTE_CONFIGURATION" || apply_to == "HTTP_ROUTE"; }

class EnvoyPatchAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "envoyfilter.EnvoyPatchAnalyzer",
        "Checks an envoyFilters",
        {Kind::EnvoyFilter},
        {Code::IST0151, Code::IST0152, Code::IST0153, Code::IST0154, Code::IST0155}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    // Names of patches pinned to a proxy version, accumulated across EnvoyFilters in (namespace,
    // name) order, as istio's analyzer accumulates them.
    std::set<std::string> pinned;
    for (const EnvoyFilter* ef : ctx.graph().typed<EnvoyFilter>(Kind::EnvoyFilter)) check(ctx, *ef, pinned);
  }

 private:
  struct Hit {
    const EnvoyConfigPatch* patch;
    size_t index;
  };

  static void check(Context& ctx, const EnvoyFilter& ef, std::set<std::string>& pinned) {
    // Every code is reported once per EnvoyFilter, at its first patch; later patches become notes.
    std::map<Code, std::vector<Hit>> hits;
    const bool no_priority = ef.priority.value_or(0) == 0;
    for (size_t i = 0; i < ef.patches.size(); ++i) {
      const EnvoyConfigPatch& p = ef.patches[i];
      if (!p.has_patch) break;  // istio's analyzer stops at the first entry without a patch
      const std::string name = instanceName(p);
      const std::string& op = p.operation.value;
      const std::string& apply_to = p.apply_to.value;
      bool relative = false;
      if (op == "ADD") {
        if (routeLevel(apply_to)) hits[Code::IST0153].push_back({&p, i});
      } else if (op == "REMOVE") {
        if (routeLevel(apply_to)) {
          hits[Code::IST0154].push_back({&p, i});
        } else {
          relative = true;
        }
      } else if (op == "REPLACE") {
        if (apply_to != "HTTP_FILTER" && apply_to != "NETWORK_FILTER" && apply_to != "VIRTUAL_HOST") {
          hits[Code::IST0152].push_back({&p, i});
        } else {
          relative = true;
        }
      } else if (op == "INSERT_BEFORE" || op == "INSERT_AFTER") {
        relative = true;
      }
      if (relative && no_priority) {
        hits[!name.empty() && pinned.count(name) ? Code::IST0155 : Code::IST0151].push_back({&p, i});
      }
      if (!p.proxy_version.empty() && !name.empty()) pinned.insert(name);
    }
    for (const auto& [code, list] : hits) report(ctx, ef, code, list);
  }

  static model::Span where(const EnvoyConfigPatch& p) {
    if (p.operation.span.known()) return p.operation.span;
    return p.patch_span.known() ? p.patch_span : p.span;
  }

  static void report(Context& ctx, const EnvoyFilter& ef, Code code, const std::vector<Hit>& list) {
    const EnvoyConfigPatch& first = *list.front().patch;
    rules::Finding& f = ctx.report(code, ef, where(first));
    const std::string at = "configPatches[" + std::to_string(list.front().index) + "]";
    switch (code) {
      case Code::IST0151:
        f.message += " " + at + " is " + first.operation.value + " on " + first.apply_to.value +
                     ": set spec.priority, or use INSERT_FIRST or ADD";
        break;
      case Code::IST0155:
        f.message += " " + at + " is " + first.operation.value + " on " + first.apply_to.value +
                     ", and an earlier patch of the same filter sets match.proxy.proxyVersion: set spec.priority, "
                     "or use INSERT_FIRST or ADD";
        break;
      case Code::IST0152:
        f.message += " " + at + " applies to " + first.apply_to.value +
                     " (REPLACE also works on VIRTUAL_HOST): use MERGE, or REMOVE and ADD, for other objects";
        break;
      case Code::IST0153:
        f.message += " " + at + " applies to " + first.apply_to.value +
                     ": to add an HTTP route use INSERT_BEFORE, INSERT_AFTER or INSERT_FIRST on HTTP_ROUTE; to "
                     "change a route configuration use MERGE";
        break;
      case Code::IST0154:
        f.message += " " + at + " applies to " + first.apply_to.value +
                     ": change the object with MERGE, or remove the VIRTUAL_HOST that contains it";
        break;
      default: break;
    }
    for (size_t i = 1; i < list.size(); ++i) {
      f.notes.push_back({"configPatches[" + std::to_string(list[i].index) + "] has the same problem",
                         where(*list[i].patch)});
    }
  }
};

}  // namespace

AnalyzerPtr makeEnvoyFilterEnvoyPatchAnalyzer() { return std::make_unique<EnvoyPatchAnalyzer>(); }

}  // namespace istio_lint::analyzers
