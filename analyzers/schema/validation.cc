// schema.ValidationAnalyzer.<Kind>: one instance per Istio kind. Reports the field problems the
// decoder found (wrong types, values outside an enum) and the kind's semantic checks.

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"
#include "model/route_rules.h"

namespace istio_lint::analyzers {
namespace {

class ValidationAnalyzer final : public Analyzer {
 public:
  explicit ValidationAnalyzer(Kind kind)
      : kind_(kind),
        meta_{"schema.ValidationAnalyzer." + std::string(model::kindInfo(kind).id),
              "Runs schema validation as an analyzer and reports any violations",
              {kind},
              {Code::IST0106, Code::IST0133}} {
    if (kind == Kind::VirtualService) {
      meta_.codes.push_back(Code::IST0130);
      meta_.codes.push_back(Code::IST0131);
    }
  }

  const AnalyzerMetadata& metadata() const override { return meta_; }

  void analyze(Context& ctx) const override {
    for (const model::Resource* r : ctx.graph().ofKind(kind_)) {
      for (const model::SchemaIssue& issue : r->schema_issues) {
        ctx.report(issue.warning ? Code::IST0133 : Code::IST0106, *r, issue.span, issue.message);
      }
      if (kind_ == Kind::VirtualService) reportUnreachableRules(ctx, static_cast<const model::VirtualService&>(*r));
    }
  }

 private:
  /// IST0130 / IST0131: rules and matches that earlier rules of the same VirtualService shadow.
  static void reportUnreachableRules(Context& ctx, const model::VirtualService& vs) {
    using Type = model::RouteRuleIssue::Type;
    for (const model::RouteRuleIssue& i : model::findUnreachableRouteRules(vs)) {
      if (i.type == Type::UnreachableRule) {
        rules::Finding& f = ctx.report(Code::IST0130, vs, i.span, i.rule, i.reason);
        if (i.earlier_span.known()) {
          f.notes.push_back({"rule " + i.earlier_rule + " takes this traffic first; move the more specific "
                             "rule before it, or remove the unused one", i.earlier_span});
        }
      } else {
        rules::Finding& f = ctx.report(Code::IST0131, vs, i.span, i.rule, i.match, i.earlier_rule);
        f.notes.push_back({"the earlier match is here; requests it matches never reach this one",
                           i.earlier_span});
      }
    }
  }

  Kind kind_;
  AnalyzerMetadata meta_;
};

}  // namespace

AnalyzerPtr makeSchemaValidationAnalyzer(Kind kind) { return std::make_unique<ValidationAnalyzer>(kind); }

}  // namespace istio_lint::analyzers
