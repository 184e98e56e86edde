#pragma once

// Typed WorkloadEntry and WorkloadGroup (networking.istio.io): workloads outside Kubernetes, such
// as VMs, and the template their entries are created from.

#include <cstdint>
#include <optional>

#include "model/resources/resource.h"

namespace istio_lint::model {

/// The WorkloadEntry spec; also the `template` of a WorkloadGroup.
struct WorkloadEntrySpec {
  Str address;
  std::map<std::string, uint32_t> ports;  // port name -> number
  Labels labels;
  Str network, locality, service_account;
  std::optional<uint32_t> weight;
  Span ports_span;
};

struct WorkloadEntry : Resource {
  WorkloadEntrySpec spec;
};

struct WorkloadGroup : Resource {
  Labels labels;  // spec.metadata.labels, given to every generated WorkloadEntry
  std::map<std::string, std::string> annotations;
  std::optional<WorkloadEntrySpec> template_;
  bool has_probe = false;
};

}  // namespace istio_lint::model
