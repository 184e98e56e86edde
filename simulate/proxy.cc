#include "simulate/proxy.h"

#include "simulate/cluster.h"

namespace istio_lint::simulate {

const Listener* Proxy::listenerFor(std::string_view address, uint32_t port) const {
  auto it = listeners_by_port.find(port);
  if (it != listeners_by_port.end()) {
    const Listener* wildcard = nullptr;
    for (uint32_t i : it->second) {
      const Listener& l = listeners[i];
      if (!address.empty() && l.address == address) return &l;
      if (l.address == "0.0.0.0") wildcard = &l;
    }
    if (wildcard != nullptr) return wildcard;
  }
  return virtual_outbound >= 0 ? &listeners[virtual_outbound] : nullptr;
}

const Cluster* Proxy::cluster(std::string_view name) const {
  auto it = clusters.find(std::string(name));
  return it == clusters.end() ? nullptr : it->second.get();
}

std::string clusterName(uint32_t port, std::string_view subset, std::string_view host) {
  std::string out = "outbound|";
  out += std::to_string(port);
  out += '|';
  out += subset;
  out += '|';
  out += host;
  return out;
}

}  // namespace istio_lint::simulate
