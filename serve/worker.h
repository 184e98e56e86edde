#pragma once

// One event loop of `serve` (serve/server.h): its listening sockets, the client connections it
// accepted, its pool of kept-alive upstream connections and its timers. Nothing is shared between
// workers but the read-only routing model and options.

#include <netinet/in.h>

#include <cstdint>
#include <deque>
#include <map>
#include <queue>
#include <random>
#include <string>
#include <vector>

#include "serve/http_codec.h"
#include "serve/route_plan.h"
#include "serve/server.h"

namespace istio_lint::serve {

class Worker {
 public:
  Worker(const ServeOptions& options, uint64_t seed);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  /// Binds 127.0.0.1:port for every listener (port 0 for a listener: `ports[i]`, which the first
  /// worker's kernel-chosen port fills in for the others).
  bool open(std::vector<uint16_t>& ports, std::string& error);
  void run();
  void stop();  // async-signal-safe

  struct Client;
  struct Upstream;

 private:
  enum class TagKind : uint8_t { Listener, Wake, Client, Upstream };
  /// What an epoll event is about: the first member of Client and Upstream.
  struct Tag {
    TagKind kind;
    uint32_t index = 0;
  };
  struct Timer {
    int64_t at_us;
    Client* client;
    uint32_t token;
    bool operator>(const Timer& o) const { return at_us > o.at_us; }
  };
  struct AddrKey {
    uint32_t ip;
    uint16_t port;
    bool operator<(const AddrKey& o) const { return ip != o.ip ? ip < o.ip : port < o.port; }
  };

  void accept(size_t listen_index);
  void onClient(Client& c, uint32_t events);
  void onUpstream(Upstream& u, uint32_t events);
  void processInput(Client& c);
  void handleRequest(Client& c);
  void startForward(Client& c);
  void attempt(Client& c);
  /// A new non-blocking connection to `addr` (connecting, or connected); null when it failed at once.
  Upstream* connectUpstream(const sockaddr_in& addr);
  void onUpstreamResponse(Client& c, Upstream& u);
  enum class Failure : uint8_t { Connect, Reset, TryTimeout };
  void onUpstreamFailure(Client& c, Failure why);
  bool retry(Client& c, bool on_status, unsigned status, Failure why);
  void respondLocal(Client& c, unsigned status, std::string_view flag, std::string body, HeaderList extra = {});
  void finishResponse(Client& c, unsigned status, HeaderList headers, std::string_view body, std::string_view flag);
  void flush(Client& c);
  void flush(Upstream& u);
  /// The upstream connection failed or closed before its response: a fresh try when it was a
  /// kept-alive connection the server had dropped, else the failure (retries, then 503).
  void upstreamLost(Upstream& u);
  void closeClient(Client& c);
  void closeUpstream(Upstream& u);
  void release(Upstream& u, bool reusable);
  void setTimer(Client& c, int64_t at_us);
  void runTimers();
  /// Sets what epoll reports for `fd`: readable (and the peer's close) when `in`, writable when `out`.
  void want(int fd, void* tag, bool in, bool out);
  void accessLog(const Client& c, unsigned status, std::string_view flag);
  /// Writes the batch's access log lines to stderr in one go.
  void flushLog();
  // TLS passthrough (tunnel.cc).
  void onTunnelClient(Client& c, uint32_t events);
  void onTunnelUpstream(Upstream& u, uint32_t events);
  void startTunnel(Client& c, const std::string& alpn);
  void pumpTunnel(Client& c);
  void endTunnel(Client& c);

  const ServeOptions& options_;
  int epoll_ = -1, wake_ = -1;
  Tag wake_tag_{TagKind::Wake};
  std::deque<Tag> listener_tags_;
  std::vector<int> listeners_;
  std::deque<Client> clients_;
  std::vector<Client*> free_clients_;
  std::deque<Upstream> upstreams_;
  std::vector<Upstream*> free_upstreams_;
  // Closed during the current batch of events: reused only after it, so that an event of the
  // batch for a closed connection finds it closed rather than a new connection in its place.
  std::vector<Client*> closed_clients_;
  std::vector<Upstream*> closed_upstreams_;
  std::map<AddrKey, std::vector<Upstream*>> idle_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers_;
  std::mt19937_64 random_;
  RouteCache routes_;
  std::vector<simulate::Header> scratch_headers_;
  bool stopping_ = false;
  std::string log_;  // access log lines of the current batch, written after it (flushLog)
};

}  // namespace istio_lint::serve
