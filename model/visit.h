#pragma once

// The one place that walks VirtualService nesting. Analyzers get typed references with spans.

#include <functional>

#include "model/resources/networking.h"

namespace istio_lint::model {

enum class DestinationRole { Route, Mirror };

/// Every destination of a VirtualService: http/tls/tcp route destinations, then http mirrors.
inline void forEachDestination(const VirtualService& vs,
                               const std::function<void(const Destination&, DestinationRole)>& fn) {
  for (const HttpRoute& h : vs.http) {
    for (const RouteDestination& rd : h.route) fn(rd.destination, DestinationRole::Route);
  }
  for (const L4Route& l : vs.tls) {
    for (const RouteDestination& rd : l.route) fn(rd.destination, DestinationRole::Route);
  }
  for (const L4Route& l : vs.tcp) {
    for (const RouteDestination& rd : l.route) fn(rd.destination, DestinationRole::Route);
  }
  for (const HttpRoute& h : vs.http) {
    if (h.mirror) fn(*h.mirror, DestinationRole::Mirror);
    for (const Destination& m : h.mirrors) fn(m, DestinationRole::Mirror);
  }
}

/// Every gateway reference: spec.gateways, then match-level gateways of http/tls/tcp routes.
inline void forEachGatewayRef(const VirtualService& vs, const std::function<void(const Str&, bool top_level)>& fn) {
  for (const Str& g : vs.gateways) fn(g, true);
  for (const HttpRoute& h : vs.http) {
    for (const HttpMatch& m : h.match) {
      for (const Str& g : m.gateways) fn(g, false);
    }
  }
  for (const auto* routes : {&vs.tls, &vs.tcp}) {
    for (const L4Route& l : *routes) {
      for (const L4Match& m : l.match) {
        for (const Str& g : m.gateways) fn(g, false);
      }
    }
  }
}

}  // namespace istio_lint::model
