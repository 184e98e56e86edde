#pragma once

// Certificates held in Secrets, parsed once per mesh graph with OpenSSL.
//
// A Secret serves a gateway as istiod reads it: `data` base64-decoded with `stringData` written
// over it; the certificate chain and key from `cert`/`key` (generic Secret) or `tls.crt`/`tls.key`
// (kubernetes.io/tls); the client CA from `cacert` or `ca.crt`. The store parses a Secret the
// first time an analyzer asks for it and keeps the result for the life of the graph, so every
// analyzer that looks at a credential shares one parse.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/resources/kube.h"

namespace istio_lint::model {

/// Seconds since 1970-01-01T00:00:00Z.
using UnixTime = int64_t;

/// One X.509 certificate, as much of it as the analyzers need.
struct Certificate {
  std::string subject;                    // RFC 2253 one-line form, e.g. "CN=shop.example.com,O=Shop"
  std::string common_name;                // the subject CN, or empty
  std::vector<std::string> dns_names;     // subjectAltName dNSName entries, as written
  std::vector<std::string> ip_addresses;  // subjectAltName iPAddress entries, printed
  UnixTime not_before = 0, not_after = 0;
  bool is_ca = false;  // basicConstraints CA:TRUE
};

/// What a Secret offers as a gateway credential. Entries that are absent leave their fields empty.
struct Credential {
  /// Why the Secret cannot serve as a server credential (bad base64, no cert/key entries, no PEM
  /// certificate, no usable key, key not matching the certificate); nullopt when it can.
  std::optional<std::string> error;
  std::string cert_entry, key_entry;  // the entries read: "tls.crt"/"tls.key" or "cert"/"key"
  std::vector<Certificate> chain;     // leaf first; empty when the certificate does not parse
  bool key_matches = false;           // the private key belongs to chain.front()

  std::string ca_entry;               // "ca.crt" or "cacert" when the Secret has one (non-empty)
  std::vector<Certificate> ca;        // the CA bundle, when ca_entry is set
  std::optional<std::string> ca_error;  // the CA entry holds no PEM certificate

  const Certificate* leaf() const { return chain.empty() ? nullptr : &chain.front(); }
  bool hasCa() const { return !ca_entry.empty(); }
};

/// Run-wide settings of the certificate checks.
struct CertificateOptions {
  /// "Now" for validity checks. nullopt: the environment variable ISTIO_LINT_NOW when set (see
  /// parseTimestamp; tests use it so that fixtures do not depend on today's date), else the clock.
  std::optional<UnixTime> now;
  /// IL1004 reports certificates that expire within this many days.
  int expiry_window_days = kDefaultExpiryWindowDays;
  static constexpr int kDefaultExpiryWindowDays = 30;
};

/// Parsed credentials by Secret, filled on first use. Secrets with the same entries (a wildcard
/// certificate copied into many namespaces) share one parse. Safe to call from several threads.
class CertificateStore {
 public:
  explicit CertificateStore(const CertificateOptions& options);

  /// The Secret's credential, parsed on the first call for this Secret.
  const Credential& credential(const Secret& secret) const;

  /// Whether the Secret has an entry a credential is read from (cert, tls.crt, cacert, ca.crt):
  /// the Secrets worth parsing before anyone asks (MeshGraph::build does, on a second core).
  static bool holdsCredential(const Secret& secret);

  /// How many distinct credentials have been parsed so far.
  size_t size() const;

  UnixTime now() const { return now_; }
  int expiryWindowDays() const { return window_days_; }

 private:
  UnixTime now_;
  int window_days_;
  mutable std::mutex mu_;
  mutable std::unordered_map<const Secret*, const Credential*> by_secret_;
  mutable std::unordered_map<std::string, std::unique_ptr<Credential>> by_content_;
};

/// Parses a Secret without caching (CertificateStore::credential caches it).
Credential parseCredential(const Secret& secret);

/// Standard base64 as Kubernetes writes `data` values; whitespace is ignored. nullopt when invalid.
std::optional<std::string> base64Decode(std::string_view in);

/// "2026-06-01", "2026-06-01T12:00:00Z" or seconds since the epoch; nullopt otherwise.
std::optional<UnixTime> parseTimestamp(std::string_view text);
/// "2026-06-01 12:00:00 UTC".
std::string formatTimestamp(UnixTime t);

/// Whether a certificate name (a dNSName SAN) covers a host a client connects to, as RFC 6125
/// §6.4 matches them: case-insensitive; a wildcard only as the whole leftmost label ("*.example.com"
/// covers "a.example.com", not "example.com" nor "a.b.example.com"). A wildcard `host` (a gateway
/// server host such as "*.example.com") is covered only by the same wildcard name.
bool certificateNameCovers(std::string_view name, std::string_view host);

}  // namespace istio_lint::model
