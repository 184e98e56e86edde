#include "serve/server.h"

#include <chrono>
#include <thread>

#include "serve/worker.h"

namespace istio_lint::serve {

Server::Server(ServeOptions options) : options_(std::move(options)) {}

Server::~Server() = default;

bool Server::open(std::string& error) {
  const uint64_t seed = options_.seed != 0
                            ? options_.seed
                            : static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  const unsigned n = options_.workers == 0 ? 1 : options_.workers;
  std::vector<uint16_t> ports;
  for (unsigned i = 0; i < n; ++i) {
    // Each worker its own stream of draws.
    auto w = std::make_unique<Worker>(options_, seed + 0x9e3779b97f4a7c15ull * i);
    if (!w->open(ports, error)) return false;
    workers_.push_back(std::move(w));
  }
  bound_ = ports;
  return true;
}

uint16_t Server::boundPort(size_t listen_index) const {
  return listen_index < bound_.size() ? bound_[listen_index] : 0;
}

void Server::run() {
  std::vector<std::thread> threads;
  for (size_t i = 1; i < workers_.size(); ++i) threads.emplace_back([w = workers_[i].get()] { w->run(); });
  if (!workers_.empty()) workers_[0]->run();
  for (auto& w : workers_) w->stop();
  for (std::thread& t : threads) t.join();
}

void Server::stop() {
  for (auto& w : workers_) w->stop();
}

}  // namespace istio_lint::serve
