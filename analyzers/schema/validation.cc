// schema.ValidationAnalyzer.<Kind>: one instance per Istio kind. Reports the field problems the
// decoder found (wrong types, values outside an enum) and the kind's semantic checks.

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

class ValidationAnalyzer final : public Analyzer {
 public:
  explicit ValidationAnalyzer(Kind kind)
      : kind_(kind),
        meta_{"schema.ValidationAnalyzer." + std::string(model::kindInfo(kind).id),
              "Runs schema validation as an analyzer and reports any violations",
              {kind},
              {Code::IST0106, Code::IST0133}} {}

  const AnalyzerMetadata& metadata() const override { return meta_; }

  void analyze(Context& ctx) const override {
    for (const model::Resource* r : ctx.graph().ofKind(kind_)) {
      for (const model::SchemaIssue& issue : r->schema_issues) {
        ctx.report(issue.warning ? Code::IST0133 : Code::IST0106, *r, issue.span, issue.message);
      }
    }
  }

 private:
  Kind kind_;
  AnalyzerMetadata meta_;
};

}  // namespace

AnalyzerPtr makeSchemaValidationAnalyzer(Kind kind) { return std::make_unique<ValidationAnalyzer>(kind); }

}  // namespace istio_lint::analyzers
