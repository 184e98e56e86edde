// The forward of serve's HTTP requests (serve/worker.h): connections to the cluster's upstream,
// kept alive in a pool per worker and address, the response read back, istiod's retry policy and
// the answers Envoy gives when no try succeeds.

#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "serve/connections.h"

namespace istio_lint::serve {

void Worker::startForward(Client& c) {
  const HttpMessage& m = c.parser.message();
  if (!c.upstream_addr) {
    std::string body = builtinResponseBody(*c.plan.cluster, m.method, c.plan.target, c.forward_headers);
    HeaderList headers{{"content-type", "application/json"}};
    finishResponse(c, 200, std::move(headers), body, "");
    return;
  }
  c.forward_bytes.clear();
  writeRequest(c.forward_bytes, m.method, c.plan.target, c.forward_headers, m.body);
  if (c.deadline_us != 0) setTimer(c, c.deadline_us);
  attempt(c);
}

void Worker::attempt(Client& c) {
  ++c.tries;
  const AddrKey key{c.upstream_addr->sin_addr.s_addr, c.upstream_addr->sin_port};
  Upstream* u = nullptr;
  auto it = idle_.find(key);
  if (it != idle_.end() && !it->second.empty()) {
    u = it->second.back();
    it->second.pop_back();
  } else {
    u = connectUpstream(*c.upstream_addr);
    if (u == nullptr) {
      onUpstreamFailure(c, Failure::Connect);
      return;
    }
  }
  u->client = &c;
  c.up = u;
  u->in.clear();
  u->got_bytes = false;
  u->parser.reset();
  if (c.parser.message().method == "HEAD") u->parser.expectNoBody();
  u->out = c.forward_bytes;
  u->out_pos = 0;
  if (c.plan.retry->per_try_timeout_us > 0) {
    c.try_deadline_us = nowMicros() + c.plan.retry->per_try_timeout_us;
    setTimer(c, c.try_deadline_us);
  } else {
    c.try_deadline_us = 0;
  }
  if (u->connecting) {
    want(u->fd, &u->tag, true, true);
  } else {
    flush(*u);
  }
}

Worker::Upstream* Worker::connectUpstream(const sockaddr_in& addr) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return nullptr;
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  if (rc != 0 && errno != EINPROGRESS) {
    ::close(fd);
    return nullptr;
  }
  Upstream* u = takeFree(free_upstreams_, upstreams_);
  u->fd = fd;
  u->key = AddrKey{addr.sin_addr.s_addr, addr.sin_port};
  u->connecting = rc != 0;
  u->reused = false;
  u->tunnel = false;
  return u;
}

void Worker::onUpstream(Upstream& u, uint32_t events) {
  if (u.fd < 0) return;
  if (u.tunnel) {
    onTunnelUpstream(u, events);
    return;
  }
  Client* c = u.client;
  if (c == nullptr) {
    // Idle in the pool: the server closed it (or sent something unasked). Drop it.
    closeUpstream(u);
    return;
  }
  if (u.connecting) {
    if (connectError(u.fd) != 0 || (events & (EPOLLERR | EPOLLHUP))) {
      closeUpstream(u);
      onUpstreamFailure(*c, Failure::Connect);
      return;
    }
    u.connecting = false;
  }
  if (events & EPOLLOUT) flush(u);
  if (u.fd < 0) return;
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
    bool eof = false;
    const bool ok = readInto(u.fd, u.in, eof);
    if (!u.in.empty()) {
      u.got_bytes = true;
      u.in.erase(0, u.parser.feed(u.in.data(), u.in.size()));
    }
    if (!ok || eof) u.parser.finish();
    while (u.parser.complete() && u.parser.message().status >= 100 && u.parser.message().status < 200) {
      // An interim response (100 Continue, 103 Early Hints): the final one follows.
      u.parser.reset();
      if (c->parser.message().method == "HEAD") u.parser.expectNoBody();
      if (!u.in.empty()) u.in.erase(0, u.parser.feed(u.in.data(), u.in.size()));
    }
    if (u.parser.complete()) {
      onUpstreamResponse(*c, u);
      return;
    }
    if (u.parser.failed() || !ok || eof) upstreamLost(u);
  }
}

void Worker::onUpstreamResponse(Client& c, Upstream& u) {
  HttpMessage resp = std::move(u.parser.message());
  const bool reusable = resp.keep_alive && u.in.empty();
  u.client = nullptr;
  c.up = nullptr;
  release(u, reusable);
  if (retry(c, true, resp.status, Failure::Reset)) return;
  HeaderList headers;
  const std::string_view connection = resp.header("connection");
  for (auto& [k, v] : resp.headers) {
    if (!isHopByHop(k, connection)) headers.emplace_back(std::move(k), std::move(v));
  }
  finishResponse(c, resp.status, std::move(headers), resp.body, "");
}

bool Worker::retry(Client& c, bool on_status, unsigned status, Failure why) {
  const RetryPolicy& p = *c.plan.retry;
  if (c.tries > p.attempts || stopping_) return false;
  bool yes = false;
  if (on_status) {
    if ((p.on & kRetry5xx) && status >= 500) yes = true;
    if ((p.on & kRetryGatewayError) && (status == 502 || status == 503 || status == 504)) yes = true;
    if ((p.on & kRetryRetriable4xx) && status == 409) yes = true;
    if (p.on & kRetryRetriableStatus) {
      for (uint16_t s : p.status_codes) yes = yes || s == status;
    }
  } else {
    if (p.on & (kRetry5xx | kRetryGatewayError)) yes = true;
    if (why == Failure::Connect && (p.on & kRetryConnectFailure)) yes = true;
    if (why == Failure::Reset && (p.on & kRetryReset)) yes = true;
  }
  if (!yes) return false;
  c.up = nullptr;
  attempt(c);
  return true;
}

void Worker::onUpstreamFailure(Client& c, Failure why) {
  c.up = nullptr;
  if (retry(c, false, 0, why)) return;
  switch (why) {
    case Failure::Connect:
      respondLocal(c, 503, "UF",
                   "upstream connect error or disconnect/reset before headers. reset reason: connection failure");
      break;
    case Failure::Reset:
      respondLocal(c, 503, "UC",
                   "upstream connect error or disconnect/reset before headers. reset reason: connection termination");
      break;
    case Failure::TryTimeout: respondLocal(c, 504, "UT", "upstream request timeout"); break;
  }
}

void Worker::flush(Upstream& u) {
  if (sendPending(u.fd, u.out, u.out_pos)) {
    want(u.fd, &u.tag, true, u.out_pos < u.out.size());
    return;
  }
  upstreamLost(u);
}

void Worker::upstreamLost(Upstream& u) {
  Client* c = u.client;
  const bool stale = u.reused && !u.got_bytes;
  closeUpstream(u);
  if (c == nullptr) return;
  if (stale) {
    // A kept-alive connection the server had closed: a fresh one, not counted as a retry.
    --c->tries;
    attempt(*c);
  } else {
    onUpstreamFailure(*c, Failure::Reset);
  }
}

void Worker::release(Upstream& u, bool reusable) {
  std::vector<Upstream*>& idle = idle_[u.key];
  if (!reusable || stopping_ || idle.size() >= kIdlePerAddress) {
    closeUpstream(u);
    return;
  }
  u.reused = true;
  u.in.clear();
  idle.push_back(&u);
  want(u.fd, &u.tag, true, false);
}

void Worker::closeUpstream(Upstream& u) {
  if (u.fd < 0) return;
  if (u.client == nullptr) {
    auto it = idle_.find(u.key);
    if (it != idle_.end()) std::erase(it->second, &u);
  } else if (u.client->up == &u) {
    u.client->up = nullptr;
  }
  ::close(u.fd);  // also leaves the epoll set
  u.fd = -1;
  u.client = nullptr;
  u.tunnel = false;
  u.out.clear();
  u.in.clear();
  closed_upstreams_.push_back(&u);
}

}  // namespace istio_lint::serve
