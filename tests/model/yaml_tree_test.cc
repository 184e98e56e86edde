#include "model/yaml_tree.h"

#include <doctest/doctest.h>

#include <cmath>

namespace istio_lint::model::yaml {
namespace {

/// Parses a one-document stream and returns its root; fails the test on any problem.
struct One {
  explicit One(std::string_view text) : result(parse(text, 7)) {
    REQUIRE(result.problems.empty());
    REQUIRE(result.documents.size() == 1);
    root = result.documents[0]->root();
    REQUIRE(root != nullptr);
  }
  const Node& at(std::string_view key) const {
    const Node* n = root->get(key);
    REQUIRE_MESSAGE(n != nullptr, "missing key " << key);
    return *n;
  }
  ParseResult result;
  const Node* root = nullptr;
};

TEST_CASE("scalars keep their text and type") {
  One d("name: reviews\ncount: 3\nempty:\ntilde: ~\nnull_word: null\nquoted_null: \"null\"\n");
  CHECK(d.root->isMap());
  CHECK(d.root->size == 6);
  CHECK(d.at("name").isScalar());
  CHECK(d.at("name").text == "reviews");
  CHECK(d.at("name").str() == "reviews");
  CHECK(d.at("count").text == "3");
  CHECK(d.at("empty").isNull());
  CHECK(d.at("tilde").isNull());
  CHECK(d.at("null_word").isNull());
  CHECK_FALSE(d.at("quoted_null").isNull());
  CHECK(d.at("quoted_null").isString());
  CHECK(d.at("name").isString());
  CHECK_FALSE(d.at("count").isString());
  CHECK(d.root->get("missing") == nullptr);
  CHECK(d.root->key(0).text == "name");
  CHECK(d.root->value(0).text == "reviews");
  // get() on a non-mapping finds nothing.
  CHECK(d.at("name").get("name") == nullptr);
}

TEST_CASE("scalar styles") {
  One d("plain: a\nsingle: 'b'\ndouble: \"c\\td\"\nliteral: |\n  line1\n  line2\nfolded: >\n  x\n  y\n");
  CHECK(d.at("plain").style == ScalarStyle::Plain);
  CHECK(d.at("single").style == ScalarStyle::Quoted);
  CHECK(d.at("double").style == ScalarStyle::Quoted);
  CHECK(d.at("double").text == "c\td");
  CHECK(d.at("literal").style == ScalarStyle::Literal);
  CHECK(d.at("literal").text == "line1\nline2\n");
  CHECK(d.at("folded").style == ScalarStyle::Literal);
  CHECK(d.at("folded").text == "x y\n");
  // A quoted or block scalar is always a string, whatever it spells.
  One q("a: '42'\nb: \"true\"\nc: |\n  7\n");
  CHECK(q.at("a").isString());
  CHECK_FALSE(q.at("a").asInt());
  CHECK_FALSE(q.at("b").asBool());
  CHECK(q.at("c").isString());
  CHECK_FALSE(q.at("c").asInt());
}

TEST_CASE("sequences and nested mappings") {
  One d("hosts:\n- a\n- b\n- c\nflow: [1, 2]\nnested: {k: {v: deep}}\n");
  const Node& hosts = d.at("hosts");
  REQUIRE(hosts.isSeq());
  REQUIRE(hosts.size == 3);
  CHECK(hosts.at(0).text == "a");
  CHECK(hosts.at(2).text == "c");
  CHECK(d.at("flow").size == 2);
  CHECK(d.at("flow").at(1).asInt() == 2);
  const Node* deep = d.at("nested").get("k");
  REQUIRE(deep != nullptr);
  REQUIRE(deep->get("v") != nullptr);
  CHECK(deep->get("v")->text == "deep");
  // Every node counts itself and its children: 1 + 3 keys + hosts 4 + flow 3 + nested 5.
  CHECK(d.root->weight == 16);
}

TEST_CASE("asInt") {
  One d("a: 42\nb: -7\nc: +3\nd: 0x1F\ne: 0o17\nf: 4.2\ng: 12abc\nh: 99999999999999999999\ni: ''\n"
        "j: 0\nk: -0x10\nl: [1]\n");
  CHECK(d.at("a").asInt() == 42);
  CHECK(d.at("b").asInt() == -7);
  CHECK(d.at("c").asInt() == 3);
  CHECK(d.at("d").asInt() == 31);
  CHECK(d.at("e").asInt() == 15);
  CHECK_FALSE(d.at("f").asInt());
  CHECK_FALSE(d.at("g").asInt());
  CHECK_FALSE(d.at("h").asInt());  // out of range, not wrapped
  CHECK_FALSE(d.at("i").asInt());
  CHECK(d.at("j").asInt() == 0);
  CHECK(d.at("k").asInt() == -16);
  CHECK_FALSE(d.at("l").asInt());
}

TEST_CASE("asBool accepts YAML 1.1 spellings") {
  for (const char* yes : {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"}) {
    One d(std::string("v: ") + yes + "\n");
    CHECK_MESSAGE(d.at("v").asBool() == true, yes);
    CHECK_FALSE(d.at("v").isString());
  }
  for (const char* no : {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"}) {
    One d(std::string("v: ") + no + "\n");
    CHECK_MESSAGE(d.at("v").asBool() == false, no);
  }
  for (const char* other : {"tRUE", "1", "0", "enabled", "'yes'"}) {
    One d(std::string("v: ") + other + "\n");
    CHECK_MESSAGE(!d.at("v").asBool().has_value(), other);
  }
}

TEST_CASE("asDouble") {
  One d("a: 1.5\nb: 1e3\nc: .inf\nd: -.Inf\ne: .nan\nf: 7\ng: -2.25\nh: 1.5x\ni: abc\n");
  CHECK(d.at("a").asDouble() == doctest::Approx(1.5));
  CHECK(d.at("b").asDouble() == doctest::Approx(1000));
  REQUIRE(d.at("c").asDouble());
  CHECK(std::isinf(*d.at("c").asDouble()));
  CHECK(*d.at("c").asDouble() > 0);
  REQUIRE(d.at("d").asDouble());
  CHECK(*d.at("d").asDouble() < 0);
  CHECK(std::isinf(*d.at("d").asDouble()));
  REQUIRE(d.at("e").asDouble());
  CHECK(std::isnan(*d.at("e").asDouble()));
  CHECK(d.at("f").asDouble() == doctest::Approx(7));
  CHECK(d.at("g").asDouble() == doctest::Approx(-2.25));
  CHECK_FALSE(d.at("h").asDouble());
  CHECK_FALSE(d.at("i").asDouble());
  CHECK(d.at("i").isString());
  CHECK_FALSE(d.at("a").isString());
}

TEST_CASE("spans are 1-based line and column") {
  One d("kind: VirtualService\nspec:\n  hosts:\n  - reviews\n  http: [ {name: x} ]\n");
  CHECK(d.root->line == 1);
  CHECK(d.root->col == 1);
  CHECK(d.root->key(0).line == 1);
  CHECK(d.root->key(0).col == 1);
  CHECK(d.at("kind").line == 1);
  CHECK(d.at("kind").col == 7);
  const Node& spec = d.at("spec");
  CHECK(spec.line == 3);  // a block mapping starts at its first key
  CHECK(spec.col == 3);
  const Node* hosts = spec.get("hosts");
  REQUIRE(hosts != nullptr);
  CHECK(hosts->at(0).line == 4);
  CHECK(hosts->at(0).col == 5);
  const Node* http = spec.get("http");
  REQUIRE(http != nullptr);
  CHECK(http->line == 5);
  CHECK(http->col == 9);
  CHECK(http->at(0).line == 5);
  CHECK(http->at(0).col == 11);
  CHECK(http->at(0).get("name")->col == 18);
  Span s = d.at("kind").span(7);
  CHECK(s == Span{7, 1, 7});
  CHECK(d.result.documents[0]->file() == 7);
  CHECK(d.result.documents[0]->startLine() == 1);
}

TEST_CASE("document start lines in a multi-document stream") {
  ParseResult r = parse("a: 1\n---\n# comment\nb: 2\n---\n\n\nc: 3\n", 1);
  REQUIRE(r.problems.empty());
  REQUIRE(r.documents.size() == 3);
  CHECK(r.documents[0]->root()->line == 1);
  CHECK(r.documents[1]->root()->line == 4);
  CHECK(r.documents[2]->root()->line == 8);
  CHECK(r.documents[2]->root()->get("c")->line == 8);
}

TEST_CASE("merge keys") {
  One d(R"(base: &base
  a: 1
  b: 2
other: &other
  b: 20
  c: 30
single:
  <<: *base
  b: own
multi:
  <<: [*base, *other]
  d: 4
)");
  const Node& single = d.at("single");
  CHECK(single.size == 2);
  CHECK(single.get("<<") == nullptr);
  REQUIRE(single.get("a") != nullptr);
  CHECK(single.get("a")->asInt() == 1);
  CHECK(single.get("b")->text == "own");  // the mapping's own key wins over the merged one
  const Node& multi = d.at("multi");
  CHECK(multi.size == 4);
  CHECK(multi.get("a")->asInt() == 1);
  CHECK(multi.get("b")->asInt() == 2);  // earlier sources win over later ones
  CHECK(multi.get("c")->asInt() == 30);
  CHECK(multi.get("d")->asInt() == 4);
  // A quoted "<<" is an ordinary key.
  One q("m:\n  '<<': {x: 1}\n");
  REQUIRE(q.at("m").get("<<") != nullptr);
  CHECK(q.at("m").get("<<")->isMap());
}

TEST_CASE("aliases share the anchored node") {
  One d("a: &x {k: v, l: [1, 2, 3]}\nb: *x\nc: &s hello\nd: *s\n");
  const Node& a = d.at("a");
  const Node& b = d.at("b");
  REQUIRE(b.isMap());
  CHECK(a.items == b.items);  // the same children, not a copy
  CHECK(b.size == 2);
  CHECK(b.get("k")->text == "v");
  CHECK(b.weight == a.weight);
  CHECK(d.at("d").text == "hello");
  CHECK(d.at("d").text.data() == d.at("c").text.data());
  // The root's expanded size counts the alias's subtree twice.
  CHECK(a.weight == 8);
  CHECK(d.root->weight == 1 + 4 + 8 + 8 + 1 + 1);
}

TEST_CASE("an unknown alias is a syntax problem") {
  ParseResult r = parse("a: 1\nb: *nope\n---\nc: 3\n", 2);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].type == ParseProblem::Type::Syntax);
  CHECK(r.problems[0].span == Span{2, 2, 4});
  CHECK(r.problems[0].message.find("nope") != std::string::npos);
  REQUIRE(r.documents.size() == 1);
  CHECK(r.documents[0]->root()->get("c") != nullptr);
}

TEST_CASE("a syntax error at the end of input without a final line break stays on the last line") {
  // libyaml moves its marks to a line after the input there; the problem must point into it.
  ParseResult r = parse("a: 1\n---\nb: [x, y, ", 2);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].span == Span{2, 3, 4});  // the unclosed bracket
  CHECK(r.problems[0].message.find("at line 3, column 11") != std::string::npos);
  // An empty document at the very end: its (null) root is on the `---` line, not after it.
  r = parse("a: 1\n---", 2);
  REQUIRE(r.documents.size() == 2);
  CHECK(r.documents[1]->startLine() == 2);
  // After an earlier error there is no open bracket to point at: the end of the last line.
  r = parse("a: [\n---\nb: [", 2);
  for (const ParseProblem& p : r.problems) CHECK(p.span.line <= 3);
}

TEST_CASE("a byte YAML rejects is found wherever it sits in the eight-byte words the scan reads") {
  for (std::string_view bad : {std::string_view("\x01"), std::string_view("\x7F"), std::string_view("\xFF"),
                               std::string_view("\xC0\xAF"), std::string_view("\x1B")}) {
    for (size_t pos = 0; pos < 20; ++pos) {
      // Tabs and a multi-byte character before it are fine; the bad byte is the problem.
      std::string text = "k:\t" + std::string(pos, 'a') + "\xC3\xA9" + std::string(bad) + "zz\n";
      ParseResult r = parse(text, 1);
      REQUIRE(r.problems.size() == 1);
      CHECK(r.problems[0].span == Span{1, 1, static_cast<uint32_t>(5 + pos)});
      // On the next line, with line feeds in the same words.
      r = parse("a: 1\nb: " + std::string(pos, 'b') + std::string(bad) + "\n", 1);
      REQUIRE(r.problems.size() == 1);
      CHECK(r.problems[0].span == Span{1, 2, static_cast<uint32_t>(4 + pos)});
    }
  }
  // Printable ASCII of any length, tabs, CR LF and multi-byte text: nothing to reject.
  std::string text;
  for (int i = 0; i < 40; ++i) text += "k" + std::to_string(i) + ":\t\"value \xE2\x80\x94 " + std::string(i, 'x') + "\"\r\n";
  CHECK(parse(text, 1).problems.empty());
}

TEST_CASE("positions after multi-byte characters: libyaml counts characters, the resume point is in bytes") {
  // 200 two-byte characters in the first document, a syntax error in the third: parsing resumes
  // after the error, not at the second document again (which would load it twice).
  std::string text = "a: \"";
  for (int i = 0; i < 200; ++i) text += "\xC3\xA9";
  text += "\"\n---\nb: 2\n---\nc: [x\n---\nd: 4\n";
  ParseResult r = parse(text, 1);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].span.line == 5);
  size_t with_b = 0, with_d = 0;
  for (const auto& d : r.documents) {
    with_b += d->root() && d->root()->get("b") ? 1 : 0;
    with_d += d->root() && d->root()->get("d") ? 1 : 0;
  }
  CHECK(with_b == 1);
  CHECK(with_d == 1);
  // Without a final line break, an error at the end stays on the last line however many
  // characters the input has; a byte order mark at the start counts for nothing in libyaml.
  for (std::string prefix : {std::string(), std::string("\xEF\xBB\xBF")}) {
    r = parse(prefix + "a: \xF0\x9F\x98\x80\xF0\x9F\x98\x80\r\nb: [x, ", 1);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].span == Span{1, 2, 4});  // the unclosed bracket
    CHECK_MESSAGE(r.problems[0].message.find("(at line 2, column 8)") != std::string::npos, r.problems[0].message);
  }
  // A byte libyaml rejects after multi-byte characters: the column counts characters, as
  // libyaml's own columns do.
  r = parse("a: \xC3\xA9\xC3\xA9 \x01\n", 1);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].span == Span{1, 1, 7});
}

TEST_CASE("a byte order mark at a document boundary inside a stream is accepted") {
  // Files joined with cat: the second one's BOM after a `---` line, or before one.
  for (std::string_view text : {std::string_view("a: 1\n---\n\xEF\xBB\xBF" "b: 2\n"),
                                std::string_view("a: 1\n\xEF\xBB\xBF---\nb: 2\n")}) {
    ParseResult r = parse(text, 4);
    CHECK(r.problems.empty());
    const Node* b = nullptr;
    for (const auto& d : r.documents) {
      if (d->root() && d->root()->get("b")) b = d->root()->get("b");
    }
    REQUIRE(b != nullptr);
    CHECK(b->text == "2");
    CHECK(b->line == 3);
  }
  // Anywhere else it is content, and libyaml's rules apply.
  ParseResult r = parse("a: |\n\xEF\xBB\xBFinside\n", 4);
  CHECK_FALSE(r.problems.empty());
}

TEST_CASE("snake_case fallback in get") {
  One d("service_account: sa\nworkloadSelector: ws\nport_level_settings: pls\n");
  REQUIRE(d.root->get("serviceAccount") != nullptr);
  CHECK(d.root->get("serviceAccount")->text == "sa");
  CHECK(d.root->get("portLevelSettings")->text == "pls");
  CHECK(d.root->get("workloadSelector")->text == "ws");
  CHECK(d.root->get("workload_selector") == nullptr);  // only camelCase -> snake_case
  CHECK(d.root->get("serviceaccount") == nullptr);
  // The exact spelling wins when both are present.
  One both("service_account: snake\nserviceAccount: camel\n");
  CHECK(both.root->get("serviceAccount")->text == "camel");
}

TEST_CASE("syntax error recovery resumes at the next document") {
  SUBCASE("unclosed flow sequence") {
    ParseResult r = parse("a: 1\nb: [unclosed\n---\nc: 2\n", 3);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].type == ParseProblem::Type::Syntax);
    CHECK(r.problems[0].span.file == 3);
    CHECK(r.problems[0].span.line == 2);
    REQUIRE(r.documents.size() == 1);
    const Node* c = r.documents[0]->root()->get("c");
    REQUIRE(c != nullptr);
    CHECK(c->line == 4);
  }
  SUBCASE("bad indentation, with good documents before and after") {
    ParseResult r = parse("ok: 0\n---\na: 1\n  b: 2\nc: 3\n---\nd: 4\n---\ne: 5\n", 1);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].span.line == 4);
    REQUIRE(r.documents.size() == 3);
    CHECK(r.documents[0]->root()->get("ok") != nullptr);
    CHECK(r.documents[1]->root()->get("d") != nullptr);
    CHECK(r.documents[1]->root()->line == 7);
    CHECK(r.documents[2]->root()->get("e")->line == 9);
  }
  SUBCASE("two broken documents") {
    ParseResult r = parse("a: [x\n---\nb: {y\n---\nc: 1\n", 1);
    REQUIRE(r.problems.size() == 2);
    CHECK(r.problems[0].span.line == 1);
    CHECK(r.problems[1].span.line == 3);
    REQUIRE(r.documents.size() == 1);
    CHECK(r.documents[0]->root()->get("c")->line == 5);
  }
  SUBCASE("error in the last document keeps the earlier ones") {
    ParseResult r = parse("a: 1\n---\nb: \"unterminated\n", 1);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].span.line == 3);
    REQUIRE(r.documents.size() == 1);
    CHECK(r.documents[0]->root()->get("a") != nullptr);
  }
  SUBCASE("a --- inside a block scalar is not a resume point") {
    ParseResult r = parse("a: [x\nb: |\n  ---\n---\nc: 1\n", 1);
    REQUIRE(r.problems.size() == 1);
    REQUIRE(r.documents.size() == 1);
    CHECK(r.documents[0]->root()->get("c")->line == 5);
  }
}

TEST_CASE("limits") {
  SUBCASE("nesting deeper than max_depth") {
    ParseLimits limits;
    limits.max_depth = 4;
    ParseResult ok = parse("a: {b: {c: [1]}}\n", 1, limits);
    CHECK(ok.problems.empty());
    CHECK(ok.documents.size() == 1);
    ParseResult r = parse("x: 1\n---\na: {b: {c: {d: [1]}}}\n---\nz: 2\n", 1, limits);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].type == ParseProblem::Type::Limit);
    CHECK(r.problems[0].span.line == 3);
    REQUIRE(r.documents.size() == 2);
    CHECK(r.documents[0]->root()->get("x") != nullptr);
    CHECK(r.documents[1]->root()->get("z") != nullptr);
  }
  SUBCASE("expanded nodes") {
    ParseLimits limits;
    limits.max_expanded_nodes = 50;
    ParseResult r = parse("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: &b [*a, *a, *a, *a, *a, *a]\n---\nok: 1\n", 1,
                          limits);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].type == ParseProblem::Type::Limit);
    CHECK(r.problems[0].span.line == 2);
    REQUIRE(r.documents.size() == 1);
    CHECK(r.documents[0]->root()->get("ok") != nullptr);
  }
}

TEST_CASE("empty and comment-only streams have no documents") {
  CHECK(parse("", 1).documents.empty());
  CHECK(parse("", 1).problems.empty());
  CHECK(parse("# just a comment\n\n", 1).documents.empty());
  ParseResult dashes = parse("---\n", 1);
  CHECK(dashes.problems.empty());
  REQUIRE(dashes.documents.size() == 1);
  CHECK(dashes.documents[0]->root()->isNull());
}

TEST_CASE("documents outlive the parse result") {
  DocumentPtr doc;
  {
    ParseResult r = parse("key: value-kept-in-the-arena\n", 1);
    REQUIRE(r.documents.size() == 1);
    doc = r.documents[0];
  }
  CHECK(doc->root()->get("key")->text == "value-kept-in-the-arena");
}

}  // namespace
}  // namespace istio_lint::model::yaml
