// model/certificates: Secret parsing (entries, chain, SANs, dates, key match, CA), the credential
// cache the loader fills in the background, "now" from ISTIO_LINT_NOW, timestamps and RFC 6125
// name matching; model/libcrypto: the library opened on first use.

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "model/certificates.h"
#include "model/credential_store.h"
#include "model/libcrypto.h"
#include "model/loader.h"
#include "model/mesh_graph.h"

namespace istio_lint::model {
namespace {

namespace fs = std::filesystem;

// Test credentials (generated once with openssl; valid until 2126): an RSA certificate with its key
// in PKCS#1 form and an EC certificate with its key in SEC 1 form.
const char* kRsaCert = R"(-----BEGIN CERTIFICATE-----
MIICEjCCAXugAwIBAgIUDMtku+2KoelswIDF01+31t47FncwDQYJKoZIhvcNAQEL
BQAwGjEYMBYGA1UEAwwPcnNhLmV4YW1wbGUuY29tMCAXDTI2MTIwNjEzMDgyNloY
DzIxMjYxMTEyMTMwODI2WjAaMRgwFgYDVQQDDA9yc2EuZXhhbXBsZS5jb20wgZ8w
DQYJKoZIhvcNAQEBBQADgY0AMIGJAoGBALVaRC9fB+fWux7oQJT4v/oj+1WRcfRC
TXDzLiC8zxfMzNEEoqDQm5KT7MnbZpBGFwJl084Gqwzt+v34qcWv6Me+rsKcegA+
Tb/4KD9TpRCMQb/fWm0SQwAJsCsT94tVhcaYdcedeVrOBS6hIPTHPEZ6pABffQtb
URIK6pf5GbzLAgMBAAGjUzBRMB0GA1UdDgQWBBTfXglaf6G2fRqopgIW3NxjV4Cj
jzAfBgNVHSMEGDAWgBTfXglaf6G2fRqopgIW3NxjV4CjjzAPBgNVHRMBAf8EBTAD
AQH/MA0GCSqGSIb3DQEBCwUAA4GBALL8nkodB0u+6fe8OGNViGjErZWetWoQeihd
8ogA28dLECC59ljguU3BZ6c0xKZSthxqcglTkZ8mICyyzYj2IEMb4aVmlQJwepdB
OW++okY/bCsvc3HrBj/P8KzZE95DwsH/1+sxMAoU+mJTxoJr0aQ6ToXiRBHCAH9X
mj8C7n+u
-----END CERTIFICATE-----
)";
const char* kRsaPkcs1Key = R"(-----BEGIN RSA PRIVATE KEY-----
MIICXgIBAAKBgQC1WkQvXwfn1rse6ECU+L/6I/tVkXH0Qk1w8y4gvM8XzMzRBKKg
0JuSk+zJ22aQRhcCZdPOBqsM7fr9+KnFr+jHvq7CnHoAPk2/+Cg/U6UQjEG/31pt
EkMACbArE/eLVYXGmHXHnXlazgUuoSD0xzxGeqQAX30LW1ESCuqX+Rm8ywIDAQAB
AoGBAIutFk8V9lTNwhkv8G3MmK/j/rQM7aOfXV3dLm3wfeBq0GU8GLWbdfcTD5D4
9qmwEhC6tMM9x4iR0nrBhqDHt5S0PW3efkRJ/FyWQi7uIjCoaW+dBbRa02ehhBOe
BrEMpvjoxNvveC9u9UEVOtZMc0I2q+QQ5D3TDCyYmdDdMSaBAkEA4W6O+ejvwM1M
T6tRyxDK2Qw5NA9K3pKkxczxKEgTV0wEZrqIz2loAfZ0lRwu09qKByviXyIY/ajm
p7sUK7icuwJBAM3xlFKYWoQH5OgNkTTUTcLRwU5VFmRrTs3rwuMNQnWX7Bu2EZBE
lAA7W47zVDSylgnIw479nQXIyuYvm94V5zECQApKsdxW9hsnRESe3a0Xpyshk7r8
t75Rk5Q0Nw5PvBJQNiM6gOR3O3hbeBcWokypvYN2TW9qbxmljGI7+D/GveECQQC+
MnRXa5l9AoVnws/uSHyghnPO0kph57DaAPj2FNLiI7LNTPMfmBZPuIIwnY2RNbXX
x3DEaHlSVET/Hc0H6JahAkEApcZdwdsbrtxqaxc11x/9RbMfD5/7ri8SNUm1vwlt
HrUScdGLQ3SNaOGkBaZql/mhfVU/40Lw7X2nPv/cZXWLJw==
-----END RSA PRIVATE KEY-----
)";
const char* kEcCert = R"(-----BEGIN CERTIFICATE-----
MIIBiTCCAS+gAwIBAgIUITGwtFntWxv4r5xUzAGqDfAF1lIwCgYIKoZIzj0EAwIw
GTEXMBUGA1UEAwwOZWMuZXhhbXBsZS5jb20wIBcNMjYxMjA2MTMwODI2WhgPMjEy
NjExMTIxMzA4MjZaMBkxFzAVBgNVBAMMDmVjLmV4YW1wbGUuY29tMFkwEwYHKoZI
zj0CAQYIKoZIzj0DAQcDQgAE9xKO5aiICW1VFNbZOyS7F+i+146fnZBdP9/a52Qj
A11bT9r8TQ3+3TTZtqmRPv7FRrOAfMRUYQzi0W4na47TFqNTMFEwHQYDVR0OBBYE
FOkNKottfrkca5U9jSKE5E/gYJEQMB8GA1UdIwQYMBaAFOkNKottfrkca5U9jSKE
5E/gYJEQMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgFUt6WwWx
1MHh5Ahen4ImfCrkUiTf8MgB5aJvi4Xn1t4CIQDSHBxaNfi69GA0fe4yrH0TyLAj
E8lVUuqS4pS6/J9CSw==
-----END CERTIFICATE-----
)";
const char* kEcSec1Key = R"(-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIF0HeNkXWx6GDh1UGo/CRRu96I43HSGpzjxYt5iB8ZM2oAoGCCqGSM49
AwEHoUQDQgAE9xKO5aiICW1VFNbZOyS7F+i+146fnZBdP9/a52QjA11bT9r8TQ3+
3TTZtqmRPv7FRrOAfMRUYQzi0W4na47TFg==
-----END EC PRIVATE KEY-----
)";

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

TEST_CASE("the graph parses every Secret that holds a credential while it builds its indexes") {
  MeshGraph g = loadFile("fixtures/gateway/CertificateExpiredAnalyzer/bad_expired_certificate.yaml");
  std::set<const Credential*> distinct;
  size_t holding = 0;
  for (const Resource* r : g.ofKind(Kind::Secret)) {
    const auto& s = static_cast<const Secret&>(*r);
    if (!holdsCredential(s)) continue;
    ++holding;
    const size_t before = g.certificates().size();
    distinct.insert(&g.certificates().credential(s));
    CHECK_MESSAGE(g.certificates().size() == before, "Secret " << s.name() << " was parsed on first use, not in build");
  }
  CHECK(holding >= 2);
  CHECK(g.certificates().size() == distinct.size());

  Secret opaque;
  opaque.data["token"] = "c2VjcmV0";
  CHECK(!holdsCredential(opaque));
  for (const char* k : {"cert", "tls.crt", "cacert", "ca.crt"}) {
    Secret s;
    s.string_data[k] = "x";
    CHECK_MESSAGE(holdsCredential(s), k);
  }
}

TEST_CASE("the loader queues each credential for the background thread as it reads the Secret") {
  const std::string rel = "fixtures/gateway/CertificateExpiredAnalyzer/bad_expired_certificate.yaml";
  std::ifstream in(fs::path(ISTIO_LINT_SOURCE_DIR) / rel, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LoadResult loaded = load({Source{rel, bytes}}, LoadOptions{});
  REQUIRE(loaded.credentials);
  std::set<std::string> contents;  // distinct credentials among the Secrets read
  for (const ResourcePtr& r : loaded.resources) {
    if (r->kind != Kind::Secret || !holdsCredential(static_cast<const Secret&>(*r))) continue;
    const auto& s = static_cast<const Secret&>(*r);
    std::string key;
    for (const auto& [k, v] : s.data) key += k + "=" + v + ";";
    for (const auto& [k, v] : s.string_data) key += k + ":" + v + ";";
    contents.insert(key);
  }
  REQUIRE(contents.size() >= 2);
  CHECK(loaded.credentials->size() == contents.size());
  // The graph takes the loader's cache over: its store hands out those parses.
  CredentialCache* cache = loaded.credentials.get();
  MeshGraph g = MeshGraph::build(std::move(loaded), GraphOptions{});
  CHECK(&g.certificates().cache() == cache);
  CHECK(g.certificates().size() == contents.size());
  for (const Resource* r : g.ofKind(Kind::Secret)) {
    const auto& s = static_cast<const Secret&>(*r);
    if (holdsCredential(s)) CHECK(&g.certificates().credential(s) == &cache->get(s));
  }
}

TEST_CASE("CredentialCache: one parse per content, from the background thread or the caller") {
  Secret ec;
  ec.string_data["tls.crt"] = kEcCert;
  ec.string_data["tls.key"] = kEcSec1Key;
  Secret rsa;
  rsa.string_data["tls.crt"] = kRsaCert;
  rsa.string_data["tls.key"] = kRsaPkcs1Key;
  Secret opaque;
  opaque.data["token"] = "c2VjcmV0";

  CredentialCache cache;
  cache.prefetch(opaque);  // holds no credential: not queued
  CHECK(cache.size() == 0);
  {
    Secret temporary = ec;  // the queue keeps its own copy of the entries
    cache.prefetch(temporary);
    cache.prefetch(temporary);
  }
  CHECK(cache.size() == 1);
  // Several threads asking at once get the one parse.
  std::vector<const Credential*> seen(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) threads.emplace_back([&, i] { seen[i] = &cache.get(ec); });
  for (std::thread& t : threads) t.join();
  for (const Credential* c : seen) CHECK(c == seen.front());
  CHECK(seen.front()->key_matches);
  cache.finish();
  cache.finish();  // nothing left: returns at once

  // After finish(), a prefetch starts a new background thread; get() without a prefetch parses
  // on the calling thread.
  cache.prefetch(rsa);
  cache.finish();
  CHECK(cache.size() == 2);
  const Credential& r = cache.get(rsa);
  CHECK_MESSAGE(!r.error, r.error.value_or(""));
  Secret garbage;
  garbage.string_data["tls.crt"] = "x";
  garbage.string_data["tls.key"] = "y";
  CHECK(cache.get(garbage).error);
  CHECK(cache.size() == 3);
  CHECK(&cache.get(garbage) == &cache.get(garbage));
}

TEST_CASE("libcrypto is opened on first use, by the SONAME built against") {
  CHECK(std::string(libcrypto::libraryName()).rfind("libcrypto.so.", 0) == 0);
  std::string error;
  const libcrypto::Api* api = libcrypto::api(&error);
  REQUIRE_MESSAGE(api != nullptr, error);
  CHECK(api == libcrypto::api());
  const bool resolved = api->X509_free != nullptr && api->OPENSSL_sk_value != nullptr;
  CHECK(resolved);
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

TEST_CASE("private keys in PKCS#1, SEC 1 and PKCS#8 form, and a key of another type than the certificate") {
  auto credential = [](const char* cert, const char* key) {
    Secret s;
    s.string_data["tls.crt"] = cert;
    s.string_data["tls.key"] = key;
    return parseCredential(s);
  };
  Credential rsa = credential(kRsaCert, kRsaPkcs1Key);
  CHECK_MESSAGE(!rsa.error, rsa.error.value_or(""));
  CHECK(rsa.key_matches);
  Credential ec = credential(kEcCert, kEcSec1Key);
  CHECK_MESSAGE(!ec.error, ec.error.value_or(""));
  CHECK(ec.key_matches);
  // An RSA key for an EC certificate: read the general way, then found not to match.
  Credential crossed = credential(kEcCert, kRsaPkcs1Key);
  REQUIRE(crossed.error);
  CHECK(*crossed.error == "tls.key is not the private key of the certificate in tls.crt");
  // A key that is not one at all.
  Credential garbage = credential(kEcCert, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
  REQUIRE(garbage.error);
  CHECK(garbage.error->find("does not hold an unencrypted PEM-encoded private key") != std::string::npos);
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
