// `istio-lint explain CODE` prints the rule's documentation page (embedded at build time);
// `istio-lint rules` lists analyzers and their codes.

#include <iostream>

#include "analyzers/analyzer.h"
#include "cli/commands.h"
#include "cli/rule_docs.h"

namespace istio_lint::cli {

int runExplain(const Args& args) {
  if (args.size() != 1 || args[0] == "-h" || args[0] == "--help") {
    std::cerr << "Usage: istio-lint explain CODE    (for example: istio-lint explain IST0101)\n";
    return args.size() == 1 ? kExitOk : kExitUsage;
  }
  auto code = rules::codeFromString(args[0]);
  if (!code) {
    std::vector<std::string> codes;
    for (const rules::MessageType& t : rules::allMessageTypes()) codes.emplace_back(t.code);
    std::cerr << "istio-lint: unknown code \"" << args[0] << "\"";
    auto s = suggest(args[0], codes);
    if (!s.empty()) std::cerr << "; did you mean " << s.front() << "?";
    std::cerr << " (`istio-lint rules` lists every code)\n";
    return kExitUsage;
  }
  const rules::MessageType& t = rules::messageType(*code);
  std::string_view doc = ruleDoc(rules::docPage(*code));
  if (doc.empty()) {
    std::cout << t.code << " " << t.name << " (" << rules::levelName(t.level) << ")\n" << t.format << "\n";
  } else {
    std::cout << doc;
  }
  return kExitOk;
}

int runRules(const Args&) {
  for (const analyzers::AnalyzerPtr& a : analyzers::allAnalyzers()) {
    std::cout << a->metadata().name << "\n    " << a->metadata().description << "\n";
    for (rules::Code c : a->metadata().codes) {
      const rules::MessageType& t = rules::messageType(c);
      std::cout << "    " << t.code << " " << t.name << " [" << rules::levelName(t.level) << "]\n";
    }
  }
  return kExitOk;
}

}  // namespace istio_lint::cli
