// virtualservice.RegexAnalyzer (IL4001): a regular expression in a VirtualService that RE2, the
// engine Envoy matches with, rejects. istiod passes these strings to Envoy as safe_regex, and
// Envoy refuses the whole route configuration of the listener that carries an invalid one.
//
// Checked: http[].match[] uri, scheme, method, authority, headers, withoutHeaders and queryParams
// `regex` values, and http[].rewrite.uriRegexRewrite.match. The schema analyzer does not look
// inside regexes, so each invalid one is reported once, here (docs/compat.md).

#include <re2/re2.h>

#include "analyzers/analyzer.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

using model::VirtualService;

class RegexAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "virtualservice.RegexAnalyzer",
        "Checks that the regular expressions of a virtual service compile with RE2",
        {Kind::VirtualService},
        {Code::IL4001}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    for (const VirtualService* vs : ctx.graph().typed<VirtualService>(Kind::VirtualService)) {
      for (size_t i = 0; i < vs->http.size(); ++i) {
        const model::HttpRoute& r = vs->http[i];
        const std::string route = "http[" + std::to_string(i) + "]";
        for (size_t j = 0; j < r.match.size(); ++j) {
          const model::HttpMatch& m = r.match[j];
          const std::string at = route + ".match[" + std::to_string(j) + "].";
          check(ctx, *vs, at + "uri", m.uri);
          check(ctx, *vs, at + "scheme", m.scheme);
          check(ctx, *vs, at + "method", m.method);
          check(ctx, *vs, at + "authority", m.authority);
          for (const auto& [name, sm] : m.headers) check(ctx, *vs, at + "headers." + name, sm);
          for (const auto& [name, sm] : m.without_headers) check(ctx, *vs, at + "withoutHeaders." + name, sm);
          for (const auto& [name, sm] : m.query_params) check(ctx, *vs, at + "queryParams." + name, sm);
        }
        if (r.rewrite && !r.rewrite->regex_match.empty()) {
          compile(ctx, *vs, route + ".rewrite.uriRegexRewrite.match", r.rewrite->regex_match,
                  r.rewrite->regex_match_span.known() ? r.rewrite->regex_match_span : r.rewrite->span);
        }
      }
    }
  }

 private:
  static void check(Context& ctx, const VirtualService& vs, const std::string& field, const model::StringMatch& m) {
    if (m.type == model::StringMatch::Type::Regex) compile(ctx, vs, field + ".regex", m.value, m.span);
  }

  static void compile(Context& ctx, const VirtualService& vs, const std::string& field, const std::string& pattern,
                      model::Span at) {
    RE2::Options options;
    options.set_log_errors(false);
    RE2 re(pattern, options);
    if (re.ok()) return;
    ctx.report(Code::IL4001, vs, at, field, pattern, re.error());
  }
};

}  // namespace

AnalyzerPtr makeVirtualServiceRegexAnalyzer() { return std::make_unique<RegexAnalyzer>(); }

}  // namespace istio_lint::analyzers
