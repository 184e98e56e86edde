#pragma once

// The little Markdown the rule pages use (docs/rules/*.md): ATX headings, paragraphs, bullet
// lists, fenced code blocks and inline `code`. Read by `explain` (terminal) and SARIF (a rule's
// description and help).

#include <string>
#include <string_view>

namespace istio_lint::cli::markdown {

/// The body of the section under the heading `title` (any level), up to the next heading of the
/// same or a higher level; empty when there is none.
std::string section(std::string_view md, std::string_view title);

/// The first paragraph of `md` as one line of plain text (inline markup removed).
std::string firstParagraph(std::string_view md);

/// `md` for a terminal: headings emphasised, code blocks indented, bullets as "•", inline code
/// marks dropped. With `color`, ANSI bold/cyan/dim; without, plain text only.
std::string renderTerminal(std::string_view md, bool color);

}  // namespace istio_lint::cli::markdown
