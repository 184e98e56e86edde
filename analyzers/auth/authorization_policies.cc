// auth.AuthorizationPoliciesAnalyzer: an AuthorizationPolicy applies to at least one workload of the
// mesh, and the namespaces its sources name exist.

#include <set>
#include <unordered_set>

#include "analyzers/analyzer.h"
#include "analyzers/policy_helpers.h"
#include "analyzers/registry_entries.h"
#include "model/ascii.h"
#include "model/resources/security.h"

namespace istio_lint::analyzers {
namespace {

using model::AuthorizationPolicy;
using model::Workload;

/// Istio's namespace patterns: `*`, `prefix*`, `*suffix`, else an exact (case-insensitive) name.
bool namespaceMatches(std::string_view ns, std::string_view pattern) {
  if (pattern == "*") return true;
  if (pattern.starts_with('*')) return ns.ends_with(pattern.substr(1));
  if (pattern.ends_with('*')) return ns.starts_with(pattern.substr(0, pattern.size() - 1));
  return model::equalsIgnoreCase(ns, pattern);
}

class AuthorizationPoliciesAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{"auth.AuthorizationPoliciesAnalyzer",
                                        "Checks the validity of authorization policies",
                                        {Kind::MeshConfig, Kind::AuthorizationPolicy, Kind::Namespace, Kind::Pod},
                                        {Code::IST0101, Code::IST0127}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    // Workloads of the mesh (sidecar or ambient), and the namespaces that have one.
    std::unordered_set<const Workload*> mesh;
    std::set<std::string> mesh_namespaces;
    for (const Workload* w : g.workloads().all()) {
      if (policy::inMesh(g, *w) || policy::inAmbient(*w)) {
        mesh.insert(w);
        mesh_namespaces.insert(w->ns());
      }
    }
    // Namespaces known to exist: Namespace objects and the namespaces of declared resources.
    std::set<std::string> namespaces;
    for (const model::Resource* r : g.ofKind(Kind::Namespace)) namespaces.insert(r->name());
    for (const model::Resource* r : g.all()) {
      if (!r->synthetic && !r->ns().empty()) namespaces.insert(r->ns());
    }
    const std::string& root = g.meshConfig().root_namespace;
    for (const AuthorizationPolicy* ap : g.typed<AuthorizationPolicy>(Kind::AuthorizationPolicy)) {
      checkWorkloads(ctx, *ap, root, mesh, mesh_namespaces);
      checkNamespaces(ctx, *ap, namespaces);
    }
  }

 private:
  static void checkWorkloads(Context& ctx, const AuthorizationPolicy& ap, const std::string& root,
                             const std::unordered_set<const Workload*>& mesh,
                             const std::set<std::string>& mesh_namespaces) {
    const model::MeshGraph& g = ctx.graph();
    const model::PolicyTarget& t = ap.target;
    if (t.targeted()) return;  // attached to a Gateway, Service or ServiceEntry, not by labels
    const bool mesh_wide = ap.ns() == root;
    if (!t.selector) {
      if (mesh_wide || mesh_namespaces.count(ap.ns())) return;
      rules::Finding& f = ctx.report(Code::IST0127, ap, ap.meta.ns.span, "");
      f.message += "(none). The policy applies to every workload of namespace " +
                   (ap.ns().empty() ? std::string("(none)") : ap.ns()) +
                   ", but no Pod or workload template there is part of the mesh (sidecar or ambient)";
      return;
    }
    const model::Labels& labels = t.selector->match_labels;
    for (const Workload* w : g.workloads().select(labels, ap.ns(), mesh_wide)) {
      if (mesh.count(w)) return;
    }
    rules::Finding& f = ctx.report(Code::IST0127, ap, t.selector->labels_span, policy::labelsString(labels));
    f.message += mesh_wide ? ". The policy is in the root namespace " + root +
                                 " and applies mesh-wide, but no workload of the mesh (sidecar or ambient) has these "
                                 "labels"
                           : ". No workload of the mesh (sidecar or ambient) in namespace " +
                                 (ap.ns().empty() ? std::string("(none)") : ap.ns()) + " has these labels";
  }

  static void checkNamespaces(Context& ctx, const AuthorizationPolicy& ap, const std::set<std::string>& namespaces) {
    for (const model::AuthzRule& rule : ap.rules) {
      for (const model::AuthzSource& src : rule.from) {
        for (const auto* list : {&src.namespaces, &src.not_namespaces}) {
          for (const model::Str& pattern : *list) {
            bool found = false;
            for (const std::string& ns : namespaces) {
              if (namespaceMatches(ns, pattern.value)) {
                found = true;
                break;
              }
            }
            if (found) continue;
            rules::Finding& f = ctx.report(Code::IST0101, ap, pattern.span, "namespace", pattern.value);
            f.message += ". No namespace in the inputs matches it (neither a Namespace object nor the namespace "
                         "of a resource), so this source never matches: fix the name or pattern";
          }
        }
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeAuthAuthorizationPoliciesAnalyzer() { return std::make_unique<AuthorizationPoliciesAnalyzer>(); }

}  // namespace istio_lint::analyzers
