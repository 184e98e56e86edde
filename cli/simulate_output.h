#pragma once

// What `simulate` and every line of `simulate -i` share: finding the entry proxy, turning a
// RequestSpec into a simulate::Request, and printing a trace as text or JSON (docs/simulate.md).

#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/request_line.h"
#include "simulate/trace.h"

namespace istio_lint::cli {

/// The proxy a request enters: a Gateway's workload or a workload's sidecar. Null with `error`
/// set ("no Gateway ns/x in the inputs; did you mean ns/y?") when the model has none.
const simulate::Proxy* entryProxy(const simulate::RoutingModel& model, const EntryPoint& entry, std::string& error);

/// A view of `spec` for decide()/traceRequest(); `headers` holds the header views and must
/// outlive the result, as must `spec`.
simulate::Request toRequest(const RequestSpec& spec, std::vector<simulate::Header>& headers);

/// Text output: the `request:` line, then each hop and decision, then `exit:`.
void printTraceText(std::ostream& out, const model::FileTable& files, const RequestSpec& spec,
                    const simulate::Trace& trace);

/// JSON output: {"request": ..., "hops": [...], "exit": ...}, the schema of docs/simulate.md.
nlohmann::json traceJson(const model::FileTable& files, const RequestSpec& spec, const simulate::Trace& trace);

/// A gateway has no listener on `port`, but a Service selecting it maps `port` to a targetPort it
/// listens on: the port a request entering at the gateway must give (the proxy's port), and why.
struct PortHint {
  uint32_t listen_port = 0;
  std::string reason;  // "Service istio-system/ingress maps port 443 to targetPort 8443 (file:line)"
};
std::optional<PortHint> gatewayPortHint(const model::MeshGraph& graph, const simulate::Proxy& gateway, uint32_t port);

}  // namespace istio_lint::cli
