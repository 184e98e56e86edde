#include "model/certificates.h"

#include <array>
#include <cctype>
#include <charconv>
#include <ctime>
#include <map>

#include "model/ascii.h"
#include "model/libcrypto.h"

namespace istio_lint::model {
namespace {

using libcrypto::Api;

/// libcrypto's functions. parseCredential checks that the library opens before it calls anything
/// below.
const Api& crypto() { return *libcrypto::api(); }

struct BioDeleter {
  void operator()(BIO* b) const { crypto().BIO_free(b); }
};
struct X509Deleter {
  void operator()(X509* x) const { crypto().X509_free(x); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { crypto().EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;

BioPtr memBio(const std::string& bytes) {
  return BioPtr(crypto().BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

/// The entries a client CA is read from, in istiod's order.
constexpr std::array<const char*, 2> kCaEntries{"cacert", "ca.crt"};
/// The entries a server certificate is read from, in istiod's order (each with its key: `key`,
/// `tls.key`).
constexpr std::array<const char*, 2> kCertEntries{"cert", "tls.crt"};

/// Never prompts for the passphrase of an encrypted key: such a key cannot be used by Envoy.
int noPassphrase(char*, int, int, void*) { return -1; }

/// The private key in `pem`, read with the decoders for the certificate's key type only. OpenSSL 3
/// otherwise sets up every decoder it has for each read (PEM_read_bio_PrivateKey), about 25
/// million instructions, which is most of the analyze phase of a small mesh. Null when the key is
/// not of that type or not in one of the usual forms; the caller then reads it the general way.
KeyPtr readKeyOfType(const std::string& pem, const X509* cert) {
  const EVP_PKEY* pub = crypto().X509_get0_pubkey(cert);
  const char* type = pub != nullptr ? crypto().EVP_PKEY_get0_type_name(pub) : nullptr;
  if (type == nullptr) return nullptr;
  // PKCS#8 ("BEGIN PRIVATE KEY") or the key type's own form ("BEGIN EC PRIVATE KEY", "BEGIN RSA
  // PRIVATE KEY").
  const char* structure = nullptr;
  if (pem.find("-----BEGIN PRIVATE KEY-----") != std::string::npos) {
    structure = "PrivateKeyInfo";
  } else if (pem.find("-----BEGIN EC PRIVATE KEY-----") != std::string::npos ||
             pem.find("-----BEGIN RSA PRIVATE KEY-----") != std::string::npos) {
    structure = "type-specific";
  } else {
    return nullptr;
  }
  EVP_PKEY* key = nullptr;
  OSSL_DECODER_CTX* ctx =
      crypto().OSSL_DECODER_CTX_new_for_pkey(&key, "PEM", structure, type, EVP_PKEY_KEYPAIR, nullptr, nullptr);
  if (ctx == nullptr) return nullptr;
  const auto* data = reinterpret_cast<const unsigned char*>(pem.data());
  size_t len = pem.size();
  if (crypto().OSSL_DECODER_CTX_get_num_decoders(ctx) == 0 || crypto().OSSL_DECODER_from_data(ctx, &data, &len) != 1) {
    crypto().EVP_PKEY_free(key);
    key = nullptr;
  }
  crypto().OSSL_DECODER_CTX_free(ctx);
  crypto().ERR_clear_error();
  return KeyPtr(key);
}

UnixTime toUnix(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || crypto().ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<UnixTime>(timegm(&tm));
}

std::string nameString(const X509_NAME* name) {
  BioPtr bio(crypto().BIO_new(crypto().BIO_s_mem()));
  crypto().X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long len = crypto().BIO_ctrl(bio.get(), BIO_CTRL_INFO, 0, &data);  // BIO_get_mem_data
  return std::string(data, static_cast<size_t>(len));
}

std::string commonName(const X509_NAME* name) {
  int i = crypto().X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (i < 0) return {};
  const ASN1_STRING* s = crypto().X509_NAME_ENTRY_get_data(crypto().X509_NAME_get_entry(name, i));
  return std::string(reinterpret_cast<const char*>(crypto().ASN1_STRING_get0_data(s)), static_cast<size_t>(crypto().ASN1_STRING_length(s)));
}

Certificate describe(X509* x) {
  Certificate c;
  c.subject = nameString(crypto().X509_get_subject_name(x));
  c.common_name = commonName(crypto().X509_get_subject_name(x));
  c.not_before = toUnix(crypto().X509_get0_notBefore(x));
  c.not_after = toUnix(crypto().X509_get0_notAfter(x));
  c.is_ca = crypto().X509_check_ca(x) > 0;
  auto* names = static_cast<GENERAL_NAMES*>(crypto().X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr));
  if (names != nullptr) {
    const auto* stack = reinterpret_cast<const OPENSSL_STACK*>(names);
    for (int i = 0; i < crypto().OPENSSL_sk_num(stack); ++i) {  // sk_GENERAL_NAME_num, _value
      const auto* gn = static_cast<const GENERAL_NAME*>(crypto().OPENSSL_sk_value(stack, i));
      if (gn->type == GEN_DNS) {
        const ASN1_STRING* s = gn->d.dNSName;
        c.dns_names.emplace_back(reinterpret_cast<const char*>(crypto().ASN1_STRING_get0_data(s)),
                                 static_cast<size_t>(crypto().ASN1_STRING_length(s)));
      } else if (gn->type == GEN_IPADD) {
        const ASN1_OCTET_STRING* ip = gn->d.iPAddress;
        const unsigned char* b = crypto().ASN1_STRING_get0_data(ip);
        std::string out;
        if (crypto().ASN1_STRING_length(ip) == 4) {
          for (int k = 0; k < 4; ++k) out += (k ? "." : "") + std::to_string(b[k]);
        } else {
          static const char* hex = "0123456789abcdef";
          for (int k = 0; k < crypto().ASN1_STRING_length(ip); ++k) {
            if (k && k % 2 == 0) out += ':';
            out += hex[b[k] >> 4];
            out += hex[b[k] & 15];
          }
        }
        c.ip_addresses.push_back(std::move(out));
      }
    }
    crypto().GENERAL_NAMES_free(names);
  }
  return c;
}

std::vector<X509Ptr> readPemCertificates(const std::string& bytes) {
  std::vector<X509Ptr> out;
  BioPtr bio = memBio(bytes);
  while (X509* x = crypto().PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(x);
  crypto().ERR_clear_error();
  return out;
}

}  // namespace

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

Credential parseCredential(const Secret& s) {
  Credential c;
  // The entries as the API server stores them: `data` decoded, then `stringData` over it.
  std::map<std::string, std::string> entries;
  for (const auto& [k, v] : s.data) {
    auto decoded = base64Decode(v);
    if (!decoded) {
      c.error = "data." + k + " is not valid base64";
      return c;
    }
    entries[k] = std::move(*decoded);
  }
  for (const auto& [k, v] : s.string_data) entries[k] = v;
  std::string unavailable;
  if (libcrypto::api(&unavailable) == nullptr) {
    c.error = "cannot read certificates: " + unavailable;
    return c;
  }
  auto nonEmpty = [&](const char* k) {
    auto it = entries.find(k);
    return it != entries.end() && !it->second.empty();
  };

  // The client CA, read whatever the server credential holds (istiod: `cacert`, then `ca.crt`).
  for (const char* k : kCaEntries) {
    if (!nonEmpty(k)) continue;
    c.ca_entry = k;
    for (const X509Ptr& x : readPemCertificates(entries[k])) c.ca.push_back(describe(x.get()));
    if (c.ca.empty()) c.ca_error = std::string(k) + " does not hold a PEM-encoded certificate";
    break;
  }

  // istiod reads `cert` and `key` first, then `tls.crt` and `tls.key`.
  if (nonEmpty("cert") && nonEmpty("key")) {
    c.cert_entry = "cert", c.key_entry = "key";
  } else if (nonEmpty("tls.crt") && nonEmpty("tls.key")) {
    c.cert_entry = "tls.crt", c.key_entry = "tls.key";
  } else if (entries.count("tls.crt") && entries.count("tls.key")) {
    c.error = "tls.crt and tls.key are empty";
    return c;
  } else if (entries.count("cert") && entries.count("key")) {
    c.error = "cert and key are empty";
    return c;
  } else {
    std::string found;
    for (const auto& [k, v] : entries) found += (found.empty() ? "" : ", ") + k;
    c.error = "it has no tls.crt and tls.key entries (nor cert and key); found: " + (found.empty() ? "none" : found);
    return c;
  }

  crypto().ERR_clear_error();
  std::vector<X509Ptr> chain = readPemCertificates(entries[c.cert_entry]);
  if (chain.empty()) {
    c.error = c.cert_entry + " does not hold a PEM-encoded certificate";
    return c;
  }
  for (const X509Ptr& x : chain) c.chain.push_back(describe(x.get()));
  KeyPtr key = readKeyOfType(entries[c.key_entry], chain.front().get());
  if (!key) {
    BioPtr bio = memBio(entries[c.key_entry]);
    key.reset(crypto().PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr));
    crypto().ERR_clear_error();
  }
  if (!key) {
    c.error = c.key_entry + " does not hold an unencrypted PEM-encoded private key (PKCS#1, PKCS#8 or EC)";
    return c;
  }
  c.key_matches = crypto().X509_check_private_key(chain.front().get(), key.get()) == 1;
  crypto().ERR_clear_error();
  if (!c.key_matches) c.error = c.key_entry + " is not the private key of the certificate in " + c.cert_entry;
  return c;
}

bool holdsCredential(const Secret& secret) {
  for (const auto* entries : {&secret.data, &secret.string_data}) {
    for (const auto* names : {&kCertEntries, &kCaEntries}) {
      for (const char* k : *names) {
        if (entries->count(k)) return true;
      }
    }
  }
  return false;
}

std::optional<UnixTime> parseTimestamp(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.find_first_not_of("0123456789") == std::string_view::npos) {
    UnixTime v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
    return v;
  }
  // YYYY-MM-DD, optionally followed by THH:MM:SSZ.
  auto num = [&](size_t pos, size_t len, int& out) {
    if (pos + len > text.size()) return false;
    out = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  std::tm tm{};
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!num(0, 4, y) || text.size() < 10 || text[4] != '-' || !num(5, 2, mo) || text[7] != '-' || !num(8, 2, d)) {
    return std::nullopt;
  }
  if (text.size() != 10) {
    if (text.size() != 20 || (text[10] != 'T' && text[10] != ' ') || !num(11, 2, h) || text[13] != ':' ||
        !num(14, 2, mi) || text[16] != ':' || !num(17, 2, s) || text[19] != 'Z') {
      return std::nullopt;
    }
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d, tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = s;
  return static_cast<UnixTime>(timegm(&tm));
}

std::string formatTimestamp(UnixTime t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

bool certificateNameCovers(std::string_view name, std::string_view host) {
  if (name.empty() || host.empty()) return false;
  if (equalsIgnoreCase(name, host)) return true;
  if (!name.starts_with("*.")) return false;
  // A wildcard host is covered only by the same wildcard (checked above).
  if (host.starts_with("*")) return false;
  std::string_view suffix = name.substr(1);  // ".example.com"
  if (host.size() <= suffix.size()) return false;
  std::string_view label = host.substr(0, host.size() - suffix.size());
  return equalsIgnoreCase(host.substr(host.size() - suffix.size()), suffix) && label.find('.') == std::string_view::npos;
}

}  // namespace istio_lint::model
