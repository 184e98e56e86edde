// input.LoadAnalyzer: what went wrong while reading the inputs — syntax errors, documents that are
// not resources, exceeded limits, unreadable files, invalid fields of Kubernetes kinds, resources
// declared twice and an invalid mesh config. The rest of the input is analyzed regardless.

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

using model::LoadProblem;

Code codeFor(LoadProblem::Type t) {
  switch (t) {
    case LoadProblem::Type::Syntax: return Code::IL0001;
    case LoadProblem::Type::NotAResource: return Code::IL0002;
    case LoadProblem::Type::Limit: return Code::IL0003;
    case LoadProblem::Type::Unreadable: return Code::IL0004;
  }
  return Code::IL0004;
}

class LoadAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "input.LoadAnalyzer",
        "Reports inputs that could not be read: YAML errors, non-resources, limits, duplicates",
        {},
        {Code::IL0001, Code::IL0002, Code::IL0003, Code::IL0004, Code::IL0005, Code::IL0006,
         Code::IL0007}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    for (const LoadProblem& p : g.problems()) ctx.reportAt(codeFor(p.type), p.span, p.message);
    for (const model::Resource* r : g.all()) {
      if (model::kindInfo(r->kind).istio) continue;  // schema.ValidationAnalyzer reports those
      for (const model::SchemaIssue& issue : r->schema_issues) ctx.report(Code::IL0005, *r, issue.span, issue.message);
    }
    for (const model::Duplicate& d : g.duplicates()) {
      const model::Span& at = d.kept->span;
      ctx.report(Code::IL0006, *d.dropped, d.dropped->span, d.dropped->origin(),
                 g.files().path(at.file) + ":" + std::to_string(at.line));
    }
    for (const model::SchemaIssue& issue : g.meshConfig().issues) {
      ctx.reportAt(Code::IL0007, issue.span, g.meshConfig().source, issue.message);
    }
  }
};

}  // namespace

AnalyzerPtr makeInputLoadAnalyzer() { return std::make_unique<LoadAnalyzer>(); }

}  // namespace istio_lint::analyzers
