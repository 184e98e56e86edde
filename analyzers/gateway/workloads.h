#pragma once

// What the gateway analyzers share: the workloads an Istio Gateway's selector picks, its selector
// as Kubernetes prints it, and the finding for a selector that picks nothing.

#include <string>
#include <vector>

#include "analyzers/analyzer.h"

namespace istio_lint::analyzers::gateway {

/// "k1=v1,k2=v2", sorted by key (Kubernetes' labels.Set String()).
inline std::string selectorString(const model::Labels& selector) {
  std::string out;
  for (const auto& [k, v] : selector) out += (out.empty() ? "" : ",") + k + "=" + v;
  return out;
}

/// "ns/name", or "name" without a namespace.
/// The Pods and pod templates (Deployment, StatefulSet, DaemonSet) a Gateway's selector picks, in
/// any namespace, sorted by (namespace, name). An empty selector picks every workload.
inline std::vector<const model::Workload*> selectedWorkloads(const model::MeshGraph& g, const model::Gateway& gw) {
  return g.workloads().select(gw.selector);
}

/// IST0101 for a Gateway whose selector picks no workload. Every gateway analyzer reports it with
/// the same text at the same place, so a run of several reports it once.
inline void reportSelectorNotFound(Context& ctx, const model::Gateway& gw) {
  rules::Finding& f = ctx.report(Code::IST0101, gw, gw.selector_span, "selector", selectorString(gw.selector));
  f.message += ". No Pod, Deployment, StatefulSet or DaemonSet in the inputs has these labels, so no gateway "
               "workload serves this Gateway: fix the selector or add the gateway's workload to the inputs";
}

}  // namespace istio_lint::analyzers::gateway
