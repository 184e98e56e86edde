// gateway.SecretAnalyzer: every `tls.credentialName` of a Gateway names a Secret in each
// namespace where the Gateway's workloads run, and that Secret holds a usable certificate and key.

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <array>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "analyzers/analyzer.h"
#include "analyzers/gateway/workloads.h"
#include "analyzers/registry_entries.h"

namespace istio_lint::analyzers {
namespace {

using model::Gateway;
using model::Secret;

/// Standard base64 as Kubernetes writes `data` values; whitespace is ignored. nullopt when invalid.
std::optional<std::string> base64Decode(std::string_view in) {
  static const std::array<int8_t, 256> kTable = [] {
    std::array<int8_t, 256> t{};
    t.fill(-1);
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
    return t;
  }();
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  size_t chars = 0, padding = 0;
  for (char c : in) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      ++padding;
      ++chars;
      continue;
    }
    int v = kTable[static_cast<unsigned char>(c)];
    if (v < 0 || padding > 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    ++chars;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (chars % 4 != 0 || padding > 2) return std::nullopt;
  return out;
}

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;

BioPtr memBio(const std::string& bytes) {
  return BioPtr(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

/// Never prompts for the passphrase of an encrypted key: such a key cannot be used by Envoy.
int noPassphrase(char*, int, int, void*) { return -1; }

std::string formatTime(const ASN1_TIME* t) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return "an unreadable date";
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

/// The Secret's entries as the API server stores them: `data` base64-decoded, then `stringData`
/// written over it. A `data` value that is not base64 is reported instead.
std::optional<std::string> secretEntries(const Secret& s, std::map<std::string, std::string>& out) {
  for (const auto& [k, v] : s.data) {
    auto decoded = base64Decode(v);
    if (!decoded) return "data." + k + " is not valid base64";
    out[k] = std::move(*decoded);
  }
  for (const auto& [k, v] : s.string_data) out[k] = v;
  return std::nullopt;
}

/// Why the Secret cannot serve as a gateway credential, or nullopt when it can. Entries are read as
/// istiod reads them: `cert` and `key` first, then `tls.crt` and `tls.key`.
std::optional<std::string> credentialProblem(const Secret& s) {
  std::map<std::string, std::string> entries;
  if (auto bad = secretEntries(s, entries)) return bad;
  auto nonEmpty = [&](const char* k) {
    auto it = entries.find(k);
    return it != entries.end() && !it->second.empty();
  };
  std::string cert_key, key_key;
  if (nonEmpty("cert") && nonEmpty("key")) {
    cert_key = "cert", key_key = "key";
  } else if (nonEmpty("tls.crt") && nonEmpty("tls.key")) {
    cert_key = "tls.crt", key_key = "tls.key";
  } else if (entries.count("tls.crt") && entries.count("tls.key")) {
    return std::string("tls.crt and tls.key are empty");
  } else if (entries.count("cert") && entries.count("key")) {
    return std::string("cert and key are empty");
  } else {
    std::string found;
    for (const auto& [k, v] : entries) found += (found.empty() ? "" : ", ") + k;
    return "it has no tls.crt and tls.key entries (nor cert and key); found: " + (found.empty() ? "none" : found);
  }

  ERR_clear_error();
  std::vector<X509Ptr> chain;
  {
    BioPtr bio = memBio(entries[cert_key]);
    while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) chain.emplace_back(x);
    ERR_clear_error();
  }
  if (chain.empty()) return cert_key + " does not hold a PEM-encoded certificate";
  for (size_t i = 0; i < chain.size(); ++i) {
    const char* which = i == 0 ? "the certificate" : "a chain certificate";
    if (X509_cmp_current_time(X509_get0_notAfter(chain[i].get())) < 0) {
      return std::string(which) + " in " + cert_key + " expired on " + formatTime(X509_get0_notAfter(chain[i].get()));
    }
    if (X509_cmp_current_time(X509_get0_notBefore(chain[i].get())) > 0) {
      return std::string(which) + " in " + cert_key + " is not valid before " +
             formatTime(X509_get0_notBefore(chain[i].get()));
    }
  }
  KeyPtr key;
  {
    BioPtr bio = memBio(entries[key_key]);
    key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr));
    ERR_clear_error();
  }
  if (!key) return key_key + " does not hold an unencrypted PEM-encoded private key (PKCS#1, PKCS#8 or EC)";
  if (X509_check_private_key(chain.front().get(), key.get()) != 1) {
    ERR_clear_error();
    return key_key + " is not the private key of the certificate in " + cert_key;
  }
  return std::nullopt;
}

class SecretAnalyzer final : public Analyzer {
 public:
  const AnalyzerMetadata& metadata() const override {
    static const AnalyzerMetadata kMeta{
        "gateway.SecretAnalyzer",
        "Checks a gateway's referenced secrets for correctness",
        {Kind::Gateway, Kind::Pod, Kind::Secret},
        {Code::IST0101, Code::IST0161}};
    return kMeta;
  }

  void analyze(Context& ctx) const override {
    const model::MeshGraph& g = ctx.graph();
    std::map<const Secret*, std::optional<std::string>> checked;  // lookup only
    for (const Gateway* gw : g.typed<Gateway>(Kind::Gateway)) {
      std::vector<const model::Workload*> workloads = gateway::selectedWorkloads(g, *gw);
      if (workloads.empty()) {
        gateway::reportSelectorNotFound(ctx, *gw);
        continue;
      }
      // The gateway's workloads read credentials from their own namespace.
      std::set<std::string> namespaces;
      for (const model::Workload* w : workloads) namespaces.insert(w->ns());
      for (const model::GatewayServer& server : gw->servers) {
        if (!server.tls) continue;
        std::vector<const model::Str*> names;
        if (!server.tls->credential_name.empty()) names.push_back(&server.tls->credential_name);
        for (const model::Str& n : server.tls->credential_names) names.push_back(&n);
        for (const model::Str* cn : names) {
          if (cn->value.find('/') != std::string::npos) {
            check(ctx, *gw, *cn, *namespaces.begin(), checked);  // `ns/name` names one Secret
            continue;
          }
          for (const std::string& ns : namespaces) check(ctx, *gw, *cn, ns, checked);
        }
      }
    }
  }

 private:
  static void check(Context& ctx, const Gateway& gw, const model::Str& cn, const std::string& workload_ns,
                    std::map<const Secret*, std::optional<std::string>>& checked) {
    const model::MeshGraph& g = ctx.graph();
    std::string ns = workload_ns, name = cn.value;
    const bool explicit_ns = name.find('/') != std::string::npos;
    if (explicit_ns) {
      ns = name.substr(0, name.find('/'));
      name = name.substr(name.find('/') + 1);
    }
    const auto* secret = static_cast<const Secret*>(g.find(Kind::Secret, ns, name));
    if (secret == nullptr) {
      rules::Finding& f = ctx.report(Code::IST0101, gw, cn.span, "credentialName", cn.value);
      f.message += explicit_ns ? ". There is no Secret " + name + " in namespace \"" + ns + "\""
                               : ". The gateway's workloads run in namespace \"" + workload_ns +
                                     "\" and read the Secret from there: create it in that namespace";
      for (const model::Resource* other : g.findByName(Kind::Secret, name)) {
        f.notes.push_back({"a Secret named " + name + " exists in namespace \"" + other->ns() + "\"", other->span});
      }
      return;
    }
    auto [it, inserted] = checked.try_emplace(secret);
    if (inserted) it->second = credentialProblem(*secret);
    if (!it->second) return;
    rules::Finding& f = ctx.report(Code::IST0161, gw, cn.span, gw.name(), workload_ns);
    f.message += " Secret " + gateway::fullName(*secret) + ": " + *it->second + ".";
    f.notes.push_back({"Secret " + gateway::fullName(*secret) + " is declared here", secret->span});
  }
};

}  // namespace

AnalyzerPtr makeGatewaySecretAnalyzer() { return std::make_unique<SecretAnalyzer>(); }

}  // namespace istio_lint::analyzers
