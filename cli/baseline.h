#pragma once

// Baselines: `--write-baseline FILE` records today's findings, `--baseline FILE` then reports only
// findings that are not in it. Findings are matched by findingKey (code, resource or file,
// analyzer, message without positions), so edits that move lines do not break the match; each
// key keeps a count, so a second identical finding is new.
//
// File format (JSON, sorted, stable under re-generation):
//   {"istioLintBaseline": 1, "findings": [{"code": "IST0101", "subject": "VirtualService shop/x",
//     "analyzer": "virtualservice.GatewayAnalyzer", "message": "...", "count": 1}, ...]}

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/source_span.h"
#include "rules/finding.h"

namespace istio_lint::cli {

struct Baseline {
  std::map<std::string, size_t> counts;  // findingKey -> how many
};

/// Reads FILE; nullopt with `error` set when it cannot be read or is not a baseline.
std::optional<Baseline> readBaseline(const std::string& path, std::string& error);

/// Writes the findings as a baseline; false with `error` set when the file cannot be written.
bool writeBaseline(const std::string& path, const std::vector<rules::Finding>& findings,
                   const model::FileTable& files, std::string& error);

/// Drops findings the baseline records (each key at most its count times, in order) and returns
/// how many were dropped.
size_t applyBaseline(std::vector<rules::Finding>& findings, const Baseline& baseline, const model::FileTable& files);

}  // namespace istio_lint::cli
