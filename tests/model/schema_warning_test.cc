// Schema warnings that fixtures cannot show legibly: a directResponse body over 100 KiB, and
// warnings on malformed values (which must stay sensible, or stay silent).

#include <doctest/doctest.h>

#include <string>

#include "model/loader.h"

namespace istio_lint::model {
namespace {

/// The warnings (IST0133) of the single resource in `yaml`.
std::vector<std::string> warnings(std::string yaml) {
  LoadResult r = load({{"vs.yaml", std::move(yaml)}}, {});
  REQUIRE(r.resources.size() == 1);
  std::vector<std::string> out;
  for (const SchemaIssue& i : r.resources[0]->schema_issues) {
    if (i.warning) out.push_back(i.message);
  }
  return out;
}

std::string withBody(const std::string& body_key, const std::string& body) {
  return "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: big, namespace: shop}\n"
         "spec:\n  hosts: [big.example.com]\n  http:\n  - directResponse:\n      status: 200\n      body:\n"
         "        " + body_key + ": \"" + body + "\"\n";
}

TEST_CASE("a directResponse body over 100 KiB is a warning") {
  CHECK(warnings(withBody("string", std::string(50 * 1024, 'a'))).empty());
  std::vector<std::string> big = warnings(withBody("string", std::string(150 * 1024, 'a')));
  REQUIRE(big.size() == 1);
  CHECK(big[0].find("spec.http[0].directResponse.body: large direct_responses may impact control plane "
                    "performance: the body is 150 KiB") == 0);
  // bytes are base64: 200 KiB of text decode to 150 KiB.
  std::vector<std::string> bytes = warnings(withBody("bytes", std::string(200 * 1024, 'A')));
  REQUIRE(bytes.size() == 1);
  CHECK(bytes[0].find("the body is 150 KiB") != std::string::npos);
  CHECK(warnings(withBody("bytes", std::string(120 * 1024, 'A'))).empty());  // 90 KiB decoded
}

TEST_CASE("warnings on malformed values stay sensible") {
  // "." and "a." are not gateway names in the legacy form: no rewrite is suggested for them.
  std::vector<std::string> gw = warnings(
      "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: v, namespace: ns}\n"
      "spec:\n  hosts: [a]\n  gateways: [\".\", \"a.\", \".b\", \"gw.edge\"]\n"
      "  http: [{route: [{destination: {host: a}}]}]\n");
  REQUIRE(gw.size() == 1);
  CHECK(gw[0] == "spec.gateways[3]: using legacy gatewayName format \"gw.edge\"; prefer the <namespace>/<name> "
                 "format: \"edge/gw\"");
  // An ingress port without number or name is described without inventing them.
  std::vector<std::string> pool = warnings(
      "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: s, namespace: ns}\n"
      "spec:\n  ingress:\n  - port: {protocol: TCP}\n    connectionPool: {http: {maxRetries: 3}}\n");
  REQUIRE(pool.size() == 1);
  CHECK(pool[0].find("configured for the port but its protocol is not HTTP (TCP)") != std::string::npos);
}

}  // namespace
}  // namespace istio_lint::model
