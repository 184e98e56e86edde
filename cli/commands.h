#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace istio_lint::cli {

using Args = std::vector<std::string>;

/// One subcommand (ninja's tool table): name, one-line summary, entry point.
struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(const Args& args);
};

int runAnalyze(const Args& args);
int runExplain(const Args& args);
int runRules(const Args& args);
int runSimulate(const Args& args);
int runReplay(const Args& args);
int runServe(const Args& args);

/// The subcommand table, in the order `--help` lists it.
const std::vector<Command>& commands();

/// Exit codes, identical for every output format.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;

std::string versionString();

/// Closest candidates by edit distance (for "did you mean"); empty when nothing is close.
std::vector<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace istio_lint::cli
