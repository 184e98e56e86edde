#pragma once

// `istio-lint simulate -i`: the routing model is compiled once, then each line read is one
// request (cli/request_line.h), traced and printed as one-shot `simulate` prints it. With a
// terminal on stdin: line editing, history (~/.istio-lint_history) and tab completion through
// libedit; otherwise plain lines, for scripts. See docs/simulate.md, "Interactive prompt".

#include <cstdio>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "cli/prompt_models.h"
#include "cli/request_line.h"
#include "cli/simulate_completion.h"

namespace istio_lint::cli {

struct PromptOptions {
  RequestFields defaults;  // from the command line flags
  bool json = false;       // -o json: one JSON object per request line
};

/// The state of one prompt session: the models, the defaults, the history, what was rejected.
class PromptSession {
 public:
  PromptSession(PromptModels& models, PromptOptions options, std::ostream& out, std::ostream& err);

  /// Handles one line (without its line break); `bytes` is its length when it was cut to
  /// kMaxLineBytes + 1 bytes while reading. False when the line ends the session (quit, exit).
  bool handle(std::string_view line, size_t bytes = 0);

  /// Lines rejected (parse errors, unknown entry points) so far.
  size_t rejected() const { return rejected_; }
  const CompletionIndex& completion() const { return completion_; }
  /// Adds `line` to the history `history` prints, unless it is blank or a comment, cannot be kept
  /// as one line of the history file, or repeats the last entry. True when it was added.
  bool remember(std::string_view line);
  const PromptModels& models() const { return models_; }
  /// Interactive: errors point at the column under the prompt instead of echoing the line.
  void setInteractive(bool interactive) { interactive_ = interactive; }
  static constexpr std::string_view kPrompt = "simulate> ";

  std::string helpText() const;

 private:
  void reject(std::string_view line, size_t column, const std::string& message);

  PromptModels& models_;
  PromptOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  CompletionIndex completion_;
  std::vector<std::string> history_;
  size_t line_number_ = 0;
  size_t rejected_ = 0;
  size_t traced_ = 0;
  bool interactive_ = false;
};

/// Reads lines from `in` until its end or `quit`; a line longer than kMaxLineBytes is read to
/// its end but kept only to kMaxLineBytes + 1 bytes. Returns the exit code: 2 when a line was
/// rejected, else 0.
int runScriptedPrompt(std::FILE* in, PromptSession& session);

/// The prompt with libedit on a terminal: line editing, history, tab completion. Exit code 0.
int runInteractivePrompt(PromptSession& session);

}  // namespace istio_lint::cli
