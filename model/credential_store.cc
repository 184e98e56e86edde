#include "model/credential_store.h"

#include <cstdlib>
#include <ctime>

namespace istio_lint::model {

namespace {

UnixTime defaultNow() {
  if (const char* env = std::getenv("ISTIO_LINT_NOW"); env != nullptr && *env != '\0') {
    if (auto t = parseTimestamp(env)) return *t;
  }
  return static_cast<UnixTime>(std::time(nullptr));
}

/// The Secret's entries as written, unambiguously delimited: equal keys mean equal credentials.
std::string contentKey(const Secret& secret) {
  std::string content;
  for (const auto* entries : {&secret.data, &secret.string_data}) {
    content += entries == &secret.data ? "D" : "S";
    for (const auto& [k, v] : *entries) content += std::to_string(k.size()) + ':' + k + std::to_string(v.size()) + ':' + v;
  }
  return content;
}

}  // namespace

CredentialCache::~CredentialCache() { finish(); }

CredentialCache::Entry& CredentialCache::entry(const std::string& content) {
  std::unique_ptr<Entry>& e = by_content_[content];
  if (!e) e = std::make_unique<Entry>();
  return *e;
}

void CredentialCache::prefetch(const Secret& secret) {
  if (!holdsCredential(secret)) return;
  std::string content = contentKey(secret);
  std::lock_guard<std::mutex> lock(mu_);
  if (by_content_.count(content)) return;
  auto entries = std::make_unique<Secret>();
  entries->data = secret.data;
  entries->string_data = secret.string_data;
  queue_.push_back({&entry(content), std::move(entries)});
  if (!worker_.joinable()) worker_ = std::thread([this] { run(); });
  wake_.notify_one();
}

void CredentialCache::run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return !queue_.empty() || closing_; });
    if (queue_.empty()) return;  // closing, and nothing left
    Job job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    // A get() for the same entries may have parsed them meanwhile: call_once then does nothing.
    // Should the parse throw (out of memory), the entry stays unparsed and get() tries again on
    // its own thread, where the failure is reported.
    try {
      std::call_once(job.entry->once, [&] { job.entry->value = std::make_unique<Credential>(parseCredential(*job.entries)); });
    } catch (...) {
    }
    lock.lock();
  }
}

void CredentialCache::finish() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  std::lock_guard<std::mutex> lock(mu_);
  closing_ = false;
}

const Credential& CredentialCache::get(const Secret& secret) {
  std::string content = contentKey(secret);
  Entry* e = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    e = &entry(content);
  }
  // Outside the lock: waits while the background thread parses these entries, parses them here
  // when nobody has started.
  std::call_once(e->once, [&] { e->value = std::make_unique<Credential>(parseCredential(secret)); });
  return *e->value;
}

size_t CredentialCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return by_content_.size();
}

CertificateStore::CertificateStore(const CertificateOptions& options, std::shared_ptr<CredentialCache> cache)
    : now_(options.now ? *options.now : defaultNow()),
      window_days_(options.expiry_window_days),
      cache_(cache ? std::move(cache) : std::make_shared<CredentialCache>()) {}

const Credential& CertificateStore::credential(const Secret& secret) const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_secret_.find(&secret);
    if (it != by_secret_.end()) return *it->second;
  }
  const Credential& c = cache_->get(secret);
  std::lock_guard<std::mutex> lock(mu_);
  by_secret_[&secret] = &c;
  return c;
}

}  // namespace istio_lint::model
