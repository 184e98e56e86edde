// `istio-lint explain CODE` prints the rule's documentation page (embedded at build time);
// `istio-lint rules` lists analyzers and their codes.

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iostream>

#include "analyzers/analyzer.h"
#include <unistd.h>

#include "cli/commands.h"
#include "cli/markdown.h"
#include "cli/rule_docs.h"
#include "model/ascii.h"

namespace istio_lint::cli {
namespace {

/// For a code-shaped word ("IST9999", "il12"), the catalog code of the same family whose number
/// is closest; empty otherwise. Edit distance alone finds nothing when several digits differ.
std::vector<std::string> nearestCode(std::string_view word) {
  const std::string upper = model::asciiUpper(word);
  size_t digits = upper.find_first_of("0123456789");
  if (digits == 0 || digits == std::string::npos || digits + 9 < upper.size() ||
      upper.find_first_not_of("0123456789", digits) != std::string::npos) {
    return {};
  }
  std::string_view family = std::string_view(upper).substr(0, digits);
  long number = std::stol(upper.substr(digits));
  std::string best;
  long best_distance = 0;
  for (const rules::MessageType& t : rules::allMessageTypes()) {
    size_t d = t.code.find_first_of("0123456789");
    if (t.code.substr(0, d) != family) continue;
    long distance = std::labs(std::stol(std::string(t.code.substr(d))) - number);
    if (best.empty() || distance < best_distance) {
      best = t.code;
      best_distance = distance;
    }
  }
  return best.empty() ? std::vector<std::string>{} : std::vector<std::string>{best};
}

}  // namespace

int runExplain(const Args& all_args) {
  // --color auto|always|never (or --color=...), --raw (the Markdown source), then the code.
  std::string color = "auto";
  bool raw = false;
  Args args;
  for (size_t i = 0; i < all_args.size(); ++i) {
    const std::string& a = all_args[i];
    if (a == "--color" && i + 1 < all_args.size()) {
      color = all_args[++i];
    } else if (a.starts_with("--color=")) {
      color = a.substr(8);
    } else if (a == "--raw") {
      raw = true;
    } else {
      args.push_back(a);
    }
  }
  if (args.size() != 1 || args[0] == "-h" || args[0] == "--help" ||
      (color != "auto" && color != "always" && color != "never")) {
    std::cerr << "Usage: istio-lint explain [--color auto|always|never] [--raw] CODE    (for example: istio-lint "
                 "explain IST0101)\n";
    return args.size() == 1 && (args[0] == "-h" || args[0] == "--help") ? kExitOk : kExitUsage;
  }
  auto code = rules::codeFromString(args[0]);
  if (!code) {
    std::vector<std::string> codes;
    for (const rules::MessageType& t : rules::allMessageTypes()) codes.emplace_back(t.code);
    std::cerr << "istio-lint: unknown code \"" << args[0] << "\"";
    auto s = suggest(args[0], codes);
    if (s.empty()) s = nearestCode(args[0]);
    if (!s.empty()) std::cerr << "; did you mean " << s.front() << "?";
    std::cerr << " (`istio-lint rules` lists every code)\n";
    return kExitUsage;
  }
  const rules::MessageType& t = rules::messageType(*code);
  std::string_view doc = ruleDoc(rules::docPage(*code));
  if (doc.empty()) {
    std::cout << t.code << " " << t.name << " (" << rules::levelName(t.level) << ")\n" << t.format << "\n";
  } else if (raw) {
    std::cout << doc;
  } else {
    const char* term = std::getenv("TERM");
    bool use_color = color == "always" ||
                     (color == "auto" && ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr &&
                      !(term && std::string_view(term) == "dumb"));
    std::cout << markdown::renderTerminal(doc, use_color);
    std::cout << "\nDocumentation: " << rules::documentationUrl(*code) << "\n";
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
