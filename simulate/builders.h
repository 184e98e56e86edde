#pragma once

// Proxy builders: a gateway workload (Gateway servers -> listeners, SNI chains, route configs) and
// a sidecar scope (imported services and VirtualServices -> outbound listeners and routes).

#include "simulate/build_context.h"

namespace istio_lint::simulate {

void buildGatewayProxy(const BuildContext& ctx, Proxy& proxy);
void buildSidecarProxy(const BuildContext& ctx, Proxy& proxy);
/// The sidecar's inbound side: the virtualInbound listener with one set of chains per workload
/// port (from the Services selecting it, or the Sidecar's ingress listeners) and the passthrough
/// chains, each shaped by the PeerAuthentication mode of its port.
void buildInbound(const BuildContext& ctx, Proxy& proxy);

/// The Sidecar resource that applies to a workload: one selecting it in its namespace, else the
/// namespace-wide one, else the root namespace's.
const model::Sidecar* sidecarFor(const BuildContext& ctx, std::string_view ns, const model::Labels& labels);

}  // namespace istio_lint::simulate
