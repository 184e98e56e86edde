#pragma once

// The service registry as a proxy sees it: Kubernetes Services (name.ns.svc.<domain>) and
// ServiceEntry hosts, each with ports (and their protocol), addresses and exportTo.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/mesh_graph.h"

namespace istio_lint::simulate {

enum class PortProtocol : uint8_t { Http, Http2, Grpc, Https, Tls, Tcp, Auto };
PortProtocol portProtocol(std::string_view protocol, std::string_view port_name, std::string_view app_protocol = {});
/// istio's protocol.Parse of an explicit protocol field (ServiceEntry ports, Sidecar listeners):
/// case-insensitive; empty or unknown is detected at run time (Auto). The port name plays no part.
PortProtocol parseIstioProtocol(std::string_view protocol);
bool isHttpFamily(PortProtocol p);  // Http, Http2, Grpc

struct ServicePortInfo {
  uint32_t number = 0;
  std::string name;
  PortProtocol protocol = PortProtocol::Auto;
  uint32_t target_port = 0;  // 0: same as number (or a named port)
  const model::Resource* origin = nullptr;  // the Service or ServiceEntry that declares the port
  model::Span span;
};

struct ServiceInfo {
  std::string host;  // FQDN or the ServiceEntry host as written (may be a wildcard)
  std::string ns;
  const model::Resource* resource = nullptr;  // Service or ServiceEntry
  std::vector<ServicePortInfo> ports;
  std::vector<std::string> addresses;  // cluster IP / ServiceEntry addresses
  std::vector<std::string> export_to;  // "*", "." resolved to the namespace, "~", names
  bool mesh_external = false;
  bool kube = false;
  std::string resolution;
  /// An ExternalName Service: the host it names. istiod treats it as an alias of that host
  /// (ENABLE_EXTERNAL_NAME_ALIAS): no listeners or clusters of its own.
  std::string alias_for;
  struct Alias {
    std::string ns, host;
  };
  /// The ExternalName Services that name this host (through other aliases too), by (namespace,
  /// host): their names are domains of this service's virtual hosts.
  std::vector<Alias> aliases;
  bool isAlias() const { return !alias_for.empty(); }
  /// ServiceEntry hosts without addresses: the VIP istiod allocates for proxies with DNS capture
  /// and auto-allocation (240.240.0.0/16, and 2001:2::/48), empty when none applies.
  std::string auto_address, auto_address_v6;
  const ServicePortInfo* port(uint32_t number) const;
  bool visibleTo(std::string_view ns) const;
};

class Registry {
 public:
  explicit Registry(const model::MeshGraph& g);
  /// Every service, in (kube before ServiceEntry, namespace, name, host) order.
  const std::vector<ServiceInfo>& all() const { return services_; }
  /// Services declared for exactly this host (several namespaces possible).
  const std::vector<const ServiceInfo*>* byHost(std::string_view host) const;
  /// The one a proxy in `ns` uses: visible to ns, the proxy's namespace first, then a Service
  /// before a ServiceEntry.
  const ServiceInfo* lookup(std::string_view host, std::string_view ns) const;

 private:
  void resolveAliases();
  void allocateAddresses(const std::vector<std::string>& keys);
  std::vector<ServiceInfo> services_;
  struct HostHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::vector<const ServiceInfo*>, HostHash, std::equal_to<>> by_host_;
};

/// A port number written as text ("9080"); 0 when it is not one (a name, empty, > 65535).
uint32_t parsePort(std::string_view s);

/// A Service port's targetPort for a workload: a number, a container port name of the workload,
/// or (absent) the port itself; 0 when a name does not resolve (the port then has no endpoint).
uint32_t targetPort(const model::KubeServicePort& sp, const model::Workload* w);

/// The port an endpoint workload of `service` listens on for the service port `port`: that port's
/// targetPort for the workload; `port` itself when `service` is not a Kubernetes Service, does not
/// declare the port, or names a container port the workload lacks.
uint32_t endpointPort(const model::Resource* service, uint32_t port, const model::Workload* w);

/// istiod's ResolveShortnameToFQDN: a name without a dot becomes name.ns.svc.<domain>
/// (name.ns when the domain is empty); wildcards and FQDNs stay.
std::string resolveHost(std::string_view host, std::string_view ns, std::string_view domain);

}  // namespace istio_lint::simulate
