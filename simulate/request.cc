#include "simulate/request.h"

#include <utility>

namespace istio_lint::simulate {

std::string_view Request::header(std::string_view name) const {
  for (uint32_t i = 0; i < header_count; ++i) {
    if (headers[i].name == name) return headers[i].value;
  }
  return {};
}

bool Request::hasHeader(std::string_view name) const {
  for (uint32_t i = 0; i < header_count; ++i) {
    if (headers[i].name == name) return true;
  }
  return false;
}

Alpn Request::offeredAlpn() const {
  if (alpn != Alpn::Default) return alpn;
  switch (tls) {
    case TlsMode::Plaintext: return Alpn::None;
    case TlsMode::Tls: return protocol == Protocol::Http ? Alpn::Http11 : protocol == Protocol::Http2 ? Alpn::H2 : Alpn::None;
    case TlsMode::Mtls:
      return protocol == Protocol::Http ? Alpn::IstioHttp11 : protocol == Protocol::Http2 ? Alpn::IstioH2 : Alpn::Istio;
  }
  return Alpn::None;
}

namespace {
constexpr std::pair<Alpn, std::string_view> kAlpnNames[] = {
    {Alpn::None, ""},
    {Alpn::Http10, "http/1.0"},
    {Alpn::Http11, "http/1.1"},
    {Alpn::H2c, "h2c"},
    {Alpn::H2, "h2"},
    {Alpn::IstioHttp10, "istio-http/1.0"},
    {Alpn::IstioHttp11, "istio-http/1.1"},
    {Alpn::IstioH2, "istio-h2"},
    {Alpn::Istio, "istio"},
    {Alpn::IstioPeerExchange, "istio-peer-exchange"},
};
}  // namespace

Alpn parseAlpn(std::string_view s) {
  for (const auto& [a, name] : kAlpnNames) {
    if (name == s) return a;
  }
  return Alpn::Other;
}

std::string_view alpnName(Alpn a) {
  for (const auto& [x, name] : kAlpnNames) {
    if (x == a) return name;
  }
  return a == Alpn::Default ? "default" : "other";
}

std::string_view errorName(Error e) {
  switch (e) {
    case Error::None: return "";
    case Error::NoListener: return "ErrNoListener";
    case Error::NoFilterChain: return "ErrNoFilterChain";
    case Error::MultipleFilterChain: return "ErrMultipleFilterChain";
    case Error::TlsError: return "ErrTLSError";
    case Error::MtlsError: return "ErrMTLSError";
    case Error::ProtocolError: return "ErrProtocolError";
    case Error::NoVirtualHost: return "ErrNoVirtualHost";
    case Error::TlsRedirect: return "ErrTLSRedirect";
    case Error::NoRoute: return "ErrNoRoute";
  }
  return "";
}

std::string_view errorEnvoyName(Error e) {
  switch (e) {
    case Error::None: return "";
    case Error::NoListener: return "connection refused (no listener)";
    case Error::NoFilterChain: return "connection reset (no filter chain)";
    case Error::MultipleFilterChain: return "connection reset (ambiguous filter chains)";
    case Error::TlsError: return "connection reset (plaintext to a TLS chain)";
    case Error::MtlsError: return "connection reset (mTLS mismatch)";
    case Error::ProtocolError: return "connection reset (not HTTP)";
    case Error::NoVirtualHost: return "404 NR";
    case Error::TlsRedirect: return "301 TLS redirect";
    case Error::NoRoute: return "404 NR";
  }
  return "";
}

}  // namespace istio_lint::simulate
