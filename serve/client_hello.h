#pragma once

// The server name (SNI) and ALPN protocols of a TLS ClientHello, read from the first bytes of a
// connection without terminating TLS: what a gateway's TLS inspector gives its filter chain match
// (`serve` on PASSTHROUGH listeners). The hello may span several TLS records.

#include <string>
#include <string_view>
#include <vector>

namespace istio_lint::serve {

struct ClientHello {
  std::string sni;                 // empty: the client sent none
  std::vector<std::string> alpn;   // in the client's order
};

enum class HelloResult : unsigned char {
  NeedMore,  // a prefix of a ClientHello: read more
  Ok,
  NotTls,    // not a TLS handshake, or a malformed / oversized hello (over 64 KiB)
};

HelloResult parseClientHello(std::string_view bytes, ClientHello& out);

}  // namespace istio_lint::serve
