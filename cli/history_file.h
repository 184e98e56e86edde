#pragma once

// The history file of the `simulate -i` prompt, ~/.istio-lint_history: plain text, one line per
// entry, the newest last, kept to the last kMaxHistoryEntries. Created with mode 0600 (lines may
// carry headers such as tokens). Used only when the prompt reads from a terminal.

#include <string>
#include <string_view>
#include <vector>

namespace istio_lint::cli {

inline constexpr size_t kMaxHistoryEntries = 1000;
/// Only the last this many bytes of a history file are read.
inline constexpr size_t kMaxHistoryBytes = 1 << 20;

/// `$HOME/.istio-lint_history`; empty (no history file) when HOME is unset or empty.
std::string historyPath(const char* home);

/// The entries of the file at `path`, oldest first: its last kMaxHistoryEntries lines that are
/// entries (not blank, no control characters, not too long for a request line), read from its last
/// kMaxHistoryBytes. A file holding more lines is rewritten with only those. A missing file is no
/// history; any other failure sets `error` and returns what could be read.
std::vector<std::string> loadHistory(const std::string& path, std::string& error);

/// Appends `entry` as one line. False with `error` set when the file cannot be written. Entries
/// that cannot be kept as one line (line breaks, control characters) are skipped (true).
bool appendHistory(const std::string& path, std::string_view entry, std::string& error);

/// Whether `line` can be kept in the history file.
bool isHistoryEntry(std::string_view line);

}  // namespace istio_lint::cli
