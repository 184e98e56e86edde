// -o FORMAT[=PATH]: several outputs in one run, files, and the mistakes a user can make.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <sstream>

#include "cli/report/outputs.h"
#include "cli/report/reporter.h"
#include "model/utf8.h"
#include "tests/test_util.h"

namespace istio_lint::cli {
namespace {

using istio_lint::testing::readAll;
using istio_lint::testing::runLint;
using istio_lint::testing::TempDir;

TEST_CASE("-o json is laid out and escaped exactly as nlohmann::json prints the same document") {
  model::FileTable files;
  const uint32_t plain = files.add("dir/plain.yaml");
  const uint32_t odd = files.add(std::string("dir/odd\xff\"name\".yaml"));
  std::string every_control;
  for (int c = 1; c < 0x20; ++c) every_control += static_cast<char>(c);
  std::vector<rules::Finding> findings(3);
  findings[0].code = rules::Code::IST0101;
  findings[0].level = rules::Level::Error;
  findings[0].message = "controls [" + every_control + "] quote \" backslash \\ del \x7f caf\xc3\xa9 bad \xc3(";
  findings[0].span = {odd, 12, 3};
  findings[0].origin = {"VirtualService", "shop", "web"};
  findings[0].analyzer = "virtualservice.DestinationHostAnalyzer";
  findings[0].notes = {{"declared \"here\"", {plain, 4, 1}}, {"no location\n", {}}};
  findings[1].code = rules::Code::IST0132;
  findings[1].level = rules::Level::Warning;
  findings[1].message = "no file, no origin";
  findings[1].analyzer = "gateway.Test";
  findings[2] = findings[1];
  findings[2].span = {plain, 1, 1};
  ReportOptions o;
  o.files = &files;
  std::ostringstream out;
  writeJson(out, findings, o);

  const nlohmann::json parsed = nlohmann::json::parse(out.str());  // valid JSON
  CHECK(out.str() == parsed.dump(2) + "\n");                      // and the same bytes
  REQUIRE(parsed.size() == 3);
  CHECK(parsed[0]["message"] == model::toValidUtf8(findings[0].message));
  CHECK(parsed[0]["file"] == model::toValidUtf8(files.path(odd)));
  CHECK(parsed[0]["line"] == 12);
  CHECK(parsed[0]["column"] == 3);
  CHECK(parsed[0]["reference"] == model::toValidUtf8(files.path(odd)) + ":12");
  CHECK(parsed[0]["origin"] == "VirtualService shop/web");
  CHECK(parsed[0]["notes"][0]["location"] == "dir/plain.yaml:4:1");
  CHECK(parsed[0]["notes"][1].count("location") == 0);
  CHECK(parsed[1].count("file") == 0);
  CHECK(parsed[1].count("origin") == 0);
  CHECK(parsed[1].count("notes") == 0);

  std::ostringstream none;
  writeJson(none, {}, o);
  CHECK(none.str() == "[]\n");
}

TEST_CASE("parseOutputs") {
  std::string error;
  auto none = parseOutputs({}, error);
  REQUIRE(none);
  REQUIRE(none->size() == 1);
  CHECK(none->front().format == OutputFormat::Text);
  CHECK(none->front().path.empty());

  auto several = parseOutputs({"Log", "SARIF=out.sarif", "junit=r.xml"}, error);
  REQUIRE(several);
  REQUIRE(several->size() == 3);
  CHECK((*several)[0].format == OutputFormat::Text);
  CHECK((*several)[1].format == OutputFormat::Sarif);
  CHECK((*several)[1].path == "out.sarif");
  CHECK((*several)[2].format == OutputFormat::JUnit);
  auto dash = parseOutputs({"json=-", "yaml=x.yaml"}, error);
  REQUIRE(dash);
  CHECK(dash->front().path.empty());  // "-" is stdout
  CHECK(!parseOutputs({"text", "json"}, error));
  CHECK(error.find("only one output can go to stdout") != std::string::npos);
  CHECK(!parseOutputs({"text", "json=-"}, error));
  CHECK(!parseOutputs({"xml"}, error));
  CHECK(error.find("unknown format \"xml\"") != std::string::npos);
  CHECK(!parseOutputs({"sarif="}, error));
  CHECK(!parseOutputs({"sarif=a", "junit=a"}, error));
  CHECK(error.find("already the file") != std::string::npos);
}

TEST_CASE("-o text -o sarif=FILE -o junit=FILE in one run") {
  TempDir tmp;
  std::string sarif = tmp / "out.sarif", junit = tmp / "report.xml";
  auto r = runLint({"-A", "fixtures/golden/shop", "--color", "never", "-o", "text", "-o", "sarif=" + sarif, "-o",
                    "junit=" + junit});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("Error [IST0101] (VirtualService shop/storefront") != std::string::npos);
  auto log = nlohmann::json::parse(readAll(sarif));
  CHECK(log["version"] == "2.1.0");
  size_t errors = 0;
  for (const auto& res : log["runs"][0]["results"]) errors += res["level"] == "error";
  CHECK(errors == 4);
  std::string xml = readAll(junit);
  CHECK(xml.starts_with("<?xml"));
  CHECK(xml.find("<failure type=\"IST0101\"") != std::string::npos);
}

TEST_CASE("-o mistakes are usage errors (exit 2)") {
  CHECK(runLint({"-A", "fixtures/golden/shop", "-o", "text", "-o", "json"}).exit_code == 2);
  auto r = runLint({"-A", "fixtures/golden/shop", "-o", "html"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("unknown format") != std::string::npos);
  auto w = runLint({"-A", "fixtures/golden/shop", "-o", "sarif=/nonexistent-dir/x.sarif"});
  CHECK(w.exit_code == 2);
  CHECK(w.err.find("cannot write /nonexistent-dir/x.sarif") != std::string::npos);
}

TEST_CASE("a file name and a comment that are not UTF-8: every structured output stays valid") {
  // Linux file names are bytes; comments are not checked by the YAML parser.
  TempDir tmp;
  std::string manifest = readAll(std::string(ISTIO_LINT_SOURCE_DIR) + "/fixtures/golden/shop/storefront.yaml");
  manifest = "# istio-lint: ignore=IST0101 reason=kept \xAC\xCF\n" + manifest;
  tmp.write("in/store\xFF" "front.yaml", manifest);
  const std::string in = tmp / "in";
  const std::string json = tmp / "r.json", yaml = tmp / "r.yaml", sarif = tmp / "r.sarif", junit = tmp / "r.xml";
  auto r = runLint({"-A", in, "-o", "json=" + json, "-o", "yaml=" + yaml, "-o", "sarif=" + sarif, "-o",
                    "junit=" + junit});
  CHECK_MESSAGE(r.exit_code == 1, r.err);
  for (const std::string& path : {json, yaml, sarif, junit}) CHECK_MESSAGE(model::isValidUtf8(readAll(path)), path);
  auto findings = nlohmann::json::parse(readAll(json));
  REQUIRE(findings.is_array());
  bool replaced_path = false, replaced_comment = false;
  for (const auto& f : findings) {
    replaced_path |= f["file"].get<std::string>().ends_with("/store\xEF\xBF\xBD" "front.yaml");
    replaced_comment |= f["code"] == "IL0050" &&
                        f["message"].get<std::string>().find("\xEF\xBF\xBD\xEF\xBF\xBD") != std::string::npos;
  }
  CHECK(replaced_path);
  CHECK(replaced_comment);
  // SARIF names the file by URI, where the byte is percent-encoded and nothing is lost.
  CHECK(readAll(sarif).find("store%FFfront.yaml") != std::string::npos);
  // A baseline written from such a run takes every finding of the next one.
  const std::string baseline = tmp / "baseline.json";
  CHECK(runLint({"-A", in, "--write-baseline", baseline}).exit_code == 1);
  auto again = runLint({"-A", in, "--baseline", baseline});
  CHECK_MESSAGE(again.exit_code == 0, again.out);
}

}  // namespace
}  // namespace istio_lint::cli
