#pragma once

// apiextensions.k8s.io CustomResourceDefinition: the names and versions it defines. The
// `gateway.networking.k8s.io/bundle-version` annotation is read from the metadata.

#include "model/resources/resource.h"

namespace istio_lint::model {

struct CustomResourceDefinition : Resource {
  Str group;
  Str kind, plural;
  Str scope;  // Namespaced or Cluster
  std::vector<Str> versions;
};

}  // namespace istio_lint::model
