// TLS passthrough in serve's workers: a connection on a TLS listener is held until its
// ClientHello is read, routed by the hello's SNI (and ALPN) like Envoy's TLS inspector and filter
// chain match, and then relayed byte for byte to the chosen cluster's --upstream. TLS is never
// terminated here: a chain that would terminate it, a cluster without an --upstream, or an SNI no
// chain takes closes the connection (Envoy's answer to an unmatched SNI).

#include <sys/epoll.h>
#include <sys/socket.h>

#include "serve/access_log.h"
#include "serve/client_hello.h"
#include "serve/connections.h"
#include "simulate/listener.h"
#include "simulate/routing_model.h"

namespace istio_lint::serve {

void Worker::onTunnelClient(Client& c, uint32_t events) {
  if (events & EPOLLERR) {
    endTunnel(c);
    return;
  }
  if (c.mode == Client::Mode::Sniff) {
    bool eof = false;
    // parseClientHello answers NotTls before a hello passes its 64 KiB limit, so `in` stays bounded.
    if (!readInto(c.fd, c.in, eof, kMaxPending)) {
      endTunnel(c);
      return;
    }
    ClientHello hello;
    switch (parseClientHello(c.in, hello)) {
      case HelloResult::NeedMore:
        if (eof) endTunnel(c);
        return;
      case HelloResult::NotTls: endTunnel(c); return;
      case HelloResult::Ok: break;
    }
    c.sni = hello.sni;
    c.client_eof = eof;
    startTunnel(c, hello.alpn.empty() ? std::string() : hello.alpn.front());
    return;
  }
  if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) && !c.client_eof && c.up != nullptr) {
    // Client bytes go to the upstream's output buffer.
    // A read error (a reset) ends the client's stream like a close: what was read still goes on.
    const size_t before = c.up->out.size();
    if (!readInto(c.fd, c.up->out, c.client_eof, kMaxPending)) c.client_eof = true;
    c.bytes_received += c.up->out.size() - before;
  }
  pumpTunnel(c);
}

void Worker::onTunnelUpstream(Upstream& u, uint32_t events) {
  Client* cp = u.client;
  if (cp == nullptr) {
    closeUpstream(u);
    return;
  }
  Client& c = *cp;
  if (u.connecting) {
    if (connectError(u.fd) != 0 || (events & EPOLLERR)) {
      endTunnel(c);
      return;
    }
    u.connecting = false;
  }
  c.connected = true;
  if (events & EPOLLERR) c.upstream_eof = true;
  if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) && !c.upstream_eof) {
    // Upstream bytes go to the client's output buffer.
    // A reset from the upstream (nginx resets lingering connections) ends its stream like a
    // close: the bytes it sent before still reach the client.
    const size_t before = c.out.size();
    if (!readInto(u.fd, c.out, c.upstream_eof, kMaxPending)) c.upstream_eof = true;
    c.bytes_sent += c.out.size() - before;
  }
  pumpTunnel(c);
}

void Worker::startTunnel(Client& c, const std::string& alpn) {
  c.mode = Client::Mode::Tunnel;
  simulate::Request r;
  r.sni = c.sni;
  r.host = c.sni;
  r.port = c.listen->port;
  r.tls = simulate::TlsMode::Tls;
  r.protocol = simulate::Protocol::Tcp;
  r.alpn = alpn.empty() ? simulate::Alpn::None : simulate::parseAlpn(alpn);
  r.has_random = true;
  r.random = random_();
  const simulate::Decision d = simulate::decide(*c.listen->proxy, r);
  // Only a chain that passes TLS through (tcp_proxy, no termination) is served.
  if (d.error != simulate::Error::None || d.chain == nullptr ||
      d.chain->termination != simulate::FilterChain::Termination::None || d.route_config != nullptr ||
      d.cluster == nullptr) {
    c.plan.cluster = d.cluster;
    endTunnel(c);
    return;
  }
  c.plan.cluster = d.cluster;
  const auto addr = options_.upstreams.find(*d.cluster);
  if (!addr) {
    endTunnel(c);
    return;
  }
  Upstream* u = connectUpstream(*addr);
  if (u == nullptr) {
    endTunnel(c);
    return;
  }
  c.connected = !u->connecting;
  u->tunnel = true;
  u->client = &c;
  u->out = std::move(c.in);  // the ClientHello, and whatever followed it
  u->out_pos = 0;
  c.bytes_received = u->out.size();
  c.in.clear();
  c.in_pos = 0;
  c.up = u;
  pumpTunnel(c);
}

void Worker::pumpTunnel(Client& c) {
  Upstream* u = c.up;
  if (u == nullptr) {
    endTunnel(c);
    return;
  }
  // Write what each side has pending; pass an end on once its bytes are written. A client that is
  // gone ends the tunnel; an upstream that is gone still lets its last bytes reach the client.
  if (!sendPending(c.fd, c.out, c.out_pos)) {
    endTunnel(c);
    return;
  }
  if (!u->connecting && !c.upstream_shut) {
    if (!sendPending(u->fd, u->out, u->out_pos)) {
      u->out.clear();
      u->out_pos = 0;
      c.upstream_shut = c.upstream_eof = c.client_eof = true;  // nothing more can reach it
    } else if (c.client_eof && u->out.empty()) {
      ::shutdown(u->fd, SHUT_WR);
      c.upstream_shut = true;
    }
  }
  if (c.upstream_eof && c.out.empty() && !c.client_shut) {
    ::shutdown(c.fd, SHUT_WR);
    c.client_shut = true;
  }
  if (c.client_shut && c.upstream_shut) {
    endTunnel(c);
    return;
  }
  // Read a side only while the other has room; write interest while bytes wait.
  want(c.fd, &c.tag, !c.client_eof && u->out.size() < kMaxPending, !c.out.empty());
  want(u->fd, &u->tag, !u->connecting && !c.upstream_eof && c.out.size() < kMaxPending,
       u->connecting || !u->out.empty());
}

void Worker::endTunnel(Client& c) {
  if (options_.access_log && c.mode != Client::Mode::Http) {
    log_ += tcpAccessLogLine(c.sni, c.plan.cluster, c.listen->port, c.bytes_received, c.bytes_sent,
                             nowMicros() - c.started_us, c.connected);
  }
  closeClient(c);  // closes the upstream too
}

}  // namespace istio_lint::serve
