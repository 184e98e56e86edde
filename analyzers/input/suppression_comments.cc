// input.SuppressionCommentAnalyzer: `# istio-lint: ignore=CODE reason="..."` comments that give no
// reason, cannot be read, or name codes that do not exist. The suppression itself is applied by
// the driver (analyzers/inline_suppression.h); a comment without a reason still suppresses.

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

class SuppressionCommentAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "input.SuppressionCommentAnalyzer",
        "Reports `# istio-lint: ignore=` comments without a reason, unreadable ones and unknown codes",
        {},
        {Code::IL0050}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    for (const model::SuppressionComment& c : ctx.graph().suppressionComments()) {
      if (!c.problem.empty()) {
        ctx.reportAt(Code::IL0050, c.span, c.text,
                     "cannot be read: " + c.problem + "; write # istio-lint: ignore=CODE[,CODE...] reason=\"why\"");
        continue;
      }
      for (const std::string& code : c.codes) {
        if (code != "*" && !rules::codeFromString(code)) {
          ctx.reportAt(Code::IL0050, c.span, c.text,
                       "names " + code + ", which is not a code; `istio-lint rules` lists them");
        }
      }
      if (c.reason.empty()) {
        ctx.reportAt(Code::IL0050, c.span, c.text,
                     "gives no reason; add reason=\"...\" saying why the finding is acceptable here");
      }
    }
  }
};

}  // namespace

AnalyzerPtr makeInputSuppressionCommentAnalyzer() { return std::make_unique<SuppressionCommentAnalyzer>(); }

}  // namespace istio_lint::analyzers
