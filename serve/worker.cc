#include "serve/worker.h"

#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>

#include "serve/access_log.h"
#include "serve/connections.h"
#include "simulate/routing_model.h"

namespace istio_lint::serve {

Worker::Worker(const ServeOptions& options, uint64_t seed) : options_(options), random_(seed) {}

Worker::~Worker() {
  for (Client& c : clients_) {
    if (c.fd >= 0) ::close(c.fd);
  }
  for (Upstream& u : upstreams_) {
    if (u.fd >= 0) ::close(u.fd);
  }
  for (int fd : listeners_) ::close(fd);
  if (wake_ >= 0) ::close(wake_);
  if (epoll_ >= 0) ::close(epoll_);
}

bool Worker::open(std::vector<uint16_t>& ports, std::string& error) {
  epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_ < 0 || wake_ < 0) {
    error = std::string("epoll: ") + std::strerror(errno);
    return false;
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &wake_tag_;
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
  ports.resize(options_.listen.size());
  for (size_t i = 0; i < options_.listen.size(); ++i) listener_tags_.push_back(Tag{TagKind::Listener, static_cast<uint32_t>(i)});
  for (size_t i = 0; i < options_.listen.size(); ++i) {
    const uint16_t want_port = ports[i] != 0 ? ports[i] : options_.listen[i].local_port;
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(want_port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || ::listen(fd, 1024) != 0) {
      error = "cannot listen on 127.0.0.1:" + std::to_string(want_port) + " (the gateway's listener " +
              std::to_string(options_.listen[i].port) + "): " + std::strerror(errno);
      if (fd >= 0) ::close(fd);
      return false;
    }
    socklen_t len = sizeof sa;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
    ports[i] = ntohs(sa.sin_port);
    listeners_.push_back(fd);
    ev.events = EPOLLIN;
    ev.data.ptr = &listener_tags_[i];
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
  }
  return true;
}

void Worker::stop() {
  uint64_t one = 1;
  ssize_t n = ::write(wake_, &one, sizeof one);
  (void)n;
}

void Worker::want(int fd, void* tag, bool in, bool out) {
  epoll_event ev{};
  ev.events = (in ? EPOLLIN | EPOLLRDHUP : 0u) | (out ? EPOLLOUT : 0u);
  ev.data.ptr = tag;
  if (::epoll_ctl(epoll_, EPOLL_CTL_MOD, fd, &ev) != 0 && errno == ENOENT) ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
}

void Worker::run() {
  epoll_event events[256];
  while (!stopping_) {
    int timeout_ms = -1;
    if (!timers_.empty()) {
      const int64_t wait = timers_.top().at_us - nowMicros();
      timeout_ms = wait <= 0 ? 0 : static_cast<int>((wait + 999) / 1000);
    }
    int n = ::epoll_wait(epoll_, events, 256, timeout_ms);
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < n; ++i) {
      Tag* tag = static_cast<Tag*>(events[i].data.ptr);
      switch (tag->kind) {
        case TagKind::Wake: stopping_ = true; break;
        case TagKind::Listener: accept(tag->index); break;
        case TagKind::Client: onClient(*reinterpret_cast<Client*>(tag), events[i].events); break;
        case TagKind::Upstream: onUpstream(*reinterpret_cast<Upstream*>(tag), events[i].events); break;
      }
    }
    runTimers();
    free_clients_.insert(free_clients_.end(), closed_clients_.begin(), closed_clients_.end());
    closed_clients_.clear();
    free_upstreams_.insert(free_upstreams_.end(), closed_upstreams_.begin(), closed_upstreams_.end());
    closed_upstreams_.clear();
    if (!log_.empty()) flushLog();
  }
}

void Worker::accept(size_t listen_index) {
  for (;;) {
    int fd = ::accept4(listeners_[listen_index], nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN, or a transient error (EMFILE): the next event retries
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    Client* c = takeFree(free_clients_, clients_);
    c->open(fd, options_.listen[listen_index]);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.ptr = &c->tag;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
  }
}

namespace {

/// Serve reads more of a client's requests: none is in flight and neither its unanswered input nor
/// its unsent output is over the bound.
bool wantsInput(const Worker::Client& c) {
  return !c.waiting && c.in.size() - c.in_pos < kMaxPending && c.out.size() - c.out_pos < kMaxPending;
}

}  // namespace

void Worker::onClient(Client& c, uint32_t events) {
  if (c.fd < 0) return;
  if (c.mode != Client::Mode::Http) {
    onTunnelClient(c, events);
    return;
  }
  if (events & (EPOLLERR | EPOLLHUP)) {
    closeClient(c);
    return;
  }
  if (events & EPOLLOUT) {
    flush(c);
    if (c.fd < 0) return;
  }
  if (events & (EPOLLIN | EPOLLRDHUP)) {
    if (!wantsInput(c)) {
      // A request in flight, or the client reads slower than it sends: its bytes wait in the socket.
      want(c.fd, &c.tag, false, c.out_pos < c.out.size());
      return;
    }
    bool eof = false;
    if (!readInto(c.fd, c.in, eof, kMaxPending)) {
      closeClient(c);
      return;
    }
    processInput(c);
    if (c.fd >= 0 && eof) {
      c.peer_closed = true;
      if (!c.waiting && c.out_pos >= c.out.size()) closeClient(c);
    }
  }
}

void Worker::processInput(Client& c) {
  c.in_processing = true;
  while (c.fd >= 0 && !c.waiting && !c.close_after_write && c.in_pos < c.in.size() &&
         c.out.size() - c.out_pos < kMaxPending) {
    c.in_pos += c.parser.feed(c.in.data() + c.in_pos, c.in.size() - c.in_pos);
    if (c.parser.failed()) {
      c.close_after_write = true;
      respondLocal(c, c.parser.errorStatus(), "DPE", c.parser.error() + "\n");
      break;
    }
    if (!c.parser.complete()) {
      // A client that waits for "100 Continue" before its body (curl, for bodies over 1 KiB).
      if (c.parser.headersDone() && !c.continued && c.parser.message().header("expect") == "100-continue") {
        c.continued = true;
        c.out += "HTTP/1.1 100 Continue\r\n\r\n";
      }
      break;
    }
    c.continued = false;
    handleRequest(c);
    if (c.fd >= 0 && !c.waiting) c.parser.next();
  }
  c.in_processing = false;
  if (c.fd < 0) return;
  if (c.in_pos == c.in.size()) {
    c.in.clear();
    c.in_pos = 0;
  } else if (c.in_pos > 64 * 1024) {
    c.in.erase(0, c.in_pos);
    c.in_pos = 0;
  }
  flush(c);
}

void Worker::handleRequest(Client& c) {
  const HttpMessage& m = c.parser.message();
  c.started_us = nowMicros();
  if (!m.keep_alive) c.close_after_write = true;
  if (m.upgrade || m.method == "CONNECT") {
    c.close_after_write = true;
    respondLocal(c, 400, "DPE", "serve does not proxy CONNECT or protocol upgrades\n");
    return;
  }
  const std::string_view host = m.header("host");
  if (host.empty()) {
    c.close_after_write = true;
    respondLocal(c, 400, "DPE", "the request has no Host header\n");
    return;
  }
  scratch_headers_.clear();
  for (const auto& [k, v] : m.headers) scratch_headers_.push_back({k, v});
  simulate::Request r;
  r.host = host;
  r.port = c.listen->port;
  r.path = m.target;
  r.method = m.method;
  r.headers = scratch_headers_.data();
  r.header_count = static_cast<uint32_t>(scratch_headers_.size());
  r.has_random = true;
  r.random = random_();
  const simulate::Decision d = simulate::decide(*c.listen->proxy, r);
  c.plan = plan(d, r, c.listen->port, routes_);
  switch (c.plan.kind) {
    case Plan::Kind::Close:
      if (options_.access_log) accessLog(c, 0, "NR");
      closeClient(c);
      return;
    case Plan::Kind::Respond: {
      HeaderList extra = std::move(c.plan.headers);
      respondLocal(c, c.plan.status, c.plan.flag, std::move(c.plan.body), std::move(extra));
      return;
    }
    case Plan::Kind::Forward: break;
  }
  // The request as the upstream sees it: the authority first, the hop-by-hop headers dropped,
  // then the route's and the destination's header operations.
  const std::string_view connection = m.header("connection");
  c.forward_headers.clear();
  c.forward_headers.emplace_back("host", c.plan.authority);
  for (const auto& [k, v] : m.headers) {
    if (k == "host" || isHopByHop(k, connection)) continue;
    c.forward_headers.emplace_back(k, v);
  }
  c.forward_headers.emplace_back("x-forwarded-proto", "http");
  for (const model::HeaderOps* ops : c.plan.request_ops) applyHeaderOps(*ops, c.forward_headers);
  c.upstream_addr = options_.upstreams.find(*c.plan.cluster);
  if (!c.upstream_addr && c.plan.cluster->kind == simulate::Cluster::Kind::Service && c.plan.cluster->endpoints.empty() &&
      !c.plan.cluster->mesh_external && c.plan.cluster->next_proxy == nullptr) {
    respondLocal(c, 503, "UH", "no healthy upstream");
    return;
  }
  c.tries = 0;
  c.waiting = true;
  want(c.fd, &c.tag, false, c.out_pos < c.out.size());
  c.deadline_us = c.plan.timeout_us > 0 ? c.started_us + c.plan.delay_us + c.plan.timeout_us : 0;
  if (c.plan.delay_us > 0) {
    c.delaying = true;
    setTimer(c, c.started_us + c.plan.delay_us);
    return;
  }
  startForward(c);
}

void Worker::respondLocal(Client& c, unsigned status, std::string_view flag, std::string body, HeaderList extra) {
  if (!body.empty() && extra.empty()) extra.emplace_back("content-type", "text/plain");
  finishResponse(c, status, std::move(extra), body, flag);
}

void Worker::finishResponse(Client& c, unsigned status, HeaderList headers, std::string_view body,
                            std::string_view flag) {
  if (c.plan.kind == Plan::Kind::Forward && flag.empty()) {
    for (const model::HeaderOps* ops : c.plan.response_ops) applyHeaderOps(*ops, headers);
  }
  if (!c.plan.route.empty()) headers.emplace_back("x-istio-lint-route", std::string(c.plan.route));
  if (c.plan.cluster != nullptr) headers.emplace_back("x-istio-lint-cluster", c.plan.cluster->name);
  if (!flag.empty()) headers.emplace_back("x-istio-lint-flags", std::string(flag));
  const bool keep = !c.close_after_write && !stopping_;
  const size_t before = c.out.size();
  writeResponse(c.out, status, headers, c.parser.message().method == "HEAD" ? std::string_view{} : body, keep);
  c.bytes_sent = c.out.size() - before;
  if (options_.access_log) accessLog(c, status, flag);
  c.waiting = false;
  c.delaying = false;
  ++c.timer_token;  // pending timers of this request no longer apply
  c.plan = Plan{};  // nothing of it carries over to an answer for the next request
  if (!keep) c.close_after_write = true;
  if (c.fd < 0) return;
  flush(c);
  if (c.fd >= 0 && !c.close_after_write && !c.in_processing) {
    // Answered later than it was read: the next pipelined request, if one is already here.
    c.parser.next();
    processInput(c);
  }
}

void Worker::flush(Client& c) {
  if (!sendPending(c.fd, c.out, c.out_pos)) {
    closeClient(c);
    return;
  }
  if (c.out_pos < c.out.size()) {
    want(c.fd, &c.tag, wantsInput(c), true);
    return;
  }
  if (!c.waiting && !c.in_processing && !c.close_after_write && c.in_pos < c.in.size()) {
    processInput(c);  // requests read earlier than the output could leave
    return;
  }
  if (!c.waiting && (c.close_after_write || c.peer_closed)) {
    closeClient(c);
    return;
  }
  want(c.fd, &c.tag, wantsInput(c), false);
}

void Worker::closeClient(Client& c) {
  if (c.fd < 0) return;
  if (c.up != nullptr) {
    Upstream* u = c.up;
    c.up = nullptr;
    u->client = nullptr;
    closeUpstream(*u);  // mid-response: not reusable
  }
  ::close(c.fd);
  c.fd = -1;
  ++c.timer_token;
  c.waiting = false;
  c.in.clear();
  c.out.clear();
  c.forward_bytes.clear();
  closed_clients_.push_back(&c);
}

void Worker::setTimer(Client& c, int64_t at_us) { timers_.push(Timer{at_us, &c, c.timer_token}); }

void Worker::runTimers() {
  const int64_t now = nowMicros();
  while (!timers_.empty() && timers_.top().at_us <= now) {
    Timer t = timers_.top();
    timers_.pop();
    Client& c = *t.client;
    if (c.fd < 0 || t.token != c.timer_token || !c.waiting) continue;
    if (c.delaying) {
      c.delaying = false;
      startForward(c);
      continue;
    }
    if (c.deadline_us != 0 && now >= c.deadline_us) {
      if (c.up != nullptr) closeUpstream(*c.up);
      respondLocal(c, 504, "UT", "upstream request timeout");
      continue;
    }
    if (c.try_deadline_us != 0 && now >= c.try_deadline_us && c.up != nullptr) {
      closeUpstream(*c.up);
      c.try_deadline_us = 0;
      if (!retry(c, false, 0, Failure::TryTimeout)) respondLocal(c, 504, "UT", "upstream request timeout");
    }
  }
}

void Worker::accessLog(const Client& c, unsigned status, std::string_view flag) {
  const HttpMessage& m = c.parser.message();
  const bool forwarded = c.plan.kind == Plan::Kind::Forward && flag.empty();
  log_ += accessLogLine(m, status, flag, forwarded, c.plan.cluster, c.plan.route, c.listen->port, c.bytes_sent,
                        nowMicros() - c.started_us);
}

void Worker::flushLog() {
  // One writer at a time: a batch larger than a pipe's atomic write would otherwise interleave
  // with another worker's lines.
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  size_t done = 0;
  while (done < log_.size()) {
    ssize_t n = ::write(STDERR_FILENO, log_.data() + done, log_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // stderr is gone: the lines are dropped, serving goes on
    done += static_cast<size_t>(n);
  }
  log_.clear();
}

}  // namespace istio_lint::serve
