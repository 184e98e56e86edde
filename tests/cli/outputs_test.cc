// -o FORMAT[=PATH]: several outputs in one run, files, and the mistakes a user can make.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cli/report/outputs.h"
#include "tests/test_util.h"

namespace istio_lint::cli {
namespace {

using istio_lint::testing::readAll;
using istio_lint::testing::runLint;
using istio_lint::testing::TempDir;

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

}  // namespace
}  // namespace istio_lint::cli
