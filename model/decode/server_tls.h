#pragma once

// Istio's validation warnings on server-side TLS settings (istio.networking.v1.ServerTLSSettings),
// shared by Gateway servers and Sidecar ingress listeners.

#include "model/decode/reader.h"
#include "model/resources/networking.h"

namespace istio_lint::model::decode {

/// Warnings (IST0133) on the `tls` mapping of a server: cipher suites Envoy does not know or that
/// are listed twice (both are dropped), TLS 1.0/1.1 without cipher suites (the defaults include none
/// for them), and certificates on a PASSTHROUGH or AUTO_PASSTHROUGH server (never used). Call it
/// under the `tls` field guard.
void warnServerTls(Reader& r, const yaml::Node& tls);

/// The fields of a `tls` mapping (ServerTLSSettings) the model keeps, with the warnings above.
/// Call it under the `tls` field guard.
ServerTls readServerTls(Reader& r, const yaml::Node& tls);

}  // namespace istio_lint::model::decode
