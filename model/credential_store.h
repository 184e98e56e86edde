#pragma once

// Parsed credentials, shared: one parse per distinct Secret content, started in the background
// as soon as the loader has read a Secret that holds one (CredentialCache), handed to the
// analyzers by the graph's CertificateStore.

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "model/certificates.h"

namespace istio_lint::model {

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

}  // namespace istio_lint::model
