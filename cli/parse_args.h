#pragma once

// Parses a subcommand's arguments with CLI11, the same way for every command.

#include <iostream>
#include <optional>
#include <string_view>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace istio_lint::cli {

/// Parses `args` into `app`. Returns the exit code when the command must stop here: kExitOk after
/// printing --help, kExitUsage after a parse error (with a pointer to `istio-lint COMMAND --help`).
inline std::optional<int> parseArgs(CLI::App& app, const Args& args, std::string_view command) {
  try {
    Args rev(args.rbegin(), args.rend());
    app.parse(rev);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::cerr << "istio-lint: " << e.what() << "\nRun `istio-lint " << command << " --help` for usage.\n";
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace istio_lint::cli
