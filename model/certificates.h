#pragma once

// Certificates held in Secrets, parsed once per run with OpenSSL.
//
// A Secret serves a gateway as istiod reads it: `data` base64-decoded with `stringData` written
// over it; the certificate chain and key from `cert`/`key` (generic Secret) or `tls.crt`/`tls.key`
// (kubernetes.io/tls); the client CA from `cacert` or `ca.crt`. The loader queues each Secret that
// holds a credential for parsing on a background thread as soon as it has read it
// (CredentialCache); the graph's CertificateStore hands the parses to the analyzers, so every
// analyzer that looks at a credential shares one parse.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
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

/// Parsed credentials by content: Secrets with the same entries (a wildcard certificate copied
/// into many namespaces) share one parse. prefetch() queues a parse for one background thread, so
/// that loading OpenSSL and its first use (~2.5 ms) overlap the reading of the rest of the input
/// instead of delaying the graph; get() returns a parse, waiting for it when it is under way.
/// Safe to call from several threads.
class CredentialCache {
 public:
  CredentialCache() = default;
  CredentialCache(const CredentialCache&) = delete;
  CredentialCache& operator=(const CredentialCache&) = delete;
  ~CredentialCache();  // finish()

  /// Queues the parse of the Secret's credential when it holds one (holdsCredential) and no
  /// Secret with the same entries was queued or parsed before. The Secret need not outlive the
  /// call.
  void prefetch(const Secret& secret);
  /// Waits until the queued parses are done and ends the background thread (a later prefetch
  /// starts a new one).
  void finish();
  /// The credential of the Secret's entries: the parse queued for them (waited for when under
  /// way, done here when not yet started), else a parse on the calling thread.
  const Credential& get(const Secret& secret);
  /// How many distinct credentials have been parsed or queued so far.
  size_t size() const;

 private:
  struct Entry {
    std::once_flag once;
    std::unique_ptr<Credential> value;
  };
  struct Job {
    Entry* entry;
    std::unique_ptr<Secret> entries;  // a copy of the Secret's data and stringData
  };
  Entry& entry(const std::string& content);
  void run();

  mutable std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<Entry>> by_content_;
  std::deque<Job> queue_;
  std::condition_variable wake_;
  bool closing_ = false;
  std::thread worker_;
};

/// The credentials of a graph's Secrets: CredentialCache's parses, looked up by Secret.
class CertificateStore {
 public:
  /// `cache`: the one the loader filled (LoadResult::credentials); null: a new one.
  explicit CertificateStore(const CertificateOptions& options, std::shared_ptr<CredentialCache> cache = nullptr);

  /// The Secret's credential, parsed on the first call for its entries unless queued before.
  const Credential& credential(const Secret& secret) const;

  /// Whether the Secret has an entry a credential is read from (cert, tls.crt, cacert, ca.crt):
  /// the Secrets worth parsing before anyone asks.
  static bool holdsCredential(const Secret& secret);

  /// How many distinct credentials have been parsed or queued so far.
  size_t size() const { return cache_->size(); }
  CredentialCache& cache() const { return *cache_; }

  UnixTime now() const { return now_; }
  int expiryWindowDays() const { return window_days_; }

 private:
  UnixTime now_;
  int window_days_;
  std::shared_ptr<CredentialCache> cache_;
  mutable std::mutex mu_;
  mutable std::unordered_map<const Secret*, const Credential*> by_secret_;
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
