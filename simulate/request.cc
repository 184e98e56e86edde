#include "simulate/request.h"

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
    case Error::MtlsError: return "connection reset (Istio mTLS required)";
    case Error::ProtocolError: return "connection reset (not HTTP)";
    case Error::NoVirtualHost: return "404 NR";
    case Error::TlsRedirect: return "301 TLS redirect";
    case Error::NoRoute: return "404 NR";
  }
  return "";
}

}  // namespace istio_lint::simulate
