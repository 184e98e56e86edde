#pragma once

// Typed networking.k8s.io/v1 Ingress and IngressClass: what istiod reads to turn an Ingress
// served by Istio into a Gateway and VirtualServices (simulate/ingress.h).

#include <cstdint>
#include <optional>
#include <vector>

#include "model/resources/resource.h"

namespace istio_lint::model {

/// spec.rules[].http.paths[].backend (or spec.defaultBackend): a Service port by number or name.
/// A `resource` backend has no service.
struct IngressBackend {
  Str service;
  std::optional<uint32_t> port_number;
  Str port_name;
  bool resource = false;  // backend.resource (not a Service)
  Span span;
};

struct IngressPath {
  Str path;
  Str path_type;  // Exact, Prefix, ImplementationSpecific; empty when not given
  IngressBackend backend;
  Span span;
};

struct IngressRule {
  Str host;  // empty: every host
  std::vector<IngressPath> paths;
  Span span;
};

struct IngressTls {
  std::vector<Str> hosts;
  Str secret_name;
  Span span;
};

struct Ingress : Resource {
  Str ingress_class_name;  // spec.ingressClassName
  std::optional<IngressBackend> default_backend;
  std::vector<IngressTls> tls;
  std::vector<IngressRule> rules;
};

struct IngressClass : Resource {
  Str controller;  // spec.controller, e.g. istio.io/ingress-controller
};

}  // namespace istio_lint::model
