#pragma once

// A finding's identity that survives edits elsewhere in the file: code, origin resource (or, for
// findings about no resource, the file), analyzer and the message with positions taken out.
// Baselines match on it; SARIF carries it as a partial fingerprint.

#include <string>

#include "model/source_span.h"
#include "rules/finding.h"

namespace istio_lint::cli {

/// The message with line/column positions removed: "a.yaml:12:3" -> "a.yaml", "line 4" -> "line";
/// bytes that are not UTF-8 become U+FFFD (model/utf8.h), as in a baseline file.
std::string normalizeMessage(std::string_view message);

/// "CODE|origin-or-file|analyzer|normalized message".
std::string findingKey(const rules::Finding& f, const model::FileTable& files);

/// A short hex digest of findingKey (FNV-1a 64), for SARIF partialFingerprints.
std::string findingFingerprint(const rules::Finding& f, const model::FileTable& files);

}  // namespace istio_lint::cli
