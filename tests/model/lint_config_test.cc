#include "model/config/lint_config.h"

#include <doctest/doctest.h>

#include "analyzers/config_filter.h"

namespace istio_lint::model::config {
namespace {

using rules::Code;
using rules::Level;

ParsedConfig parseOk(std::string_view text) {
  ParsedConfig p = parse(text, "cfg.yaml");
  INFO(p.describeErrors());
  CHECK(p.errors.empty());
  return p;
}

TEST_CASE("lint config: every setting is read") {
  ParsedConfig p = parseOk(R"(# team settings
failureThreshold: Warning
outputThreshold: info
severity:
  IST0131: off
  IST0118: Warning
  IST0136: "OFF"
suppressions:
  - code: IST0102
    resource: "Namespace legacy-*"
    reason: legacy apps are not in the mesh
  - code: IST0146
    file: "edge/*.yaml"
    reason: the edge hosts are served on both sides on purpose
gateways:
  internalHostSuffixes: [corp.example.com, "*.lan", .intra]
  assumeDefaultIngress: false
certificates:
  expiryWarningDays: 14
egress:
  - hosts: [api.stripe.com]
    via: istio-system/egress-card
    from: [payments/*]
  - hosts: ["*.analytics-saas.example"]
    via: istio-system/egress-analytics
)");
  const LintConfig& c = p.config;
  CHECK(c.failure_threshold == Level::Warning);
  CHECK(c.output_threshold == Level::Info);
  REQUIRE(c.severity.size() == 3);
  CHECK_FALSE(c.levelOf(Code::IST0131).has_value());
  CHECK_FALSE(c.levelOf(Code::IST0136).has_value());
  CHECK(c.levelOf(Code::IST0118) == Level::Warning);
  CHECK(c.levelOf(Code::IST0101) == Level::Error);  // not overridden: the catalog's level
  CHECK(c.severity.at(Code::IST0131).at.line == 5);
  REQUIRE(c.suppressions.size() == 2);
  CHECK(c.suppressions[0].code == Code::IST0102);
  CHECK(c.suppressions[0].resource == "Namespace legacy-*");
  CHECK(c.suppressions[0].file.empty());
  CHECK(c.suppressions[0].reason == "legacy apps are not in the mesh");
  CHECK(c.suppressions[0].at.line == 9);
  CHECK(c.suppressions[1].resource == "*");
  CHECK(c.suppressions[1].file == "edge/*.yaml");
  CHECK(c.internal_host_suffixes == std::vector<std::string>{"corp.example.com", "lan", "intra"});
  CHECK(c.assume_default_ingress == false);
  CHECK(c.certificate_expiry_days == 14);
  REQUIRE(c.egress.size() == 2);
  CHECK(c.egress[0].hosts.front().value == "api.stripe.com");
  CHECK(c.egress[0].hosts.front().at.line == 21);
  CHECK(c.egress[0].via_namespace == "istio-system");
  CHECK(c.egress[0].via_name == "egress-card");
  CHECK(c.egress[0].covers("payments", "payments-svc"));
  CHECK_FALSE(c.egress[0].covers("analytics", "analytics-svc"));
  CHECK(c.egress[1].from.empty());
  CHECK(c.egress[1].covers("anything", "at-all"));
}

TEST_CASE("lint config: defaults") {
  const LintConfig& d = defaults();
  CHECK(d.certificate_expiry_days == 30);
  CHECK(d.suppressions.empty());
  CHECK(d.levelOf(Code::IST0102) == Level::Info);
  ParsedConfig empty = parseOk("# nothing set\n");
  CHECK(empty.config.certificate_expiry_days == 30);
  CHECK_FALSE(empty.config.failure_threshold.has_value());
}

TEST_CASE("lint config: unknown keys are errors with their line and a suggestion") {
  ParsedConfig p = parse("failureTreshold: Error\ngateways:\n  internalHostSufixes: [a.b]\n", "cfg.yaml");
  REQUIRE(p.errors.size() == 2);
  CHECK(p.errors[0].at.line == 1);
  CHECK(p.errors[0].message.find("unknown field \"failureTreshold\"; did you mean \"failureThreshold\"?") !=
        std::string::npos);
  CHECK(p.errors[1].at.line == 3);
  CHECK(p.errors[1].message.find("did you mean \"internalHostSuffixes\"") != std::string::npos);
  CHECK(p.describeErrors().find("cfg.yaml:3:3: gateways: unknown field") != std::string::npos);
}

TEST_CASE("lint config: bad values point at the value") {
  ParsedConfig p = parse(R"(failureThreshold: Fatal
severity:
  IST101: Warning
  IST0131: loud
suppressions:
  - code: IST0102
    resource: "Namespace x"
  - code: IST0150
    reason: "   "
certificates: {expiryWarningDays: -1}
egress:
  - hosts: ["a/b"]
    via: egress-card
    from: [payments]
)",
                         "cfg.yaml");
  std::vector<std::string> lines;
  for (const ConfigError& e : p.errors) lines.push_back(std::to_string(e.at.line) + " " + e.message);
  INFO(p.describeErrors());
  REQUIRE(p.errors.size() == 10);
  CHECK(lines[0].starts_with("1 failureThreshold: \"Fatal\" is not a level"));
  CHECK(lines[1].find("unknown rule code \"IST101\"; did you mean \"IST0") != std::string::npos);
  CHECK(lines[2].starts_with("4 severity.IST0131: expected Info, Warning, Error or off"));
  CHECK(lines[3].starts_with("6 suppressions[0]: a suppression needs a reason"));
  CHECK(lines[4].starts_with("8 suppressions[1]: a suppression needs a resource"));
  CHECK(lines[5].starts_with("8 suppressions[1]: a suppression needs a reason"));
  CHECK(lines[6].starts_with("10 certificates.expiryWarningDays: must be between 0 and 36500 days"));
  CHECK(lines[7].starts_with("12 egress[0].hosts: \"a/b\" is not an external host name"));
  CHECK(lines[8].starts_with("13 egress[0].via: \"egress-card\" must name the egress Gateway as namespace/name"));
  CHECK(lines[9].starts_with("14 egress[0].from: \"payments\" must be namespace/workload"));
}

TEST_CASE("lint config: YAML errors and several documents") {
  CHECK_FALSE(parse("severity: [\n", "c.yaml").errors.empty());
  ParsedConfig two = parse("failureThreshold: Error\n---\noutputThreshold: Info\n", "c.yaml");
  REQUIRE(two.errors.size() == 1);
  CHECK(two.errors[0].message.find("single YAML document") != std::string::npos);
  ParsedConfig missing = load("/nonexistent/.istio-lint.yaml");
  REQUIRE(missing.errors.size() == 1);
  CHECK(missing.describeErrors().starts_with("/nonexistent/.istio-lint.yaml: cannot read"));
  ParsedConfig dir = load("/");
  REQUIRE(dir.errors.size() == 1);
  CHECK(dir.errors[0].message.find("is a directory") != std::string::npos);
  // A configuration that is not a mapping, and anchors and aliases, which YAML allows.
  ParsedConfig list = parse("- failureThreshold: Error\n", "c.yaml");
  REQUIRE(list.errors.size() == 1);
  CHECK(list.errors[0].message.find("must be a mapping") != std::string::npos);
  ParsedConfig aliased = parse("gateways:\n  internalHostSuffixes: &s [corp.example.net]\n"
                               "suppressions:\n- {code: IST0102, resource: \"*\", reason: &r legacy}\n"
                               "- {code: IST0118, resource: \"*\", reason: *r}\n", "c.yaml");
  INFO(aliased.describeErrors());
  CHECK(aliased.errors.empty());
  CHECK(aliased.config.suppressions.size() == 2);
  CHECK(aliased.config.suppressions[1].reason == "legacy");
}

TEST_CASE("lint config: internal hosts") {
  LintConfig c;
  for (const char* h : {"app.internal", "*.corp.internal", "db.local", "reviews.shop.svc.cluster.local",
                        "wiki.corp.example.com", "corp.example.com", "*.CORP.Example.com"}) {
    CHECK_MESSAGE(c.isInternalHost(h), h);
  }
  for (const char* h : {"shop.example.com", "*", "*.example.com", "corporate.example.com", "example.corp",
                        "internal.example.com", "localhost.example.com"}) {
    CHECK_FALSE_MESSAGE(c.isInternalHost(h), h);
  }
  c.internal_host_suffixes = {"intra.example.com"};
  CHECK(c.isInternalHost("hr.intra.example.com"));
  CHECK(c.isInternalHost("*.intra.example.com"));
  CHECK(c.isInternalHost("intra.example.com"));
  CHECK_FALSE(c.isInternalHost("xintra.example.com"));
}

TEST_CASE("lint config: applied to findings") {
  ParsedConfig p = parseOk(R"(severity:
  IST0118: Error
  IST0102: off
suppressions:
  - code: IST0101
    resource: "VirtualService shop/*"
    reason: the shop gateway lives in another repository
  - code: IST0132
    resource: "*"
    file: "legacy/*"
    reason: legacy hosts
  - code: IST0145
    resource: "*"
    reason: nothing matches this
)");
  FileTable files;
  uint32_t a = files.add("apps/shop.yaml"), b = files.add("legacy/old.yaml");
  auto finding = [](Code c, uint32_t file, std::string kind, std::string ns, std::string name) {
    rules::Finding f;
    f.code = c;
    f.level = rules::messageType(c).level;
    f.span = Span{file, 1, 1};
    f.origin = {std::move(kind), std::move(ns), std::move(name)};
    return f;
  };
  std::vector<rules::Finding> fs{
      finding(Code::IST0118, a, "Service", "shop", "web"),
      finding(Code::IST0102, a, "Namespace", "", "shop"),
      finding(Code::IST0101, a, "VirtualService", "shop", "vs"),
      finding(Code::IST0101, a, "VirtualService", "other", "vs"),
      finding(Code::IST0132, b, "VirtualService", "shop", "old"),
      finding(Code::IST0132, a, "VirtualService", "shop", "new"),
  };
  std::vector<size_t> hits = analyzers::applyConfig(fs, p.config, files);
  REQUIRE(fs.size() == 3);
  CHECK(fs[0].code == Code::IST0118);
  CHECK(fs[0].level == Level::Error);
  CHECK(fs[1].origin.ns == "other");
  CHECK(fs[2].origin.name == "new");
  CHECK(hits == std::vector<size_t>{1, 1, 0});
}

}  // namespace
}  // namespace istio_lint::model::config
