#pragma once

// The service registry lookup istio's analyzers share (util.GetDestinationHost): which Service or
// ServiceEntry a host names, as seen from a resource in `source_ns` exported to `export_to`.

#include <string>
#include <vector>

#include "model/mesh_graph.h"

namespace istio_lint::analyzers {

/// Lookup order: hosts exported to every namespace, then the referring resource's own scopes (its
/// namespace, or each namespace of its exportTo), then wildcard ServiceEntry hosts visible in
/// every namespace or in `source_ns`. Null when nothing is found.
inline const model::Resource* lookupServiceHost(const model::MeshGraph& g, const std::string& source_ns,
                                                const std::vector<model::Str>& export_to,
                                                const std::string& fqdn) {
  std::vector<std::string> scopes{"*"};
  if (export_to.empty()) {
    scopes.push_back(source_ns);
  } else {
    for (const model::Str& e : export_to) scopes.push_back(e.value == "." ? source_ns : e.value);
  }
  if (const auto* entries = g.registry().exact(fqdn)) {
    for (const std::string& scope : scopes) {
      for (const model::RegistryEntry& e : *entries) {
        if (e.scope == scope) return e.resource;
      }
    }
  }
  const model::Resource* found = nullptr;
  g.registry().forEachWildcardCovering(fqdn, [&](const std::vector<model::RegistryEntry>& entries) {
    for (const model::RegistryEntry& e : entries) {
      if (e.resource->kind == model::Kind::ServiceEntry && (e.scope == "*" || e.scope == source_ns)) {
        found = e.resource;
        return false;
      }
    }
    return true;
  });
  return found;
}

}  // namespace istio_lint::analyzers
