#pragma once

// A finding's identity that survives edits elsewhere in the file: code, origin resource (or, for
// findings about no resource, the file), analyzer and the message with positions taken out.
// Baselines match on it; SARIF carries it as a partial fingerprint.

#include <string>
#include <string_view>

#include "model/source_span.h"
#include "rules/finding.h"

namespace istio_lint::cli {

/// The message with line/column positions removed: "a.yaml:12:3" -> "a.yaml", "line 4" -> "line";
/// bytes that are not UTF-8 become U+FFFD (model/utf8.h), as in a baseline file.
std::string normalizeMessage(std::string_view message);

/// The origin resource ("Kind ns/name"), or the file for a finding about no resource, as valid
/// UTF-8.
std::string findingSubject(const rules::Finding& f, const model::FileTable& files);

/// "CODE|origin-or-file|analyzer|normalized message".
std::string findingKey(const rules::Finding& f, const model::FileTable& files);
/// The same key from its parts (a baseline file's entries).
std::string findingKey(std::string_view code, std::string_view subject, std::string_view analyzer,
                       std::string_view normalized_message);

/// A short hex digest of findingKey (FNV-1a 64), for SARIF partialFingerprints.
std::string findingFingerprint(const rules::Finding& f, const model::FileTable& files);

}  // namespace istio_lint::cli
