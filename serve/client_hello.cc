#include "serve/client_hello.h"

#include <cstdint>

namespace istio_lint::serve {
namespace {

constexpr size_t kMaxHello = 64 * 1024;

/// A cursor over the hello's bytes; every read fails once past the end.
struct Reader {
  std::string_view s;
  bool ok = true;

  uint32_t num(size_t n) {
    if (!ok || s.size() < n) {
      ok = false;
      return 0;
    }
    uint32_t v = 0;
    for (size_t i = 0; i < n; ++i) v = v << 8 | static_cast<unsigned char>(s[i]);
    s.remove_prefix(n);
    return v;
  }
  std::string_view bytes(size_t n) {
    if (!ok || s.size() < n) {
      ok = false;
      return {};
    }
    std::string_view v = s.substr(0, n);
    s.remove_prefix(n);
    return v;
  }
};

bool readExtensions(Reader ext, ClientHello& out) {
  while (ext.ok && !ext.s.empty()) {
    const uint32_t type = ext.num(2);
    Reader data{ext.bytes(ext.num(2))};
    if (!ext.ok) return false;
    if (type == 0) {  // server_name
      Reader list{data.bytes(data.num(2))};
      while (list.ok && !list.s.empty()) {
        const uint32_t name_type = list.num(1);
        std::string_view name = list.bytes(list.num(2));
        if (list.ok && name_type == 0 && out.sni.empty()) out.sni = std::string(name);
      }
      if (!list.ok || !data.ok) return false;
    } else if (type == 16) {  // application_layer_protocol_negotiation
      Reader list{data.bytes(data.num(2))};
      while (list.ok && !list.s.empty()) {
        std::string_view proto = list.bytes(list.num(1));
        if (list.ok) out.alpn.emplace_back(proto);
      }
      if (!list.ok || !data.ok) return false;
    }
  }
  return ext.ok;
}

}  // namespace

HelloResult parseClientHello(std::string_view bytes, ClientHello& out) {
  out = ClientHello{};
  // The handshake message, gathered from consecutive handshake records.
  std::string handshake;
  size_t pos = 0;
  for (;;) {
    if (bytes.size() - pos < 5) {
      if (pos < bytes.size() && static_cast<unsigned char>(bytes[pos]) != 0x16) return HelloResult::NotTls;
      return HelloResult::NeedMore;
    }
    const auto* h = reinterpret_cast<const unsigned char*>(bytes.data() + pos);
    if (h[0] != 0x16 || h[1] != 3) return HelloResult::NotTls;
    const size_t len = static_cast<size_t>(h[3]) << 8 | h[4];
    if (len == 0 || len > 16384 + 2048) return HelloResult::NotTls;
    if (bytes.size() - pos - 5 < len) return HelloResult::NeedMore;
    handshake.append(bytes.data() + pos + 5, len);
    pos += 5 + len;
    if (handshake.size() >= 4) {
      if (static_cast<unsigned char>(handshake[0]) != 1) return HelloResult::NotTls;  // not a ClientHello
      const size_t body = static_cast<size_t>(static_cast<unsigned char>(handshake[1])) << 16 |
                          static_cast<size_t>(static_cast<unsigned char>(handshake[2])) << 8 |
                          static_cast<unsigned char>(handshake[3]);
      if (body + 4 > kMaxHello) return HelloResult::NotTls;
      if (handshake.size() >= body + 4) {
        Reader r{std::string_view(handshake).substr(4, body)};
        r.num(2);                // legacy_version
        r.bytes(32);             // random
        r.bytes(r.num(1));       // legacy_session_id
        r.bytes(r.num(2));       // cipher_suites
        r.bytes(r.num(1));       // legacy_compression_methods
        if (!r.ok) return HelloResult::NotTls;
        if (r.s.empty()) return HelloResult::Ok;  // no extensions: no SNI, no ALPN
        Reader ext{r.bytes(r.num(2))};
        if (!r.ok || !readExtensions(ext, out)) return HelloResult::NotTls;
        return HelloResult::Ok;
      }
    }
    if (pos > kMaxHello) return HelloResult::NotTls;
  }
}

}  // namespace istio_lint::serve
