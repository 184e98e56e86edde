// istio-lint: an offline analyzer for Istio configuration. `istio-lint [analyze] PATHS...`.

#include <iostream>

#include "cli/commands.h"

namespace istio_lint::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> kCommands{
      {"analyze", "run analyzers over manifests and report findings (the default)", &runAnalyze},
      {"explain", "show the documentation of a rule: istio-lint explain IST0101", &runExplain},
      {"replay", "decide many requests (request lines, JSON, Envoy access logs): summary, expectations, --diff", &runReplay},
      {"rules", "list every analyzer and the codes it emits", &runRules},
      {"serve", "a gateway's listeners on 127.0.0.1 routing real requests: serve PATHS --gateway NS/NAME", &runServe},
      {"simulate", "trace a request hop by hop: simulate PATHS --gateway NS/NAME --host H; -i: a prompt", &runSimulate},
  };
  return kCommands;
}

std::string versionString() { return "istio-lint 0.1.0"; }

namespace {

void usage(std::ostream& out) {
  out << "istio-lint — offline analyzer for Istio configuration\n\n"
         "Usage:\n  istio-lint [analyze] [flags] PATH...\n  istio-lint <command> [args]\n\nCommands:\n";
  for (const Command& c : commands()) out << "  " << c.name << std::string(10 - c.name.size(), ' ') << c.summary << "\n";
  out << "\nExamples:\n"
         "  istio-lint -A ./manifests                 analyze every namespace in a directory\n"
         "  kubectl get vs,gw,dr,se -A -o yaml | istio-lint -A -\n"
         "  istio-lint -A ./manifests -o json         machine-readable findings\n"
         "  istio-lint explain IST0101                what a code means and how to fix it\n"
         "  istio-lint replay ./manifests --traffic access.log --gateway istio-system/ingressgateway\n"
         "  istio-lint serve ./manifests --gateway istio-system/public-gw   real requests on 127.0.0.1\n\n"
         "Run `istio-lint analyze --help` for every analyze flag.\n";
}

}  // namespace
}  // namespace istio_lint::cli

int main(int argc, char** argv) {
  using namespace istio_lint::cli;
  Args args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || (args.size() == 1 && (args[0] == "-h" || args[0] == "--help"))) {
    usage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::cout << versionString() << "\n";
    return kExitOk;
  }
  for (const Command& c : commands()) {
    if (args[0] == c.name) return c.run(Args(args.begin() + 1, args.end()));
  }
  return runAnalyze(args);
}
