// model/certificates: Secret parsing (entries, chain, SANs, dates, key match, CA), the per-graph
// cache, "now" from ISTIO_LINT_NOW, timestamps and RFC 6125 name matching.

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "model/certificates.h"
#include "model/loader.h"
#include "model/mesh_graph.h"

namespace istio_lint::model {
namespace {

namespace fs = std::filesystem;

MeshGraph loadFile(const std::string& rel) {
  std::ifstream in(fs::path(ISTIO_LINT_SOURCE_DIR) / rel, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE_MESSAGE(!bytes.empty(), rel << " is missing");
  LoadOptions lo;
  lo.default_namespace = "";
  lo.threads = 1;
  GraphOptions go;
  go.certificates.now = *parseTimestamp("2026-06-01T00:00:00Z");
  return MeshGraph::build(load({Source{rel, bytes}}, lo), go);
}

const Secret& secret(const MeshGraph& g, const char* ns, const char* name) {
  const Resource* r = g.find(Kind::Secret, ns, name);
  REQUIRE_MESSAGE(r != nullptr, "no Secret " << ns << "/" << name);
  return static_cast<const Secret&>(*r);
}

TEST_CASE("a kubernetes.io/tls Secret parses into chain, names, dates and a matching key") {
  MeshGraph g = loadFile("fixtures/gateway/CertificateHostMismatchAnalyzer/good_hosts_covered.yaml");
  const Secret& s = secret(g, "istio-system", "shop-cert");
  const Credential& c = g.certificates().credential(s);
  CHECK(!c.error);
  CHECK(c.cert_entry == "tls.crt");
  CHECK(c.key_entry == "tls.key");
  CHECK(c.key_matches);
  REQUIRE(c.chain.size() == 1);
  const Certificate& leaf = *c.leaf();
  CHECK(leaf.common_name == "shop.example.com");
  CHECK(leaf.subject == "CN=shop.example.com");
  CHECK(leaf.dns_names == std::vector<std::string>{"shop.example.com", "*.shop.example.com", "*.example.org"});
  CHECK(leaf.not_before == *parseTimestamp("2024-01-01"));
  CHECK(leaf.not_after == *parseTimestamp("2124-01-01"));
  CHECK(!leaf.is_ca);
  CHECK(!c.hasCa());
  // Parsed once: the same object on every call, and for a Secret with the same entries.
  CHECK(&g.certificates().credential(s) == &c);
  Secret copy;
  copy.data = s.data;
  CHECK(&g.certificates().credential(copy) == &c);
  Secret other;  // same certificate, key written with a trailing newline: other entries, own parse
  other.data = s.data;
  other.data["tls.key"] += "\n";
  CHECK(&g.certificates().credential(other) != &c);
  CHECK(!g.certificates().credential(other).error);
  CHECK(g.certificates().now() == *parseTimestamp("2026-06-01"));
  CHECK(g.certificates().expiryWindowDays() == CertificateOptions::kDefaultExpiryWindowDays);
}

TEST_CASE("chain order, CA entries and broken credentials") {
  MeshGraph g = loadFile("fixtures/gateway/CertificateExpiredAnalyzer/bad_expired_certificate.yaml");
  const Credential& chain = g.certificates().credential(secret(g, "istio-system", "chain-expired"));
  REQUIRE(chain.chain.size() == 2);
  CHECK(chain.chain[0].common_name == "api.example.com");
  CHECK(chain.chain[1].common_name == "old-intermediate.example.com");
  CHECK(chain.chain[1].is_ca);
  CHECK(chain.chain[1].not_after == *parseTimestamp("2021-01-01"));

  MeshGraph mutual = loadFile("fixtures/gateway/MutualTlsCaCertificateAnalyzer/good_ca_available.yaml");
  const Credential& with_ca = mutual.certificates().credential(secret(mutual, "istio-system", "partner-cert"));
  CHECK(with_ca.ca_entry == "ca.crt");
  REQUIRE(with_ca.ca.size() == 1);
  CHECK(!with_ca.ca_error);
  const Credential& ca_only = mutual.certificates().credential(secret(mutual, "istio-system", "b2b-cert-cacert"));
  CHECK(ca_only.error);  // no certificate and key: not a server credential
  CHECK(ca_only.hasCa());

  // Certificate of one Secret with the key of another.
  Secret mixed;
  mixed.data["tls.crt"] = secret(mutual, "istio-system", "b2b-cert").data.at("tls.crt");
  mixed.data["tls.key"] = secret(mutual, "istio-system", "shop-cert").data.at("tls.key");
  Credential m = parseCredential(mixed);
  REQUIRE(m.error);
  CHECK(*m.error == "tls.key is not the private key of the certificate in tls.crt");
  CHECK(m.chain.size() == 1);

  Secret generic;
  generic.string_data["cert"] = "not pem";
  generic.string_data["key"] = "x";
  CHECK(*parseCredential(generic).error == "cert does not hold a PEM-encoded certificate");
  Secret bad64;
  bad64.data["tls.crt"] = "***";
  CHECK(*parseCredential(bad64).error == "data.tls.crt is not valid base64");
  Secret none;
  CHECK(parseCredential(none).error->find("found: none") != std::string::npos);
}

TEST_CASE("ISTIO_LINT_NOW fixes now; the window is an option") {
  ::setenv("ISTIO_LINT_NOW", "2030-01-02T03:04:05Z", 1);
  CertificateStore from_env(CertificateOptions{});
  CHECK(formatTimestamp(from_env.now()) == "2030-01-02 03:04:05 UTC");
  CertificateOptions o;
  o.now = 42;
  o.expiry_window_days = 7;
  CertificateStore fixed(o);
  CHECK(fixed.now() == 42);
  CHECK(fixed.expiryWindowDays() == 7);
  ::unsetenv("ISTIO_LINT_NOW");
}

TEST_CASE("timestamps") {
  CHECK(parseTimestamp("1970-01-01") == 0);
  CHECK(parseTimestamp("2026-06-01T00:00:00Z") == 1780272000);
  CHECK(parseTimestamp("1780272000") == 1780272000);
  CHECK(!parseTimestamp(""));
  CHECK(!parseTimestamp("2026-13-01"));
  CHECK(!parseTimestamp("2026-06-01T00:00:00"));
  CHECK(!parseTimestamp("yesterday"));
  CHECK(formatTimestamp(1780272000) == "2026-06-01 00:00:00 UTC");
  CHECK(base64Decode("aGVsbG8=") == "hello");
  CHECK(base64Decode("aGVs\nbG8=") == "hello");
  CHECK(!base64Decode("aGVsbG8"));
}

TEST_CASE("RFC 6125 name matching") {
  CHECK(certificateNameCovers("shop.example.com", "shop.example.com"));
  CHECK(certificateNameCovers("Shop.Example.COM", "shop.example.com"));
  CHECK(certificateNameCovers("*.example.com", "shop.example.com"));
  CHECK(certificateNameCovers("*.Example.com", "SHOP.example.com"));
  CHECK(!certificateNameCovers("*.example.com", "example.com"));
  CHECK(!certificateNameCovers("*.example.com", "a.shop.example.com"));
  CHECK(!certificateNameCovers("*.example.com", ".example.com"));
  CHECK(!certificateNameCovers("shop.example.com", "api.example.com"));
  CHECK(!certificateNameCovers("a.*.example.com", "a.b.example.com"));
  CHECK(certificateNameCovers("*.example.com", "*.example.com"));
  CHECK(!certificateNameCovers("*.example.com", "*.shop.example.com"));
  CHECK(!certificateNameCovers("shop.example.com", "*.example.com"));
  CHECK(!certificateNameCovers("", "shop.example.com"));
}

}  // namespace
}  // namespace istio_lint::model
