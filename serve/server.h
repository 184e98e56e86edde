#pragma once

// `serve`'s data path: gateway listeners on 127.0.0.1 that route real HTTP/1.1 requests by the
// compiled routing model (decide(), then serve/route_plan.h) and forward them to loopback
// upstreams or answer them with a built-in one. One event loop (epoll) per worker thread; every
// worker binds every port (SO_REUSEPORT) and the kernel spreads the connections.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "serve/upstreams.h"
#include "simulate/proxy.h"

namespace istio_lint::serve {

struct ListenPort {
  const simulate::Proxy* proxy = nullptr;  // the gateway workload
  uint32_t port = 0;                       // the gateway's listener port (a Service's targetPort)
  uint16_t local_port = 0;                 // served on 127.0.0.1:local_port
  /// TLS passthrough: connections are routed by their ClientHello's SNI and relayed as bytes;
  /// otherwise plaintext HTTP/1.1.
  bool tls = false;
};

struct ServeOptions {
  std::vector<ListenPort> listen;
  UpstreamMap upstreams;
  unsigned workers = 1;
  /// One line per request on stderr, in Istio's default access log format (replay reads it).
  bool access_log = false;
  /// Seeds the draws for weights and fault percentages; 0: from the clock.
  uint64_t seed = 0;
};

class Worker;

class Server {
 public:
  explicit Server(ServeOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Opens every listening socket (each worker its own, SO_REUSEPORT). False with `error` when a
  /// port cannot be bound.
  bool open(std::string& error);
  /// The port a listener was bound to (the local port, or the kernel's choice for local_port 0).
  uint16_t boundPort(size_t listen_index) const;
  /// Serves until stop(); the calling thread runs the first worker.
  void run();
  /// Ends run() soon; safe from another thread and from a signal handler.
  void stop();

 private:
  ServeOptions options_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<uint16_t> bound_;
};

}  // namespace istio_lint::serve
