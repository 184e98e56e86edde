#pragma once

// Inline suppressions written as YAML comments, which libyaml's event API does not report, so the
// loader scans the raw bytes for them (only files that contain "istio-lint:" at all):
//
//   gateways: [public-gw]  # istio-lint: ignore=IST0101 reason="bound by the platform team's chart"
//   # istio-lint: ignore=IST0132,IST0101 reason="..."     (own line: the next line with content)
//   # istio-lint: ignore=* reason="..."                   (before the document's first content
//   apiVersion: ...                                         line: the whole document)
//
// A trailing comment covers its own line; a comment on its own line inside a document covers the
// next line that is not blank or a comment; one before the first content line of a document (after
// `---`, or at the top of the file) covers every line of that document.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/source_span.h"

namespace istio_lint::model {

struct SuppressionComment {
  Span span;                       // the comment's '#'
  std::string text;                // the comment from "istio-lint:" on, trimmed
  std::vector<std::string> codes;  // as written, upper-cased; "*" means every code
  std::string reason;              // empty when the comment gives none
  std::string problem;             // why the comment cannot be read fully, else empty
  bool document_level = false;
  uint32_t first_line = 0;  // lines of findings it covers, inclusive; 0 when it covers none
  uint32_t last_line = 0;

  bool covers(uint32_t line) const { return first_line != 0 && line >= first_line && line <= last_line; }
};

/// The suppression comments of one file, in line order.
std::vector<SuppressionComment> scanSuppressionComments(std::string_view bytes, uint32_t file);

}  // namespace istio_lint::model
