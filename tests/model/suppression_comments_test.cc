// scanSuppressionComments: which lines a `# istio-lint: ignore=` comment covers, and parsing.

#include <doctest/doctest.h>

#include "model/loader.h"
#include "model/suppression_comments.h"

namespace istio_lint::model {
namespace {

TEST_CASE("suppression comments: placement decides the lines covered") {
  std::string_view text =
      "# istio-lint: ignore=IST0101 reason=\"top\"\n"          // 1: document-level (doc 1)
      "apiVersion: v1\n"                                       // 2
      "kind: Service\n"                                        // 3
      "metadata:\n"                                            // 4
      "  # istio-lint: ignore=IST0118\n"                       // 5: next content line
      "\n"                                                     // 6
      "  # another comment\n"                                  // 7
      "  name: a  # istio-lint: ignore=IST0132,ist0101 reason='x y'\n"  // 8: trailing
      "  url: \"http://h/#istio-lint: no\"\n"                  // 9: inside quotes, not a comment
      "---\n"                                                  // 10
      "# istio-lint: ignore=* reason=\"second\"\n"             // 11: document-level (doc 2)
      "kind: Pod\n"                                            // 12
      "--- # istio-lint: ignore=IST0002 reason=\"third\"\n"   // 13: document-level (doc 3)
      "kind: Pod\n";                                           // 14
  auto cs = scanSuppressionComments(text, 7);
  REQUIRE(cs.size() == 5);
  CHECK(cs[0].span == Span{7, 1, 1});
  CHECK(cs[0].document_level);
  CHECK(cs[0].first_line == 1);
  CHECK(cs[0].last_line == 9);
  CHECK(cs[0].reason == "top");
  CHECK(cs[1].first_line == 8);
  CHECK(cs[1].last_line == 8);
  CHECK(cs[1].reason.empty());
  CHECK(cs[1].problem.empty());
  CHECK(cs[2].codes == std::vector<std::string>{"IST0132", "IST0101"});
  CHECK(cs[2].reason == "x y");
  CHECK(cs[2].covers(8));
  CHECK(!cs[2].covers(7));
  CHECK(cs[3].document_level);
  CHECK(cs[3].codes == std::vector<std::string>{"*"});
  CHECK(cs[3].covers(10));
  CHECK(cs[3].covers(12));
  CHECK(!cs[3].covers(13));
  CHECK(cs[4].document_level);
  CHECK(cs[4].covers(14));
  CHECK(!cs[4].covers(12));
}

TEST_CASE("suppression comments: a comment above the first --- belongs to the next document") {
  auto cs = scanSuppressionComments("# istio-lint: ignore=IST0101 reason=\"r\"\n---\nkind: A\n---\nkind: B\n", 1);
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].covers(3));
  CHECK(!cs[0].covers(5));
}

TEST_CASE("suppression comments: unreadable ones carry a problem") {
  auto problem = [](std::string_view line) {
    auto cs = scanSuppressionComments(std::string(line) + "\nkind: A\n", 1);
    REQUIRE(cs.size() == 1);
    return cs[0].problem;
  };
  CHECK(problem("# istio-lint: ignore IST0101").find("expected key=value") != std::string::npos);
  CHECK(problem("# istio-lint: reason=\"x\"").find("expected ignore=") != std::string::npos);
  CHECK(problem("# istio-lint: ignore=IST0101 because=x").find("unknown key \"because\"") != std::string::npos);
  CHECK(problem("# istio-lint: ignore=IST0101 reason=\"open").find("unterminated") != std::string::npos);
  CHECK(problem("# istio-lint: ignore=IST0101 reason=\"ok\"  # another comment").empty());
  CHECK(scanSuppressionComments("a: 1 # istio-lintx: ignore=IST0101\n", 1).empty());
  CHECK(scanSuppressionComments("a: b#istio-lint: ignore=IST0101\n", 1).empty());  // not a comment
}

TEST_CASE("the loader collects suppression comments with file ids, CRLF included") {
  LoadOptions lo;
  LoadResult r;
  loadBytes("apiVersion: v1\r\nkind: Namespace\r\nmetadata: {name: x}  # istio-lint: ignore=IST0102 reason=\"r\"\r\n", 3, lo, r);
  REQUIRE(r.suppression_comments.size() == 1);
  CHECK(r.suppression_comments[0].span == Span{3, 3, 22});
  CHECK(r.suppression_comments[0].covers(3));
  CHECK(r.suppression_comments[0].reason == "r");
}

}  // namespace
}  // namespace istio_lint::model
