#include "model/decode/server_tls.h"

#include <cctype>
#include <set>
#include <string>

namespace istio_lint::model::decode {
namespace {

/// The cipher suites Envoy (BoringSSL) accepts in a server's cipherSuites, PSK suites excepted.
bool knownCipherSuite(const std::string& cs) {
  static const std::set<std::string, std::less<>> kSuites{
      "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
      "ECDHE-RSA-AES256-GCM-SHA384",   "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
      "ECDHE-ECDSA-AES128-SHA",        "ECDHE-RSA-AES128-SHA",          "ECDHE-ECDSA-AES256-SHA",
      "ECDHE-RSA-AES256-SHA",          "AES128-GCM-SHA256",             "AES256-GCM-SHA384",
      "AES128-SHA",                    "AES256-SHA",                    "DES-CBC3-SHA"};
  if (cs.empty() || cs == "ALL") return true;
  // Cipher-list expressions ("-AES128-SHA", "!aNULL", "[A|B]") are passed to Envoy as written.
  if (!std::isalnum(static_cast<unsigned char>(cs[0]))) return true;
  return kSuites.count(cs) > 0;
}

const yaml::Node* nonEmptyString(const yaml::Node& n, std::string_view key) {
  const yaml::Node* v = n.get(key);
  return v != nullptr && v->isScalar() && !v->isNull() && !v->str().empty() ? v : nullptr;
}

}  // namespace

void warnServerTls(Reader& r, const yaml::Node& tls) {
  const yaml::Node* suites = tls.get("cipherSuites");
  bool has_suites = suites != nullptr && suites->isSeq() && suites->size > 0;
  if (suites != nullptr && suites->isSeq()) {
    auto g = r.field("cipherSuites");
    std::set<std::string> seen;
    for (uint32_t i = 0; i < suites->size; ++i) {
      const yaml::Node& item = suites->at(i);
      if (!item.isString()) continue;  // a wrong type is reported as an error already
      std::string cs = item.str();
      auto gi = r.index(i);
      if (!knownCipherSuite(cs)) {
        r.issue(item, "ignoring invalid cipher suite \"" + cs +
                          "\": Envoy does not support it, so it is dropped; use an OpenSSL-style name such as "
                          "ECDHE-RSA-AES128-GCM-SHA256",
                true);
      } else if (!seen.insert(cs).second) {
        r.issue(item, "ignoring duplicate cipher suite \"" + cs + "\": remove the repeated entry", true);
      }
    }
  }

  if (const yaml::Node* minv = tls.get("minProtocolVersion"); minv != nullptr && minv->isString()) {
    std::string v = minv->str();
    if ((v == "TLSV1_0" || v == "TLSV1_1") && !has_suites) {
      auto g = r.field("minProtocolVersion");
      r.issue(*minv, "TLS version below TLSV1_2 requires setting compatible cipherSuites: the default ciphers "
                     "no longer include any for " + v + ", so older clients still fail; list cipherSuites "
                     "such as ECDHE-RSA-AES128-SHA, or use TLSV1_2",
              true);
    }
  }

  const yaml::Node* mode = tls.get("mode");
  if (mode != nullptr && mode->isString() && (mode->str() == "PASSTHROUGH" || mode->str() == "AUTO_PASSTHROUGH")) {
    std::string fields;
    const yaml::Node* first = nullptr;
    for (std::string_view key : {"serverCertificate", "privateKey", "caCertificates", "caCrl", "credentialName"}) {
      if (const yaml::Node* v = nonEmptyString(tls, key)) {
        if (first == nullptr) first = v;
        fields += fields.empty() ? "" : ", ";
        fields += key;
      }
    }
    if (first != nullptr) {
      r.issue(*first, mode->str() + " mode does not use certificates, they will be ignored: the client's TLS "
                          "passes through to the backend; remove " + fields,
              true);
    }
  }
}

ServerTls readServerTls(Reader& r, const yaml::Node& tls) {
  ServerTls t;
  t.span = r.span(&tls);
  r.known(tls, {"httpsRedirect", "mode", "serverCertificate", "privateKey", "caCertificates", "caCrl",
                "credentialName", "credentialNames", "tlsCertificates", "subjectAltNames", "verifyCertificateSpki",
                "verifyCertificateHash", "minProtocolVersion", "maxProtocolVersion", "cipherSuites"});
  t.mode = r.enumeration(tls, "mode", {"PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL",
                                       "OPTIONAL_MUTUAL"})
               .value_or(Str{});
  t.credential_name = r.strOr(tls, "credentialName");
  t.credential_names = r.strList(tls, "credentialNames");
  t.server_certificate = r.strOr(tls, "serverCertificate");
  t.private_key = r.strOr(tls, "privateKey");
  t.ca_certificates = r.strOr(tls, "caCertificates");
  t.https_redirect = r.boolean(tls, "httpsRedirect").value_or(false);
  t.subject_alt_names = r.strList(tls, "subjectAltNames");
  warnServerTls(r, tls);
  return t;
}

}  // namespace istio_lint::model::decode
