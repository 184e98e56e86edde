// `explain` renders the rule page for a terminal; the Markdown helpers behind it (also used by SARIF).

#include <doctest/doctest.h>

#include "cli/markdown.h"
#include "tests/test_util.h"

namespace istio_lint::cli {
namespace {

using istio_lint::testing::runLint;

constexpr std::string_view kPage = R"(# IL9 Thing

- Level: Info

## What it does

Reports `x` when **y**
is [wrong](other.md).

```yaml
a: 1  # not a heading
# also not a heading
```

## Why is this bad

Because.
)";

TEST_CASE("markdown: sections and first paragraphs") {
  CHECK(markdown::section(kPage, "Why is this bad") == "Because.\n");
  std::string what = markdown::section(kPage, "What it does");
  CHECK(what.find("# also not a heading") != std::string::npos);  // code blocks do not end sections
  CHECK(what.find("Because") == std::string::npos);
  CHECK(markdown::firstParagraph(what) == "Reports x when y is wrong.");
  CHECK(markdown::section(kPage, "Missing").empty());
}

TEST_CASE("markdown: terminal rendering, plain and coloured") {
  std::string plain = markdown::renderTerminal(kPage, false);
  CHECK(plain.find("IL9 Thing\n=========\n") != std::string::npos);
  CHECK(plain.find("What it does\n------------\n") != std::string::npos);
  CHECK(plain.find("    a: 1  # not a heading\n") != std::string::npos);  // code indented
  CHECK(plain.find("```") == std::string::npos);
  CHECK(plain.find("  • Level: Info\n") != std::string::npos);
  CHECK(plain.find("  Reports x when y\n") != std::string::npos);
  CHECK(plain.find('\033') == std::string::npos);
  std::string color = markdown::renderTerminal(kPage, true);
  CHECK(color.find("\033[1mIL9 Thing\033[0m") != std::string::npos);
  CHECK(color.find("\033[36mx\033[0m") != std::string::npos);
}

TEST_CASE("explain renders the page: no Markdown fences, colour only when asked or on a TTY") {
  auto r = runLint({"explain", "IST0101"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.starts_with("IST0101 ReferencedResourceNotFound\n"));
  CHECK(r.out.find("What it does\n------------") != std::string::npos);
  CHECK(r.out.find("```") == std::string::npos);
  CHECK(r.out.find('\033') == std::string::npos);  // stdout is a file here
  CHECK(r.out.find("Documentation: https://istio.io/") != std::string::npos);
  auto c = runLint({"explain", "--color", "always", "IST0101"});
  CHECK(c.exit_code == 0);
  CHECK(c.out.find("\033[1mIST0101 ReferencedResourceNotFound\033[0m") != std::string::npos);
  auto raw = runLint({"explain", "--raw", "IL0050"});
  CHECK(raw.out.starts_with("# IL0050 InvalidSuppressionComment\n"));
  auto typo = runLint({"explain", "IST0110x"});
  CHECK(typo.exit_code == 2);
  CHECK(typo.err.find("did you mean IST0110?") != std::string::npos);
  CHECK(runLint({"explain", "--color", "sometimes", "IST0101"}).exit_code == 2);
}

}  // namespace
}  // namespace istio_lint::cli
