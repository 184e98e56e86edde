#pragma once

// The routing models of a `simulate -i` session. Every gateway (and the sidecar of the command
// line's --from) is compiled once, at the start. A workload's sidecar is compiled the first time a
// line enters it, into a model of its own (with the gateways, so that a sidecar -> egress gateway
// hop continues as in the one-shot command), and kept for the next lines: compiling every sidecar
// up front costs time and memory in proportion to workloads x services (a 10k-resource mesh has
// thousands of workloads). Each model is immutable once built.

#include <cstddef>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/request_line.h"
#include "simulate/routing_model.h"

namespace istio_lint::cli {

class PromptModels {
 public:
  /// Sidecar models kept at once; the least recently used one is dropped first.
  static constexpr size_t kMaxSidecarModels = 16;

  /// Compiles the gateways, and the sidecar of `first` ("ns/name": the command line's --from or
  /// --to) when given. `options` apply to every model (their `sidecars` list is set here).
  PromptModels(const model::MeshGraph& graph, const std::optional<std::string>& first,
               simulate::ModelOptions options = {});

  /// The model with every gateway.
  const simulate::RoutingModel& base() const { return *base_; }

  struct Entry {
    const simulate::RoutingModel* model = nullptr;
    const simulate::Proxy* proxy = nullptr;
    const simulate::Proxy* deliver_to = nullptr;  // in the same model, when asked for
    bool deliver_to_failed = false;               // the error is about `deliver_to`, not the entry
  };
  /// The model and proxy a request enters, compiling the workload's sidecar on first use. A null
  /// proxy with `error` set ("no workload ns/x in the inputs; did you mean ns/y?") when there is none.
  /// With `deliver_to` (a line's `to` beside `from`/`via`), the model also holds that workload's
  /// sidecar (a model of both sidecars, cached like the others); `deliver_to_failed` tells whose
  /// error it is.
  Entry enter(const EntryPoint& entry, std::string& error, const std::optional<EntryPoint>& deliver_to = std::nullopt);

  /// NS/NAME of every workload with a sidecar (workloads no Gateway selects), sorted.
  const std::vector<std::string>& sidecarWorkloads() const { return sidecars_; }
  size_t gatewayCount() const;
  /// Sidecar models compiled so far (for tests).
  size_t compiledSidecars() const { return compiled_; }

 private:
  const model::MeshGraph& graph_;
  simulate::ModelOptions options_;
  std::unique_ptr<simulate::RoutingModel> base_;
  std::vector<std::string> sidecars_;
  /// Whether `name` is a gateway's workload (then `error` says to enter with `via`).
  bool isGatewayWorkload(const std::string& name, std::string& error) const;
  /// Whether the workload has a sidecar; otherwise `error` says why (a gateway, not in the inputs).
  bool isSidecar(const EntryPoint& workload, std::string& error) const;
  /// The model with the gateways and these sidecars, compiled on first use.
  const simulate::RoutingModel& sidecarModel(const std::vector<std::string>& names);

  /// Most recently used first; keyed by the sidecars' names joined with spaces.
  std::list<std::pair<std::string, std::unique_ptr<simulate::RoutingModel>>> cache_;
  size_t compiled_ = 0;
};

}  // namespace istio_lint::cli
