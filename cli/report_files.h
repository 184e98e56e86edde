#pragma once

// `--report-files F...` (pre-commit mode): everything given as input is loaded and analyzed for
// context, but only findings located in these files are reported. Paths are compared after
// making them absolute and normal, so "./a.yaml", "a.yaml" and "/repo/a.yaml" are one file.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/source_span.h"

namespace istio_lint::cli {

class ReportFiles {
 public:
  /// nullopt with `error` set when a listed file does not exist.
  static std::optional<ReportFiles> make(const std::vector<std::string>& paths, std::string& error);

  /// Whether the input file `id` is one of the listed files (cached per id).
  bool contains(const model::FileTable& files, uint32_t id) const;

 private:
  std::set<std::string> normal_;
  mutable std::vector<signed char> cache_;  // per file id: -1 unknown, 0 no, 1 yes
};

}  // namespace istio_lint::cli
