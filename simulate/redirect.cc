#include "simulate/redirect.h"

#include <optional>

namespace istio_lint::simulate {

std::string redirectLocation(const model::HttpRedirect& red, const Request& r, uint32_t listener_port) {
  std::string scheme = red.scheme.empty() ? (r.tls == TlsMode::Plaintext ? "http" : "https") : red.scheme;
  std::optional<uint32_t> port = red.port;
  if (!port && red.derive_port == "FROM_REQUEST_PORT") port = listener_port;
  std::string host = red.authority.empty() ? std::string(r.host) : red.authority;
  if (port) {
    // The redirect's port replaces one in the Host header.
    if (size_t colon = host.rfind(':'); colon != std::string::npos && host.find(']', colon) == std::string::npos) {
      host.resize(colon);
    }
    if (!((scheme == "http" && *port == 80) || (scheme == "https" && *port == 443))) host += ":" + std::to_string(*port);
  }
  std::string path(r.path);
  if (!red.uri.empty()) {
    size_t q = path.find('?');
    path = red.uri + (q == std::string::npos || red.uri.find('?') != std::string::npos ? "" : path.substr(q));
  }
  return scheme + "://" + host + path;
}

std::string httpsRedirectLocation(const Request& r) { return "https://" + std::string(r.host) + std::string(r.path); }

}  // namespace istio_lint::simulate
