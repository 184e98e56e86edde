#pragma once

// Where a redirect sends a request: the Location header Envoy writes for a route's redirect.

#include <cstdint>
#include <string>

#include "model/resources/networking.h"
#include "simulate/request.h"

namespace istio_lint::simulate {

/// Envoy's redirect (istiod ApplyRedirect): the scheme, the host (authority or the request's), the
/// port (redirect.port, or the listener port with derivePort FROM_REQUEST_PORT; :80 for http and
/// :443 for https left out), the path (uri replaces it, the query is kept).
std::string redirectLocation(const model::HttpRedirect& red, const Request& r, uint32_t listener_port);

/// Where a server's `tls.httpsRedirect` sends a plaintext request (Envoy's require_tls: ALL): the
/// same host and path over https.
std::string httpsRedirectLocation(const Request& r);

}  // namespace istio_lint::simulate
