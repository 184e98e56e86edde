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
  };
  /// The model and proxy a request enters, compiling the workload's sidecar on first use. A null
  /// proxy with `error` set ("no workload ns/x in the inputs; did you mean ns/y?") when there is none.
  Entry enter(const EntryPoint& entry, std::string& error);

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
  /// Most recently used first.
  std::list<std::pair<std::string, std::unique_ptr<simulate::RoutingModel>>> cache_;
  size_t compiled_ = 0;
};

}  // namespace istio_lint::cli
