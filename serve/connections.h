#pragma once

// The connection state of serve's workers (serve/worker.h), shared by worker.cc (HTTP) and
// tunnel.cc (TLS passthrough).

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <deque>
#include <vector>
#include <cstddef>
#include <ctime>
#include <optional>
#include <string>

#include "serve/worker.h"

namespace istio_lint::serve {

inline int64_t nowMicros() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

constexpr size_t kReadChunk = 16 * 1024;
constexpr size_t kIdlePerAddress = 256;
/// Bytes waiting for one side of a connection, beyond which serve stops reading the other side:
/// an HTTP client's unanswered input and unsent output (pipelining without reading cannot grow a
/// connection without bound), and each direction of a TLS passthrough tunnel.
constexpr size_t kMaxPending = 1 << 20;

/// Reads what the socket has into `buf` (appending), at most about `max` bytes; false when the
/// socket failed. `eof`: the peer closed its side.
inline bool readInto(int fd, std::string& buf, bool& eof, size_t max = SIZE_MAX) {
  for (size_t got = 0; got < max;) {
    const size_t old = buf.size();
    buf.resize(old + kReadChunk);
    ssize_t n = ::read(fd, buf.data() + old, kReadChunk);
    if (n > 0) {
      buf.resize(old + static_cast<size_t>(n));
      got += static_cast<size_t>(n);
      if (static_cast<size_t>(n) < kReadChunk) return true;
      continue;
    }
    buf.resize(old);
    if (n == 0) {
      eof = true;
      return true;
    }
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
  return true;
}

/// Writes what it can of `buf` from `pos` (`buf` emptied once all is written); false when the
/// socket failed.
/// The error a non-blocking connect() ended with (SO_ERROR); 0 when it connected.
inline int connectError(int fd) {
  int err = 0;
  socklen_t len = sizeof err;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  return err;
}

/// An object of `all` to reuse (from `free`) or a new one; deque elements never move.
template <class T>
T* takeFree(std::vector<T*>& free, std::deque<T>& all) {
  if (free.empty()) return &all.emplace_back();
  T* t = free.back();
  free.pop_back();
  return t;
}

inline bool sendPending(int fd, std::string& buf, size_t& pos) {
  while (pos < buf.size()) {
    ssize_t n = ::send(fd, buf.data() + pos, buf.size() - pos, MSG_NOSIGNAL);
    if (n > 0) {
      pos += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
  buf.clear();
  pos = 0;
  return true;
}

struct Worker::Client {
  Tag tag{TagKind::Client};
  int fd = -1;
  uint32_t timer_token = 0;
  const ListenPort* listen = nullptr;
  std::string in;
  size_t in_pos = 0;
  std::string out;
  size_t out_pos = 0;
  HttpParser parser{HttpParser::Kind::Request};
  bool close_after_write = false;
  bool waiting = false;  // a forward (or its delay) is in flight: no further request is read
  bool peer_closed = false;
  // The request in flight.
  Plan plan;
  HeaderList forward_headers;
  std::string forward_bytes;  // the request as sent upstream (kept for retries)
  std::optional<sockaddr_in> upstream_addr;  // the cluster's --upstream; none: the built-in upstream
  Upstream* up = nullptr;
  uint32_t tries = 0;
  int64_t started_us = 0, deadline_us = 0, try_deadline_us = 0;
  bool delaying = false;
  bool in_processing = false;  // inside processInput: it reads the next request itself
  bool continued = false;      // "100 Continue" sent for the request being read
  size_t bytes_sent = 0;
  // TLS passthrough (serve/tunnel.cc): the ClientHello is read first (Sniff), then bytes are
  // relayed both ways (Tunnel); `in` and `out` hold the bytes not yet written to the other side.
  enum class Mode : uint8_t { Http, Sniff, Tunnel };
  Mode mode = Mode::Http;
  bool client_eof = false, upstream_eof = false;   // each side's end of its byte stream
  bool client_shut = false, upstream_shut = false;  // that end passed on (shutdown SHUT_WR)
  bool connected = false;                           // the upstream's connect succeeded
  std::string sni;
  size_t bytes_received = 0;

  /// A new connection on `l`: every field of the one before it forgotten.
  void open(int new_fd, const ListenPort& l) {
    fd = new_fd;
    listen = &l;
    in.clear();
    in_pos = 0;
    out.clear();
    out_pos = 0;
    parser.reset();
    close_after_write = waiting = peer_closed = delaying = continued = false;
    up = nullptr;
    plan = Plan{};
    mode = l.tls ? Mode::Sniff : Mode::Http;
    client_eof = upstream_eof = client_shut = upstream_shut = connected = false;
    sni.clear();
    bytes_received = bytes_sent = 0;
    started_us = nowMicros();
  }
};

struct Worker::Upstream {
  Tag tag{TagKind::Upstream};
  int fd = -1;
  AddrKey key{};
  std::string in;
  std::string out;
  size_t out_pos = 0;
  HttpParser parser{HttpParser::Kind::Response};
  Client* client = nullptr;  // the request it carries; null when idle
  bool connecting = false;
  bool reused = false;  // it served a request before this one
  bool got_bytes = false;
  bool tunnel = false;  // a TLS passthrough connection, relaying bytes (serve/tunnel.cc)
};

}  // namespace istio_lint::serve
